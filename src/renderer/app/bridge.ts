import type { BoxofficeApi } from '../../preload/index.js';

// Type only: the renderer knows the bridge's shape from the preload implementation but never loads
// preload code. In a plain browser (served by the backend at /app/) the property is absent.
declare global {
  interface Window {
    readonly boxoffice?: BoxofficeApi;
  }
}

export type { BoxofficeApi };

export function getBridge(win: Window): BoxofficeApi | undefined {
  return win.boxoffice;
}
