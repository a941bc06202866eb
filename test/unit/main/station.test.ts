import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/main/ports/logger.js';
import type { Timers } from '../../../src/main/ports/timers.js';
import type { UiEvents } from '../../../src/main/ports/ui-events.js';
import type { BackendClient } from '../../../src/main/services/backend-client.js';
import type { Pkcs12Result, WorkstationCertificate } from '../../../src/main/services/pkcs12.js';
import { createStation, type StationDeps } from '../../../src/main/services/station.js';
import { createStationConfigStore } from '../../../src/main/services/station-config-store.js';
import { createApiClient } from '../../../src/shared/api-client/api-client.js';
import type { FetchLike } from '../../../src/shared/api-client/transport.js';
import { DEFAULT_STATION_SETTINGS } from '../../../src/shared/ipc/station-settings.js';
import { createFakeSecretStore } from './fake-secret-store.js';

const PASSPHRASE = 'richtig-richtig';
const NOW = new Date('2030-06-01T10:00:00.000Z');
const whoami = {
  workstation: { id: '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1a', name: 'kasse-1', certificateNotAfter: '2031-01-01T00:00:00.000Z' },
  tenant: { id: '5f0a7c8e-3d2b-4c1a-9e8f-7a6b5c4d3e2f', code: 'outlet-a', name: 'Outlet A', kind: 'outlet' },
};
const user = { id: '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1b', tenantId: whoami.tenant.id, login: 'kasse', displayName: 'Kasse' };

const certificate = (notAfter = '2031-01-01T00:00:00.000Z'): WorkstationCertificate => ({
  secureContext: {} as WorkstationCertificate['secureContext'],
  leaf: { subject: 'O=Outlet A\nCN=kasse-1', fingerprint256: 'AA:BB', serialNumber: '01', notBefore: new Date('2030-01-01T00:00:00.000Z'), notAfter: new Date(notAfter) },
});

type Route = (method: string, path: string) => { status: number; body?: unknown } | undefined;

function json(status: number, body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: { get: (name: string) => (name === 'content-type' ? (status >= 400 ? 'application/problem+json' : 'application/json') : null) }, text: async () => text };
}

function harness(options: { route?: Route; certificateNotAfter?: string } = {}) {
  const requests: string[] = [];
  const events: Array<[string, unknown]> = [];
  const closed: string[] = [];
  let route: Route = options.route ?? (() => undefined);
  const fetch: FetchLike = async (url, init) => {
    const p = new URL(url).pathname;
    requests.push(`${init.method} ${p}`);
    const custom = route(init.method, p);
    if (custom !== undefined) return json(custom.status, custom.body);
    if (p === '/api/v1/whoami') return json(200, whoami);
    if (p === '/health/ready') return json(200, { status: 'ok' });
    if (p === '/api/v1/auth/login') return json(200, { token: 't', expiresAt: '2030-06-01T18:00:00.000Z', mustChangePassword: false, user, permissions: [] });
    if (p === '/api/v1/auth/logout') return json(204);
    return json(404, { code: 'NOT_FOUND' });
  };
  let backends = 0;
  const createBackend: StationDeps['createBackend'] = (serverUrl, _certificate, observer, { probe }) => {
    const id = `${probe ? 'probe' : 'backend'}-${++backends}`;
    const api = createApiClient({ baseUrl: serverUrl, fetch, observer, newIdempotencyKey: () => 'k'.repeat(16), sleep: async () => undefined, retry: { attempts: 1 } });
    return { ...api, close: () => closed.push(id) } satisfies BackendClient;
  };
  const openPkcs12 = (_pfx: Uint8Array, passphrase: string): Pkcs12Result =>
    passphrase === PASSPHRASE ? { ok: true, value: certificate(options.certificateNotAfter) } : { ok: false, code: 'P12_PASSPHRASE_WRONG', message: 'x' };
  const uiEvents: UiEvents = { emit: (event, payload) => events.push([event, payload]) };
  const timers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
  const log: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return {
    requests,
    events,
    closed,
    setRoute: (next: Route) => {
      route = next;
    },
    deps: (dir: string, chosenFile: string | undefined, secrets = createFakeSecretStore()): StationDeps => ({
      configStore: createStationConfigStore({ dir, secrets }),
      fileChooser: { choosePkcs12: async () => chosenFile },
      events: uiEvents,
      clock: { now: () => NOW },
      timers,
      log,
      defaultServerUrl: 'https://localhost:8443',
      createBackend,
      openPkcs12,
    }),
  };
}

const importArgs = { serverUrl: 'https://kasse.example.de:8443/', passphrase: PASSPHRASE, settings: DEFAULT_STATION_SETTINGS };

describe('station setup', () => {
  let dir: string;
  let configDir: string;
  let p12File: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'station-'));
    configDir = path.join(dir, 'config');
    p12File = path.join(dir, 'outlet-a-kasse-1.p12');
    await writeFile(p12File, Buffer.from('pretend-pkcs12'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts unconfigured and offers the default server', async () => {
    const h = harness();
    const station = createStation(h.deps(configDir, p12File));
    await station.start();
    expect(station.setupState()).toEqual({ configured: false, defaultServerUrl: 'https://localhost:8443' });
    expect(station.backend()).toBeUndefined();
    expect(station.connectivity()).toBe('unknown');
  });

  it('asks for the file first, and keeps its bytes in main (the renderer learns the name only)', async () => {
    const h = harness();
    const station = createStation(h.deps(configDir, p12File));
    expect(await station.importCertificate(importArgs)).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_CHOSEN' } });
    expect(await station.chooseCertificate()).toEqual({ ok: true, value: { fileName: 'outlet-a-kasse-1.p12' } });
    expect(station.setupState().pendingCertificate).toEqual({ fileName: 'outlet-a-kasse-1.p12' });
  });

  it('answers a cancelled dialog with null and an unreadable or huge file with a code', async () => {
    expect(await createStation(harness().deps(configDir, undefined)).chooseCertificate()).toEqual({ ok: true, value: null });
    expect(await createStation(harness().deps(configDir, path.join(dir, 'missing.p12'))).chooseCertificate()).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_FILE_UNREADABLE' } });
    const huge = path.join(dir, 'huge.p12');
    await writeFile(huge, Buffer.alloc(70_000));
    expect(await createStation(harness().deps(configDir, huge)).chooseCertificate()).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_FILE_TOO_LARGE' } });
  });

  it.each([
    ['an http address', { serverUrl: 'http://kasse.example.de' }, 'SERVER_URL_INVALID'],
    ['a wrong passphrase', { passphrase: 'falsch' }, 'P12_PASSPHRASE_WRONG'],
  ])('saves nothing for %s', async (_name, change, code) => {
    const h = harness();
    const station = createStation(h.deps(configDir, p12File));
    await station.chooseCertificate();
    expect(await station.importCertificate({ ...importArgs, ...change })).toMatchObject({ ok: false, error: { code } });
    await expect(readdir(configDir)).rejects.toThrow();
    expect(h.requests).toEqual([]);
  });

  it('refuses an expired certificate before asking the server', async () => {
    const h = harness({ certificateNotAfter: '2030-05-01T00:00:00.000Z' });
    const station = createStation(h.deps(configDir, p12File));
    await station.chooseCertificate();
    expect(await station.importCertificate(importArgs)).toMatchObject({ ok: false, error: { code: 'CLIENT_CERT_EXPIRED' } });
    expect(h.requests).toEqual([]);
  });

  it('saves nothing when the server does not accept the certificate', async () => {
    for (const [status, code] of [[403, 'WORKSTATION_UNKNOWN'], [403, 'WORKSTATION_REVOKED'], [401, 'CLIENT_CERT_UNTRUSTED']] as const) {
      const h = harness({ route: (_m, p) => (p === '/api/v1/whoami' ? { status, body: { status, code } } : undefined) });
      const station = createStation(h.deps(configDir, p12File));
      await station.chooseCertificate();
      expect(await station.importCertificate(importArgs)).toMatchObject({ ok: false, error: { code } });
      expect(h.closed).toEqual(['probe-1']);
      expect(station.setupState().configured).toBe(false);
      await expect(readdir(configDir)).rejects.toThrow();
    }
  });

  it('proves the certificate against the server, saves the setup and connects', async () => {
    const h = harness();
    const station = createStation(h.deps(configDir, p12File));
    await station.chooseCertificate();
    const result = await station.importCertificate(importArgs);
    expect(result).toEqual({
      ok: true,
      value: {
        serverUrl: 'https://kasse.example.de:8443',
        settings: DEFAULT_STATION_SETTINGS,
        certificate: { fileName: 'outlet-a-kasse-1.p12', subject: 'O=Outlet A\nCN=kasse-1', fingerprint256: 'AA:BB', notAfter: '2031-01-01T00:00:00.000Z' },
        workstation: { id: whoami.workstation.id, name: 'kasse-1', tenant: whoami.tenant },
      },
    });
    expect(h.requests).toEqual(['GET /api/v1/whoami', 'GET /health/ready']);
    const state = station.setupState();
    expect(state.configured).toBe(true);
    expect(state.pendingCertificate).toBeUndefined();
    expect(JSON.stringify(state)).not.toContain(PASSPHRASE);
    expect(await readFile(path.join(configDir, 'station.json'), 'utf8')).not.toContain(PASSPHRASE);
    expect(station.connectivity()).toBe('online');
    expect(h.events).toEqual([['connectivityChanged', { state: 'online' }]]);
    expect(await station.backend()!.auth.login({ login: 'kasse', password: 'x' })).toMatchObject({ ok: true });
  });

  it('restores the saved setup on the next start, before anything else is answered', async () => {
    const secrets = createFakeSecretStore();
    const first = createStation(harness().deps(configDir, p12File, secrets));
    await first.chooseCertificate();
    await first.importCertificate(importArgs);

    const next = createStation(harness().deps(configDir, undefined, secrets));
    const starting = next.start();
    await next.ready();
    await starting;
    expect(next.setupState()).toMatchObject({ configured: true, station: { workstation: { name: 'kasse-1' } } });
    expect(next.backend()).toBeDefined();
  });

  it('reports an unusable stored setup instead of pretending to be configured', async () => {
    const secrets = createFakeSecretStore();
    const first = createStation(harness().deps(configDir, p12File, secrets));
    await first.chooseCertificate();
    await first.importCertificate(importArgs);
    const otherUser = createStation(harness().deps(configDir, undefined, createFakeSecretStore()));
    await otherUser.start();
    expect(otherUser.setupState()).toMatchObject({ configured: false, problem: 'PASSPHRASE_UNDECRYPTABLE' });
  });

  it('changes mode, printer and scanner of a set-up station only', async () => {
    const h = harness();
    const station = createStation(h.deps(configDir, p12File));
    const settings = { mode: 'entry' as const, printer: { name: 'Drucker 2', offsetXTenthMm: -15, offsetYTenthMm: 7 }, scanner: { kind: 'hid' as const, vendorId: 0x05e0, productId: 0x1200 } };
    expect(await station.saveSettings(settings)).toMatchObject({ ok: false, error: { code: 'STATION_NOT_CONFIGURED' } });
    await station.chooseCertificate();
    await station.importCertificate(importArgs);
    expect(await station.saveSettings(settings)).toMatchObject({ ok: true, value: { settings } });
    expect(JSON.parse(await readFile(path.join(configDir, 'station.json'), 'utf8')).settings).toEqual(settings);
  });

  it('forwards session ends of the current client only, and logs out on shutdown', async () => {
    const h = harness();
    const station = createStation(h.deps(configDir, p12File));
    await station.chooseCertificate();
    await station.importCertificate(importArgs);
    const first = station.backend()!;
    await first.auth.login({ login: 'kasse', password: 'x' });
    h.setRoute((_m, p) => (p === '/api/v1/auth/me' ? { status: 401, body: { status: 401, code: 'SESSION_ENDED', reason: 'superseded' } } : undefined));
    await first.auth.me();
    expect(h.events.at(-1)).toEqual(['sessionEnded', { code: 'SESSION_ENDED', reason: 'superseded' }]);

    // A second setup replaces the client; the old one's events no longer reach the window.
    h.setRoute(() => undefined);
    await station.chooseCertificate();
    await station.importCertificate(importArgs);
    expect(station.backend()).not.toBe(first);
    h.setRoute((_m, p) => (p === '/api/v1/auth/me' ? { status: 401, body: { status: 401, code: 'SESSION_EXPIRED' } } : undefined));
    await first.auth.login({ login: 'kasse', password: 'x' });
    const before = h.events.length;
    await first.auth.me();
    expect(h.events.length).toBe(before);

    h.setRoute(() => undefined);
    await station.backend()!.auth.login({ login: 'kasse', password: 'x' });
    h.requests.length = 0;
    await station.shutdown();
    expect(h.requests).toEqual(['POST /api/v1/auth/logout']);
    expect(h.closed.at(-1)).toBe('backend-4');
  });
});
