/**
 * Preload: builds the bridge object from the IPC contract and exposes it once as `window.boxoffice`.
 * Runs sandboxed, so it is bundled to CommonJS (scripts/build-station.ts) and may only use the electron
 * module. The renderer derives its type from `BoxofficeApi` with `import type`; it never imports this file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.js';

const api = buildBridge(ipcRenderer, process.argv);

export type BoxofficeApi = typeof api;

contextBridge.exposeInMainWorld('boxoffice', api);
