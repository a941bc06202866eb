/**
 * The station's backend client against the real server over mutual TLS, on both databases: setup with
 * the workstation .p12, login and session facts, sessions ended elsewhere and by time, a write retried
 * across a server restart without acting twice, and revoked, unknown and foreign certificates.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendClient, type BackendClient } from '../../../src/main/services/backend-client.js';
import type { WorkstationCertificate } from '../../../src/main/services/pkcs12.js';
import { clientTlsPolicyOptions } from '../../../src/main/services/tls-client.js';
import { OrderView } from '../../../src/shared/api/sales.js';
import { DEFAULT_STATION_SETTINGS } from '../../../src/shared/ipc/station-settings.js';
import { buildApp, type App } from '../../../server/src/app.js';
import { fixedClock } from '../../../server/src/clock.js';
import { testAppConfig } from '../../support/app-config.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type TestUser } from '../../support/identity.js';
import { createSalesFixture, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { dropNextResponse, openP12, P12_PASSPHRASE, recordRequests, stationWith, workstationP12, type StationHarness } from './support.js';

const SESSIONS = { absoluteHours: 8, idleMinutes: 0 };

for (const backend of testBackends()) {
  describe(`station backend client over mTLS (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let restarted: App | undefined;
    let clerk: TestUser;
    let admin: TestUser;
    let p12: Buffer;
    let harness: StationHarness;
    let serverUrl: string;

    beforeAll(async () => {
      server = await startTestServer(backend, { clock, config: { sessions: SESSIONS } });
      serverUrl = `https://localhost:${server.port}`;
      clerk = await createUser(server, server.tenants.outlet, 'kasse.a', ['sales.sell']);
      admin = await createUser(server, server.tenants.outlet, 'chef.a', ['workstations.manage']);
      p12 = workstationP12(server.workstation, server.pki.ca.certPem);
      harness = await stationWith(p12);
    });

    afterAll(async () => {
      await harness?.cleanup();
      await restarted?.close();
      await server?.close();
    });

    const backendOf = (): BackendClient => {
      const client = harness.station.backend();
      if (client === undefined) throw new Error('station not set up');
      return client;
    };
    const sessionEnds = () => harness.events.filter((e) => e.event === 'sessionEnded').map((e) => e.payload);

    it('sets the station up with the .p12 only after the server accepted it, without the passphrase on disk', async () => {
      expect(await harness.station.chooseCertificate()).toEqual({ ok: true, value: { fileName: 'outlet-a-kasse-1.p12' } });
      const wrong = await harness.station.importCertificate({ serverUrl, passphrase: 'falsch-falsch', settings: DEFAULT_STATION_SETTINGS });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'P12_PASSPHRASE_WRONG' } });

      const result = await harness.station.importCertificate({ serverUrl, passphrase: P12_PASSPHRASE, settings: DEFAULT_STATION_SETTINGS });
      expect(result).toMatchObject({ ok: true, value: { serverUrl, workstation: { id: server.workstation.id, name: 'kasse-1', tenant: { id: server.tenants.outlet, code: 'outlet-a', kind: 'outlet' } } } });
      const configDir = path.join(harness.dir, 'config');
      for (const file of await readdir(configDir)) {
        const content = await readFile(path.join(configDir, file));
        expect(content.includes(Buffer.from(P12_PASSPHRASE)), file).toBe(false);
      }
      await harness.station.ready();
      await expect.poll(() => harness.station.connectivity()).toBe('online');
    });

    it('logs in and keeps the session token in main: the results carry session facts only', async () => {
      const login = await backendOf().auth.login({ login: clerk.login, password: clerk.password });
      expect(login).toMatchObject({ ok: true, value: { user: { login: 'kasse.a', tenantId: server.tenants.outlet }, permissions: ['sales.sell'], mustChangePassword: false } });
      expect(JSON.stringify(login)).not.toMatch(/token/i);
      expect(await backendOf().auth.me()).toMatchObject({ ok: true, value: { user: { login: 'kasse.a' } } });
      expect(await backendOf().system.whoami()).toMatchObject({ ok: true, value: { workstation: { id: server.workstation.id } } });
      expect(await backendOf().auth.login({ login: clerk.login, password: 'falsch' })).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', status: 401 } });
    });

    it('notices a session ended elsewhere (a login at another workstation) and says why', async () => {
      await backendOf().auth.login({ login: clerk.login, password: clerk.password });
      const elsewhere = await server.registerWorkstation(server.tenants.outlet, 'kasse-2');
      await loginAs(server, elsewhere, clerk);
      const me = await backendOf().auth.me();
      expect(me).toMatchObject({ ok: false, error: { code: 'SESSION_ENDED', reason: 'superseded' } });
      expect(sessionEnds().at(-1)).toEqual({ code: 'SESSION_ENDED', reason: 'superseded' });
      expect(backendOf().auth.hasSession()).toBe(false);
      expect(await backendOf().auth.me()).toMatchObject({ ok: false, error: { code: 'SESSION_REQUIRED', status: undefined } });
    });

    it('ends the session after 8 hours (server clock) and reports it', async () => {
      await backendOf().auth.login({ login: clerk.login, password: clerk.password });
      clock.advance(8 * 3600_000 + 1000);
      expect(await backendOf().auth.me()).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED', status: 401 } });
      expect(sessionEnds().at(-1)).toEqual({ code: 'SESSION_EXPIRED' });
    });

    it('logs out: the server ends the session, the client forgets it', async () => {
      await backendOf().auth.login({ login: clerk.login, password: clerk.password });
      expect(await backendOf().auth.logout()).toEqual({ ok: true, value: null });
      expect(backendOf().auth.hasSession()).toBe(false);
      const ended = await server.tdb.asAdmin((db) => db('sessions').where({ user_id: clerk.id }).orderBy('created_at', 'desc').first('end_reason'));
      expect(ended?.end_reason).toBe('logout');
    });

    describe('a sale retried across a server restart', () => {
      let fixture: SalesFixture;
      const sale = () => ({ eventId: fixture.eventId, channel: 'counter', items: [{ categoryId: fixture.gaCategoryId, quantity: 2 }], payment: { method: 'cash', givenCents: 10_000 } });

      beforeAll(async () => {
        fixture = await createSalesFixture(server, { gaCapacity: 20, rows: 1, seatsPerRow: 2 });
        await openTill(server, server.tenants.outlet, server.workstation.id, clerk.id);
      });

      it('sends the same Idempotency-Key again and the server creates the order once', async () => {
        const certificate = openP12(p12);
        const seenByFirst = recordRequests(server.app.server);
        const dropped = dropNextResponse(server.app.server, 'POST', '/api/v1/orders');
        let seenBySecond: ReturnType<typeof recordRequests> = [];
        const sleeps: number[] = [];
        const client = createBackendClient({
          serverUrl,
          certificate,
          clock: { now: () => new Date() },
          newIdempotencyKey: randomUUID,
          // The pause before the retry is where the server restarts: the old process is gone, a new one
          // with the same database answers the retry.
          sleep: async (ms) => {
            sleeps.push(ms);
            if (restarted !== undefined) return;
            await dropped;
            await server.app.close();
            restarted = await buildApp({ config: testAppConfig({ sessions: SESSIONS }), db: server.tdb.db, clock, tls: { cert: server.pki.server.certPem, key: server.pki.server.keyPem, ca: server.pki.ca.certPem } });
            seenBySecond = recordRequests(restarted.server);
            await restarted.listen({ host: '127.0.0.1', port: server.port });
          },
        });
        try {
          expect(await client.auth.login({ login: clerk.login, password: clerk.password })).toMatchObject({ ok: true });
          const result = await client.http.request({ method: 'POST', path: '/api/v1/orders', body: sale(), response: OrderView, auth: 'session', idempotent: true });
          expect(result).toMatchObject({ ok: true, value: { status: 'paid', totalCents: 7000 } });
          expect(sleeps).toHaveLength(1);

          const first = seenByFirst.filter((r) => r.url === '/api/v1/orders');
          const second = seenBySecond.filter((r) => r.url === '/api/v1/orders');
          expect(first).toHaveLength(1);
          expect(second).toHaveLength(1);
          const key = first[0]?.headers['idempotency-key'];
          expect(key).toMatch(/^[A-Za-z0-9_-]{16,100}$/);
          expect(second[0]?.headers['idempotency-key']).toBe(key);

          const orders = await server.tdb.asAdmin((db) => db('orders').where({ event_id: fixture.eventId }).select('id'));
          expect(orders).toHaveLength(1);
          expect(orders[0]?.id).toBe(result.ok ? result.value.id : undefined);
          const keys = await server.tdb.asAdmin((db) => db('idempotency_keys').where({ key }).select('status_code'));
          expect(keys).toEqual([{ status_code: 201 }]);
          const tickets = await server.tdb.asAdmin((db) => db('tickets').where({ category_id: fixture.gaCategoryId }).count<Array<{ count: number }>>('* as count'));
          expect(Number(tickets[0]?.count)).toBe(2);
        } finally {
          client.close();
        }
      });

      it('never repeats a write without a key: the lost answer is reported, not resent', async () => {
        const target = restarted ?? server.app;
        const seen = recordRequests(target.server);
        const dropped = dropNextResponse(target.server, 'POST', '/api/v1/auth/login');
        const client = createBackendClient({ serverUrl, certificate: openP12(p12), clock: { now: () => new Date() }, newIdempotencyKey: randomUUID, sleep: async () => undefined });
        try {
          const result = await client.auth.login({ login: clerk.login, password: clerk.password });
          await dropped;
          expect(result).toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
          expect(seen.filter((r) => r.url === '/api/v1/auth/login')).toHaveLength(1);
          expect(seen[0]?.headers['idempotency-key']).toBeUndefined();
        } finally {
          client.close();
        }
      });
    });

    describe('certificates the server refuses', () => {
      const clientWith = (certificate: WorkstationCertificate) =>
        createBackendClient({ serverUrl, certificate, clock: { now: () => new Date() }, newIdempotencyKey: randomUUID, sleep: async () => undefined });

      it('a certificate of another CA: CLIENT_CERT_UNTRUSTED', async () => {
        const foreign = await server.pki.client('fremd', { foreign: true });
        const certificate: WorkstationCertificate = {
          secureContext: createSecureContext({ ...clientTlsPolicyOptions(), cert: foreign.certPem, key: foreign.keyPem, ca: server.pki.ca.certPem }),
          leaf: { subject: 'CN=fremd', fingerprint256: foreign.fingerprint256, serialNumber: foreign.serialHex, notBefore: new Date(0), notAfter: foreign.notAfter },
        };
        const client = clientWith(certificate);
        expect(await client.system.whoami()).toMatchObject({ ok: false, error: { code: 'CLIENT_CERT_UNTRUSTED', status: 401 } });
        client.close();
      });

      it('a platform certificate of no registered workstation: refused at setup, nothing saved', async () => {
        const unknown = await server.pki.client('kasse-unbekannt');
        const other = await stationWith(workstationP12(unknown, server.pki.ca.certPem));
        try {
          await other.station.chooseCertificate();
          expect(await other.station.importCertificate({ serverUrl, passphrase: P12_PASSPHRASE, settings: DEFAULT_STATION_SETTINGS })).toMatchObject({ ok: false, error: { code: 'WORKSTATION_UNKNOWN' } });
          expect(other.station.setupState().configured).toBe(false);
          await expect(readdir(path.join(other.dir, 'config'))).rejects.toThrow();
        } finally {
          await other.cleanup();
        }
      });

      it('a revoked workstation: the session ends at once and every request is refused', async () => {
        expect(await backendOf().auth.login({ login: clerk.login, password: clerk.password })).toMatchObject({ ok: true });
        const adminPc = await server.registerWorkstation(server.tenants.outlet, 'chef-pc');
        const chef = await loginAs(server, adminPc, admin);
        const revoke = await chef.request('POST', `/api/v1/workstations/${server.workstation.id}/revoke`, { reason: 'Gerät gestohlen' });
        expect(revoke.status).toBe(204);

        expect(await backendOf().auth.me()).toMatchObject({ ok: false, error: { code: 'WORKSTATION_REVOKED', status: 403 } });
        expect(sessionEnds().at(-1)).toEqual({ code: 'WORKSTATION_REVOKED' });
        expect(await backendOf().system.whoami()).toMatchObject({ ok: false, error: { code: 'WORKSTATION_REVOKED' } });
        expect(await backendOf().auth.login({ login: clerk.login, password: clerk.password })).toMatchObject({ ok: false, error: { code: 'WORKSTATION_REVOKED' } });
      });
    });
  });
}
