/**
 * The installer cannot be built here (it needs the Electron binary and Windows), so the packaging is
 * proven piecewise: the config against electron-builder's own schema and file matcher, the fuses, the
 * signing hook's decisions, the generated icon, and the preload bundle loading under the sandbox's rules.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICON_FILE, PACKAGING_BUNDLES, STATION_BUNDLES, stationBundleOptions } from '../../../scripts/build-station.js';
import { buildIco, ICON_SIZES } from '../../../scripts/packaging/icon.js';
import { DEFAULT_TIMESTAMP_URL, planSigning, SigningConfigError } from '../../../scripts/packaging/sign-windows.js';
import { PACKAGED_FONT_DIR, PACKAGED_SUMATRA_PATH } from '../../../src/main/printing/printing-config.js';
import { TICKET_FONT_FILES } from '../../../src/main/printing/ticket-sheet-pdf.js';
import { contractMethods } from '../../../src/shared/ipc/contract.js';

const root = path.resolve(import.meta.dirname, '../../..');
// app-builder-lib is electron-builder's engine; resolved through electron-builder, as the CLI does.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js');
const { getMainFileMatchers, FileMatcher } = fromBuilder('app-builder-lib/out/fileMatcher.js');

let config: any;

beforeAll(async () => {
  config = await getConfig(root, 'electron-builder.yml', null);
});

describe('electron-builder.yml', () => {
  const debugLogger = { isEnabled: false, add: () => undefined };

  it('validates against electron-builder’s own schema', async () => {
    await expect(validateConfiguration(config, debugLogger)).resolves.toBeUndefined();
  });

  it('is checked for real: a misspelt fuse fails the same validation', async () => {
    await expect(validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, debugLogger)).rejects.toThrow(/electronFuses/);
  });

  it('sets every fuse of the hardening checklist', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    // Integrity validation and OnlyLoadAppFromAsar only mean something with an asar.
    expect(config.asar).toBe(true);
  });

  it('builds a per-machine x64 NSIS installer with id, name and icons', () => {
    expect(config.appId).toBe('de.boxoffice.station');
    expect(config.productName).toBe('Kasse & Druckstation');
    expect(config.executableName).toMatch(/^[a-z0-9-]+$/);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, installerIcon: 'icon.ico', uninstallerIcon: 'icon.ico', deleteAppDataOnUninstall: false });
    expect(config.win.icon).toBe('icon.ico');
    expect(path.join(config.directories.buildResources, 'icon.ico')).toBe(path.normalize(ICON_FILE));
    expect(config.publish).toBeNull();
  });

  it('unpacks the native HID addon from the asar', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/node-hid/**']));
    expect(config.npmRebuild).toBe(false);
  });

  it('ships SumatraPDF and the ticket font beside the asar, where the station looks for them', () => {
    expect(config.extraResources).toEqual([
      { from: 'build/print-helper', to: 'print-helper', filter: ['SumatraPDF.exe'] },
      { from: 'build/fonts', to: 'fonts', filter: [...Object.values(TICKET_FONT_FILES)] },
    ]);
    expect(path.join('print-helper', 'SumatraPDF.exe')).toBe(PACKAGED_SUMATRA_PATH);
    expect(PACKAGED_FONT_DIR).toBe('fonts');
  });

  it('signs through the environment-driven hook that the build generates, with SHA-256 only', () => {
    expect(config.win.signtoolOptions).toEqual({ sign: './build/packaging/sign-windows.cjs', signingHashAlgorithms: ['sha256'] });
    expect(PACKAGING_BUNDLES.map((bundle) => `./${bundle.outfile}`)).toContain(config.win.signtoolOptions.sign);
    const text = JSON.stringify(config);
    expect(text).not.toMatch(/certificatePassword|cscKeyPassword|cscLink|certificateFile/);
  });

  it('ships the bundles and the HID addon, and nothing of the server, the sources or other packages', () => {
    const info = { projectDir: root, buildResourcesDir: config.directories.buildResources, config, isPrepackedAppAsar: false, debugLogger };
    const [matcher] = getMainFileMatchers(root, '/out/app', (s: string) => s, {}, { info }, path.join(root, 'dist'), false);
    const appFilter = matcher.createFilter();
    const file = { isDirectory: () => false };
    const shipped = (relative: string) => appFilter(path.join(root, relative), file);
    for (const relative of ['build/main/index.cjs', 'build/preload/index.cjs', 'build/renderer/index.html', 'package.json']) expect(shipped(relative), relative).toBe(true);
    for (const relative of ['build/main/index.cjs.map', 'build/packaging/icon.ico', 'server/src/app.ts', 'src/main/index.ts', 'data/pki/ca.key.pem', 'test/support/pki.ts', 'electron-builder.yml', 'build/print-helper/SumatraPDF.exe']) expect(shipped(relative), relative).toBe(false);

    const moduleFile = (name: string, relative: string) => {
      const dir = path.join(root, 'node_modules', name);
      const filter = new FileMatcher(dir, path.join('/out/app/node_modules', name), (s: string) => s, matcher.patterns).createFilter();
      return filter(path.join(dir, relative), { isDirectory: () => false, moduleFullFilePath: `node_modules/${name}/${relative}` });
    };
    expect(moduleFile('node-hid', 'nodehid.js')).toBe(true);
    expect(moduleFile('node-hid', 'prebuilds/HID-win32-x64/node-napi-v4.node')).toBe(true);
    expect(moduleFile('pkg-prebuilds', 'bindings.js')).toBe(true);
    for (const [name, relative] of [['fastify', 'fastify.js'], ['pg', 'lib/index.js'], ['knex', 'knex.js'], ['react', 'index.js'], ['@electric-sql/pglite', 'package.json']] as const) {
      expect(moduleFile(name, relative), name).toBe(false);
    }
  });
});

describe('package.json', () => {
  it('has `npm run dist` building the station and then the Windows installer', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.dist).toMatch(/^npm run build && electron-builder --win .*--config electron-builder\.yml/);
    expect(pkg.main).toBe(STATION_BUNDLES[0]?.outfile);
  });
});

describe('signing hook', () => {
  const file = { path: 'C:\\build\\dist\\win-unpacked\\kasse-druckstation.exe', hash: 'sha256' };
  const thumbprint = 'ab'.repeat(20);

  it('builds unsigned when nothing is configured', () => {
    expect(planSigning({}, file, 'win32')).toMatchObject({ kind: 'skip' });
  });

  it('fails a release build that must be signed but is not configured', () => {
    expect(() => planSigning({ BOXOFFICE_SIGN_REQUIRED: '1' }, file, 'win32')).toThrow(SigningConfigError);
  });

  it('signs with the certificate from the store, SHA-256 and an RFC 3161 time stamp', () => {
    expect(planSigning({ BOXOFFICE_SIGN_CERT_SHA1: thumbprint }, file, 'win32')).toEqual({
      kind: 'sign',
      command: 'signtool.exe',
      args: ['sign', '/sha1', thumbprint.toUpperCase(), '/fd', 'sha256', '/tr', `${DEFAULT_TIMESTAMP_URL}/`, '/td', 'sha256', file.path],
    });
    const nested = planSigning({ BOXOFFICE_SIGN_CERT_SHA1: thumbprint, BOXOFFICE_SIGNTOOL: 'D:\\kits\\signtool.exe', BOXOFFICE_SIGN_TIMESTAMP_URL: 'https://ts.example.de/rfc3161' }, { ...file, isNest: true }, 'win32');
    expect(nested).toMatchObject({ command: 'D:\\kits\\signtool.exe', args: expect.arrayContaining(['/as', 'https://ts.example.de/rfc3161']) });
  });

  it('refuses malformed settings instead of guessing', () => {
    expect(() => planSigning({ BOXOFFICE_SIGN_CERT_SHA1: 'not-a-thumbprint' }, file, 'win32')).toThrow(/40 hex digits/);
    expect(() => planSigning({ BOXOFFICE_SIGN_CERT_SHA1: thumbprint, BOXOFFICE_SIGN_TIMESTAMP_URL: 'ftp://ts' }, file, 'win32')).toThrow(/http/);
    expect(() => planSigning({ BOXOFFICE_SIGN_CERT_SHA1: thumbprint }, file, 'linux')).toThrow(/Windows only/);
  });

  it('makes SHA-256 signatures only', () => {
    expect(planSigning({ BOXOFFICE_SIGN_CERT_SHA1: thumbprint }, { ...file, hash: 'sha1' }, 'win32')).toMatchObject({ kind: 'skip' });
  });
});

describe('icon', () => {
  it('is an .ico with PNG images from 16 to 256 px', () => {
    const ico = buildIco();
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(ICON_SIZES.length);
    const sizes = ICON_SIZES.map((_, index) => {
      const entry = 6 + index * 16;
      const offset = ico.readUInt32LE(entry + 12);
      expect(ico.subarray(offset, offset + 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      return ico.readUInt32BE(offset + 16);
    });
    expect(sizes).toEqual([...ICON_SIZES]);
    expect(ICON_SIZES).toContain(256);
  });
});

describe('preload bundle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preload-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads with nothing but `electron` to require, as in the sandbox, and exposes the bridge', async () => {
    const preload = STATION_BUNDLES.find((bundle) => bundle.entry.includes('preload'))!;
    const outfile = path.join(dir, 'preload.cjs');
    await build({ ...stationBundleOptions(preload, root), outfile, sourcemap: false, legalComments: 'none' });
    const exposed: Record<string, unknown> = {};
    const required: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (name: string, value: unknown) => (exposed[name] = value) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
    };
    const module = { exports: {} };
    // The web globals a sandboxed preload has (it runs in a renderer); no Node module, no `process.versions`.
    const sandbox = {
      TextEncoder,
      TextDecoder,
      URL,
      console,
      module,
      exports: module.exports,
      process: { argv: ['electron', '--boxoffice-app-version=3.1.4'] },
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return fakeElectron;
      },
    };
    vm.runInNewContext(await readFile(outfile, 'utf8'), sandbox, { filename: 'preload.cjs' });
    expect(required).toEqual(['electron']);
    const bridge = exposed['boxoffice'] as Record<string, any>;
    expect(bridge['versions']).toEqual({ app: '3.1.4' });
    for (const { area, method } of contractMethods()) expect(typeof bridge[area][method], `${area}.${method}`).toBe('function');
  });
});
