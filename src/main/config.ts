/**
 * Station configuration read from the environment once, at start-up, by the composition root.
 * Pure: takes the environment as an argument so tests need no process state.
 */

export const DEFAULT_SERVER_URL = 'https://localhost:8443';

export interface StationConfig {
  /** Origin of the central backend, e.g. `https://kasse.example:8443`. Used for CSP connect-src. */
  readonly serverOrigin: string;
  /**
   * https origins that `shell.openExternal` may open. Empty on purpose: a station has no reason to
   * start the system browser until a feature needs it and adds its origin here.
   */
  readonly externalOrigins: readonly string[];
}

export type ConfigResult = { ok: true; config: StationConfig } | { ok: false; message: string };

/** Accepts only an absolute https URL and reduces it to its origin; anything else is a config error. */
export function parseHttpsOrigin(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  // Credentials in the URL would end up in logs and in the CSP header; the station authenticates
  // with its client certificate instead.
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  return url.origin;
}

export function readStationConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const raw = env['BOXOFFICE_SERVER_URL']?.trim();
  const serverUrl = raw === undefined || raw === '' ? DEFAULT_SERVER_URL : raw;
  const serverOrigin = parseHttpsOrigin(serverUrl);
  if (serverOrigin === undefined) {
    // Every connection is TLS (DESIGN.md §1), so an http URL is refused rather than silently used.
    return {
      ok: false,
      message: `BOXOFFICE_SERVER_URL muss eine https-Adresse sein (z. B. ${DEFAULT_SERVER_URL}), erhalten: ${JSON.stringify(serverUrl)}`,
    };
  }
  return { ok: true, config: { serverOrigin, externalOrigins: [] } };
}
