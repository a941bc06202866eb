/**
 * Preload: builds the bridge object and exposes it once as `window.boxoffice`. Runs sandboxed, so it
 * is bundled to CommonJS (scripts/build-station.ts) and may only use the electron module.
 * The renderer derives its type from `BoxofficeApi` with `import type`; it never imports this file.
 */
import { contextBridge } from 'electron';
import { readAppVersion } from './app-version.js';

function createBoxofficeApi(argv: readonly string[]) {
  return {
    platform: 'electron' as const,
    versions: { app: readAppVersion(argv) },
  };
}

const api = createBoxofficeApi(process.argv);

export type BoxofficeApi = typeof api;

contextBridge.exposeInMainWorld('boxoffice', api);
