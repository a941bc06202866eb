import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, createStationConfigStore, type StoredStation } from '../../../src/main/services/station-config-store.js';
import { DEFAULT_STATION_SETTINGS } from '../../../src/shared/ipc/station-settings.js';
import { createFakeSecretStore } from './fake-secret-store.js';

const PASSPHRASE = 'kiwi-7hund-Mond!42-ÄÖÜ';

function station(overrides: Partial<StoredStation> = {}): StoredStation {
  return {
    serverUrl: 'https://kasse.example.de:8443',
    settings: { ...DEFAULT_STATION_SETTINGS, printer: { name: 'Ticketdrucker', offsetXTenthMm: 12, offsetYTenthMm: -5 } },
    workstation: { id: '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1a', name: 'kasse-1', tenant: { id: '5f0a7c8e-3d2b-4c1a-9e8f-7a6b5c4d3e2f', code: 'outlet-a', name: 'Outlet A', kind: 'outlet' } },
    certificate: {
      summary: { fileName: 'outlet-a-kasse-1.p12', subject: 'CN=kasse-1', fingerprint256: 'AB:CD', notAfter: '2030-01-01T00:00:00.000Z' },
      pfx: new Uint8Array([0x30, 0x82, 1, 2, 3, 4]),
      passphrase: PASSPHRASE,
    },
    ...overrides,
  };
}

/** Every way the passphrase could appear in a file: as text, UTF-16 (Windows APIs), base64, hex. */
function encodingsOf(secret: string): Buffer[] {
  const utf8 = Buffer.from(secret, 'utf8');
  return [utf8, Buffer.from(secret, 'utf16le'), Buffer.from(utf8.toString('base64')), Buffer.from(utf8.toString('hex')), Buffer.from(JSON.stringify(secret))];
}

describe('station config store', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'station-config-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never writes the passphrase in clear text, in any encoding, into any file', async () => {
    const store = createStationConfigStore({ dir, secrets: createFakeSecretStore() });
    expect(await store.save(station())).toEqual({ ok: true });
    const files = await readdir(dir);
    expect(files.sort()).toEqual([CONFIG_FILE_NAME, expect.stringMatching(/^workstation-[0-9a-f]{16}\.p12$/)]);
    for (const file of files) {
      const content = await readFile(path.join(dir, file));
      for (const needle of encodingsOf(PASSPHRASE)) expect(content.includes(needle), `${file} contains the passphrase`).toBe(false);
    }
    const json = JSON.parse(await readFile(path.join(dir, CONFIG_FILE_NAME), 'utf8'));
    expect(json.certificate.passphrase.protection).toBe('os-secure-storage');
    expect(Object.keys(json.certificate).sort()).toEqual(['file', 'passphrase', 'summary']);
  });

  it('reads back what it saved, decrypting the passphrase with the same OS key', async () => {
    const secrets = createFakeSecretStore();
    const store = createStationConfigStore({ dir, secrets });
    await store.save(station());
    const loaded = await store.load();
    expect(loaded).toEqual({ kind: 'ok', station: { ...station(), certificate: { ...station().certificate, pfx: Buffer.from(station().certificate.pfx) } } });
  });

  it('writes nothing at all without OS secure storage', async () => {
    const store = createStationConfigStore({ dir, secrets: createFakeSecretStore({ available: false }) });
    expect(await store.save(station())).toMatchObject({ ok: false, code: 'SECURE_STORAGE_UNAVAILABLE' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a passphrase encrypted under another OS user as undecryptable', async () => {
    await createStationConfigStore({ dir, secrets: createFakeSecretStore() }).save(station());
    const otherUser = createStationConfigStore({ dir, secrets: createFakeSecretStore() });
    expect(await otherUser.load()).toMatchObject({ kind: 'invalid', code: 'PASSPHRASE_UNDECRYPTABLE' });
  });

  it('knows no setup before the first save', async () => {
    expect(await createStationConfigStore({ dir, secrets: createFakeSecretStore() }).load()).toEqual({ kind: 'none' });
  });

  it.each([
    ['not JSON', 'nicht json'],
    ['an unknown key', (json: any) => ({ ...json, debug: true })],
    ['a clear-text passphrase', (json: any) => ({ ...json, certificate: { ...json.certificate, passphrase: { protection: 'none', data: 'c2VjcmV0' } } })],
    ['a certificate path outside the directory', (json: any) => ({ ...json, certificate: { ...json.certificate, file: '../../etc/passwd' } })],
    ['an http server', (json: any) => ({ ...json, serverUrl: 'http://kasse.example.de' })],
  ])('refuses a config file with %s', async (_name, change) => {
    const secrets = createFakeSecretStore();
    const store = createStationConfigStore({ dir, secrets });
    await store.save(station());
    const file = path.join(dir, CONFIG_FILE_NAME);
    const content = typeof change === 'string' ? change : JSON.stringify(change(JSON.parse(await readFile(file, 'utf8'))));
    await writeFile(file, content);
    expect(await store.load()).toMatchObject({ kind: 'invalid', code: 'CONFIG_INVALID' });
  });

  it('refuses a config whose certificate file is gone', async () => {
    const store = createStationConfigStore({ dir, secrets: createFakeSecretStore() });
    await store.save(station());
    for (const file of await readdir(dir)) if (file.endsWith('.p12')) await rm(path.join(dir, file));
    expect(await store.load()).toMatchObject({ kind: 'invalid', code: 'CONFIG_INVALID' });
  });

  it('replaces the certificate of an earlier setup and removes the old file', async () => {
    const store = createStationConfigStore({ dir, secrets: createFakeSecretStore() });
    await store.save(station());
    await store.save(station({ certificate: { ...station().certificate, pfx: new Uint8Array([9, 9, 9]) } }));
    expect((await readdir(dir)).filter((file) => file.endsWith('.p12'))).toHaveLength(1);
    const loaded = await store.load();
    expect(loaded.kind === 'ok' && [...loaded.station.certificate.pfx]).toEqual([9, 9, 9]);
  });
});
