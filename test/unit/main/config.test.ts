import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, readStationConfig } from '../../../src/main/config.js';

describe('readStationConfig', () => {
  it('defaults to the local development server and Electron’s data directory', () => {
    const result = readStationConfig({});
    expect(result).toEqual({ ok: true, config: { defaultServerUrl: DEFAULT_SERVER_URL, externalOrigins: [], dataDir: undefined } });
  });

  it('treats an empty variable like an absent one', () => {
    const result = readStationConfig({ BOXOFFICE_SERVER_URL: '  ', BOXOFFICE_STATION_DATA_DIR: '' });
    expect(result.ok && result.config).toMatchObject({ defaultServerUrl: DEFAULT_SERVER_URL, dataDir: undefined });
  });

  it('reduces the URL to its origin', () => {
    const result = readStationConfig({ BOXOFFICE_SERVER_URL: 'https://Kasse.Example.de:8443/api/' });
    expect(result.ok && result.config.defaultServerUrl).toBe('https://kasse.example.de:8443');
  });

  it.each(['http://kasse.example.de', 'https://user:pw@kasse.example.de', 'kasse.example.de', 'ftp://x'])(
    'refuses %s with a German message',
    (value) => {
      const result = readStationConfig({ BOXOFFICE_SERVER_URL: value });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/BOXOFFICE_SERVER_URL muss eine https-Adresse sein/);
    },
  );

  it('takes an absolute data directory and refuses a relative one', () => {
    expect(readStationConfig({ BOXOFFICE_STATION_DATA_DIR: '/srv/station-2' })).toMatchObject({ ok: true, config: { dataDir: '/srv/station-2' } });
    const relative = readStationConfig({ BOXOFFICE_STATION_DATA_DIR: 'station' });
    expect(relative.ok).toBe(false);
    if (!relative.ok) expect(relative.message).toMatch(/absoluter Pfad/);
  });
});
