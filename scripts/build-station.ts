/**
 * Bundles the Electron main process and the preload into CommonJS files (`npm run build:station`).
 * CommonJS because a sandboxed preload cannot load ES modules, and bundling because it may not
 * `require` anything but `electron`; main uses the same format so both load the same way.
 * Also writes the packaging inputs electron-builder reads from build/packaging (icon, signing hook),
 * which are generated so that the repository holds neither binaries nor signing secrets.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { buildIco } from './packaging/icon.js';

export interface StationBundle {
  readonly entry: string;
  readonly outfile: string;
}

export const STATION_BUNDLES: readonly StationBundle[] = [
  { entry: 'src/main/index.ts', outfile: 'build/main/index.cjs' },
  { entry: 'src/preload/index.ts', outfile: 'build/preload/index.cjs' },
];

/** electron-builder's `directories.buildResources`; not shipped (only build/{main,preload,renderer} are). */
export const PACKAGING_DIR = 'build/packaging';
export const PACKAGING_BUNDLES: readonly StationBundle[] = [{ entry: 'scripts/packaging/sign-windows.ts', outfile: `${PACKAGING_DIR}/sign-windows.cjs` }];
export const ICON_FILE = `${PACKAGING_DIR}/icon.ico`;

export function stationBundleOptions(bundle: StationBundle, rootDir: string): BuildOptions {
  return {
    absWorkingDir: rootDir,
    entryPoints: [bundle.entry],
    outfile: bundle.outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // electron is provided by the runtime; node-hid is a native module that electron-builder unpacks
    // from the asar and must be loaded from node_modules, not inlined.
    external: ['electron', 'node-hid'],
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
  };
}

function packagingOptionsFor(bundle: StationBundle, rootDir: string): BuildOptions {
  return { absWorkingDir: rootDir, entryPoints: [bundle.entry], outfile: bundle.outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
}

/** Builds every bundle and returns the absolute paths of the written files. */
export async function buildStation(rootDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const bundle of STATION_BUNDLES) {
    await build(stationBundleOptions(bundle, rootDir));
    const outfile = path.resolve(rootDir, bundle.outfile);
    if (!existsSync(outfile)) throw new Error(`esbuild reported success but ${bundle.outfile} is missing`);
    written.push(outfile);
  }
  for (const bundle of PACKAGING_BUNDLES) {
    await build(packagingOptionsFor(bundle, rootDir));
    written.push(path.resolve(rootDir, bundle.outfile));
  }
  const icon = path.resolve(rootDir, ICON_FILE);
  await mkdir(path.dirname(icon), { recursive: true });
  await writeFile(icon, buildIco());
  written.push(icon);
  return written;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const rootDir = fileURLToPath(new URL('..', import.meta.url));
  buildStation(rootDir).then(
    (files) => {
      process.stdout.write(files.map((file) => `built ${path.relative(rootDir, file)}\n`).join(''));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
