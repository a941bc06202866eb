import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, readStationConfig } from '../../../src/main/config.js';

describe('readStationConfig', () => {
  it('defaults to the local development server', () => {
    const result = readStationConfig({});
    expect(result).toEqual({ ok: true, config: { serverOrigin: DEFAULT_SERVER_URL, externalOrigins: [] } });
  });

  it('treats an empty variable like an absent one', () => {
    const result = readStationConfig({ BOXOFFICE_SERVER_URL: '  ' });
    expect(result.ok && result.config.serverOrigin).toBe(DEFAULT_SERVER_URL);
  });

  it('reduces the URL to its origin', () => {
    const result = readStationConfig({ BOXOFFICE_SERVER_URL: 'https://Kasse.Example.de:8443/api/' });
    expect(result.ok && result.config.serverOrigin).toBe('https://kasse.example.de:8443');
  });

  it.each(['http://kasse.example.de', 'https://user:pw@kasse.example.de', 'kasse.example.de', 'ftp://x'])(
    'refuses %s with a German message',
    (value) => {
      const result = readStationConfig({ BOXOFFICE_SERVER_URL: value });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/BOXOFFICE_SERVER_URL muss eine https-Adresse sein/);
    },
  );
});
