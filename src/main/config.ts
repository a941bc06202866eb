/**
 * Station settings from the environment, read once at start-up by the composition root. Pure: takes
 * the environment as an argument so tests need no process state. The backend address in use comes
 * from the saved setup (services/station-config-store.ts); the environment only pre-fills it.
 */
import path from 'node:path';

export const DEFAULT_SERVER_URL = 'https://localhost:8443';

export interface StationConfig {
  /** Offered on the first-run screen (`BOXOFFICE_SERVER_URL`, e.g. set by `npm start`). */
  readonly defaultServerUrl: string;
  /**
   * https origins that `shell.openExternal` may open. Empty on purpose: a station has no reason to
   * start the system browser until a feature needs it and adds its origin here.
   */
  readonly externalOrigins: readonly string[];
  /** Directory of station.json and the .p12 (`BOXOFFICE_STATION_DATA_DIR`); default: Electron's userData. */
  readonly dataDir: string | undefined;
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
  // Credentials in the URL would end up in logs and config files; the station authenticates with its
  // client certificate instead.
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  return url.origin;
}

export function readStationConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const raw = env['BOXOFFICE_SERVER_URL']?.trim();
  const serverUrl = raw === undefined || raw === '' ? DEFAULT_SERVER_URL : raw;
  const defaultServerUrl = parseHttpsOrigin(serverUrl);
  if (defaultServerUrl === undefined) {
    // Every connection is TLS (DESIGN.md §1), so an http URL is refused rather than silently used.
    return {
      ok: false,
      message: `BOXOFFICE_SERVER_URL muss eine https-Adresse sein (z. B. ${DEFAULT_SERVER_URL}), erhalten: ${JSON.stringify(serverUrl)}`,
    };
  }
  const dataDirRaw = env['BOXOFFICE_STATION_DATA_DIR']?.trim();
  let dataDir: string | undefined;
  if (dataDirRaw !== undefined && dataDirRaw !== '') {
    if (!path.isAbsolute(dataDirRaw)) {
      return { ok: false, message: `BOXOFFICE_STATION_DATA_DIR muss ein absoluter Pfad sein, erhalten: ${JSON.stringify(dataDirRaw)}` };
    }
    dataDir = dataDirRaw;
  }
  return { ok: true, config: { defaultServerUrl, externalOrigins: [], dataDir } };
}
