/**
 * Starts the Electron station from the repository (`npx tsx scripts/station-launcher.ts`).
 * It finds the binary the way the `electron` package does (path.txt + dist/) but without
 * `require('electron')`, which throws when the binary was never downloaded — the normal case here,
 * because `.npmrc` disables install scripts and with them Electron's download.
 */
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type LaunchResult = { launched: true; pid: number } | { launched: false; reason: string };

export const ELECTRON_MISSING_REASON =
  'Electron-Binary nicht installiert (node_modules/electron/dist fehlt) – `node node_modules/electron/install.js` lädt es, wo das Internet erreichbar ist';

export const STATION_NOT_BUILT_REASON =
  'Station nicht gebaut (build/main/index.cjs fehlt) – vorher `npm run build` ausführen';

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the Electron executable inside `cwd`'s node_modules, or undefined when absent. */
export async function findElectronBinary(cwd: string): Promise<string | undefined> {
  const packageDir = path.join(cwd, 'node_modules', 'electron');
  let relative: string;
  try {
    relative = (await readFile(path.join(packageDir, 'path.txt'), 'utf8')).trim();
  } catch {
    return undefined;
  }
  const distDir = path.join(packageDir, 'dist');
  const binary = path.resolve(distDir, relative);
  // path.txt is plain text on disk; do not let it point us at an executable outside dist/.
  const inside = path.relative(distDir, binary);
  if (relative === '' || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  return (await exists(binary)) ? binary : undefined;
}

export async function launchStation(opts: { serverUrl: string; cwd: string }): Promise<LaunchResult> {
  const binary = await findElectronBinary(opts.cwd);
  if (binary === undefined) return { launched: false, reason: ELECTRON_MISSING_REASON };
  if (!(await exists(path.join(opts.cwd, 'build', 'main', 'index.cjs')))) {
    return { launched: false, reason: STATION_NOT_BUILT_REASON };
  }

  const env: NodeJS.ProcessEnv = { ...process.env, BOXOFFICE_SERVER_URL: opts.serverUrl };
  // Inherited from a tooling shell, this variable turns Electron into plain Node and the window never opens.
  delete env['ELECTRON_RUN_AS_NODE'];

  const child = spawn(binary, ['.'], { cwd: opts.cwd, env, stdio: 'inherit' });
  return new Promise<LaunchResult>((resolve) => {
    child.once('spawn', () => {
      resolve(child.pid === undefined ? { launched: false, reason: 'Electron startete ohne Prozess-ID' } : { launched: true, pid: child.pid });
    });
    // `on`, not `once`: a second 'error' without a listener would crash the launching process.
    child.on('error', (error) => {
      resolve({ launched: false, reason: `Electron konnte nicht gestartet werden: ${error.message}` });
    });
  });
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const serverUrl = process.env['BOXOFFICE_SERVER_URL'] ?? 'https://localhost:8443';
  launchStation({ serverUrl, cwd }).then(
    (result) => {
      if (result.launched) {
        process.stdout.write(`Station gestartet (PID ${result.pid})\n`);
      } else {
        console.error(result.reason);
        process.exitCode = 1;
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
