import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../server/src/app.js';
import { fixedClock } from '../../../server/src/clock.js';
import { MAINTENANCE_STOPPED_ROUTES } from '../../../server/src/modules/maintenance/guard.js';
import { testAppConfig } from '../../support/app-config.js';
import { testBackends } from '../../support/backends.js';
import { runCli } from '../../support/cli.js';
import { httpsRequest } from '../../support/https.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const HOUR = 3600_000;

for (const backend of testBackends()) {
  describe(`maintenance mode (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let fx: SalesFixture;
    let operator: ApiClient;
    let clerk: ApiClient;
    let gate: ApiClient;
    let entryListId: string;
    let second: { app: App; port: number };

    const order = (client: ApiClient = clerk) =>
      client.request('POST', '/api/v1/orders', { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'cash', givenCents: 3500 } }, { 'idempotency-key': newKey() });
    const orderCount = () => server.tdb.asAdmin(async (db) => Number((await db('orders').count<Array<{ n: number }>>('* as n'))[0]!.n));
    const auditActions = () => server.tdb.asAdmin((db) => db('audit_log').where('action', 'like', 'maintenance.%').orderBy('at').orderBy('seq').pluck('action'));

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      fx = await createSalesFixture(server);
      // Operator staff at an operator workstation; a clerk with an open till; a gate of the promoter.
      const opWs = await server.registerWorkstation(server.tenants.operator, 'leitstelle');
      operator = await loginAs(server, opWs, await createUser(server, server.tenants.operator, 'o.admin', ['tenants.manage']));
      const clerkUser = await createUser(server, server.tenants.outlet, 'k.verkauf', ['sales.sell', 'sales.cancel', 'tickets.print']);
      await openTill(server, server.tenants.outlet, server.workstation.id, clerkUser.id);
      clerk = await loginAs(server, server.workstation, clerkUser);
      const gateWs = await server.registerWorkstation(fx.promoterId, 'einlass-1');
      gate = await loginAs(server, gateWs, await createUser(server, fx.promoterId, 'e.einlass', ['entry.scan', 'events.manage']));
      const list = await gate.request('POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'Alle' });
      expect(list.status).toBe(201);
      entryListId = list.json.id;
      // A second server instance on the same database that re-reads the switch on every request.
      const app = await buildApp({
        config: testAppConfig(),
        db: server.tdb.db,
        clock,
        maintenanceCacheMs: 0,
        tls: { cert: server.pki.server.certPem, key: server.pki.server.keyPem, ca: server.pki.ca.certPem },
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      second = { app, port: typeof address === 'object' && address !== null ? address.port : 0 };
    });

    afterAll(async () => {
      await second?.app.close();
      await server?.close();
    });

    it('lists only routes that exist', () => {
      const routes = new Set(server.app.routeTable.map((r) => `${r.method} ${r.url}`));
      for (const route of MAINTENANCE_STOPPED_ROUTES) expect(routes.has(route), route).toBe(true);
    });

    it('reports no window while none is set', async () => {
      const status = await clerk.request('GET', '/api/v1/system/status');
      expect(status.status).toBe(200);
      expect(status.json.maintenance).toEqual({ active: false, from: null, until: null, message: null });
    });

    it('lets only operator staff switch it, and refuses bad windows without changing anything', async () => {
      expect((await clerk.request('PUT', '/api/v1/system/maintenance', { message: 'x' })).status).toBe(403);
      // tenants.manage cannot be granted to an outlet; even if it were, an outlet workstation is refused.
      const outletAdmin = await loginAs(server, await server.registerWorkstation(server.tenants.outlet, 'kasse-9'), await createUser(server, server.tenants.outlet, 'k.chef', ['tenants.manage']));
      expect((await outletAdmin.request('PUT', '/api/v1/system/maintenance', { message: 'x' })).json.code).toBe('FORBIDDEN');
      const past = await operator.request('PUT', '/api/v1/system/maintenance', { message: 'Wartung', until: new Date(clock.now().getTime() - 60_000).toISOString() });
      expect([past.status, past.json.code]).toEqual([400, 'MAINTENANCE_WINDOW_INVALID']);
      const reversed = await operator.request('PUT', '/api/v1/system/maintenance', { message: 'Wartung', from: new Date(clock.now().getTime() + 2 * HOUR).toISOString(), until: new Date(clock.now().getTime() + HOUR).toISOString() });
      expect(reversed.json.code).toBe('MAINTENANCE_WINDOW_INVALID');
      expect((await operator.request('PUT', '/api/v1/system/maintenance', { message: '   ' })).json.code).toBe('MAINTENANCE_WINDOW_INVALID');
      expect((await operator.request('PUT', '/api/v1/system/maintenance', { message: 'x', extra: 1 })).status).toBe(400);
      expect((await clerk.request('GET', '/api/v1/system/status')).json.maintenance.active).toBe(false);
      expect(await auditActions()).toEqual([]);
    });

    it('stops sales on every instance while entry, reads and closing work; off again lets sales through', async () => {
      const until = new Date(clock.now().getTime() + 2 * HOUR);
      const on = await operator.request('PUT', '/api/v1/system/maintenance', { message: 'Wartung bis 04:00 Uhr, Einlass läuft weiter', until: until.toISOString() });
      expect(on.status).toBe(200);
      expect(on.json).toEqual({ active: true, from: clock.now().toISOString(), until: until.toISOString(), message: 'Wartung bis 04:00 Uhr, Einlass läuft weiter' });

      const before = await orderCount();
      const refused = await order();
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({ code: 'MAINTENANCE', detail: 'Wartung bis 04:00 Uhr, Einlass läuft weiter', until: until.toISOString(), retryAfterSeconds: 7200 });
      expect(refused.headers['retry-after']).toBe('7200');
      expect((await clerk.request('POST', '/api/v1/holds', { eventId: fx.eventId, seats: [fx.seatIds[0]] })).json.code).toBe('MAINTENANCE');
      expect((await clerk.request('POST', '/api/v1/till/open', { openingFloatCents: 0 })).json.code).toBe('MAINTENANCE');
      expect(await orderCount()).toBe(before);

      // The other instance sees the same switch.
      const elsewhere = await httpsRequest({
        port: second.port,
        path: '/api/v1/orders',
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: server.workstation.certPem, key: server.workstation.keyPem },
        headers: { authorization: `Bearer ${clerk.token}`, 'idempotency-key': newKey() },
        body: { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'cash', givenCents: 3500 } },
      });
      expect([elsewhere.status, elsewhere.json.code]).toEqual([503, 'MAINTENANCE']);

      // Stations learn about it; reads and entry keep working.
      expect((await clerk.request('GET', '/api/v1/system/status')).json.maintenance).toMatchObject({ active: true, until: until.toISOString() });
      expect((await clerk.request('GET', `/api/v1/events/${fx.eventId}`)).status).toBe(200);
      const scan = await gate.request('POST', '/api/v1/check-ins', { entryListId, gate: 'Nord', code: '1234', nonce: 'm'.repeat(20) });
      expect([scan.status, scan.json.verdict]).toEqual([200, 'malformed']);
      expect((await gate.request('GET', `/api/v1/entry-lists/${entryListId}/scan-list`)).status).toBe(200);
      const upload = await gate.request('POST', `/api/v1/entry-lists/${entryListId}/offline-scans`, {
        scans: [{ nonce: 'o'.repeat(20), code: '5678', gate: 'Süd', scannedAt: clock.now().toISOString(), shownVerdict: 'malformed' }],
      });
      expect(upload.status).toBe(200);

      const off = await operator.request('DELETE', '/api/v1/system/maintenance');
      expect(off.json).toEqual({ cleared: true, maintenance: { active: false, from: null, until: null, message: null } });
      expect((await operator.request('DELETE', '/api/v1/system/maintenance')).json.cleared).toBe(false);
      expect((await order()).status).toBe(201);
      expect(await orderCount()).toBe(before + 1);
      expect(await auditActions()).toEqual(['maintenance.set', 'maintenance.clear']);
    });

    it('switches a scheduled window on and off by itself', async () => {
      // Within the session's idle limit (60 min), so the clerk stays logged in while the clock moves.
      const from = new Date(clock.now().getTime() + 30 * 60_000);
      const until = new Date(from.getTime() + 20 * 60_000);
      const scheduled = await operator.request('PUT', '/api/v1/system/maintenance', { message: 'Nachtwartung', from: from.toISOString(), until: until.toISOString() });
      expect(scheduled.json).toEqual({ active: false, from: from.toISOString(), until: until.toISOString(), message: 'Nachtwartung' });
      expect((await order()).status).toBe(201);
      clock.set(new Date(from.getTime() + 1000));
      const inside = await order();
      expect([inside.status, inside.json.code, inside.headers['retry-after']]).toEqual([503, 'MAINTENANCE', '1199']);
      clock.set(until);
      expect((await order()).status).toBe(201);
      expect((await clerk.request('GET', '/api/v1/system/status')).json.maintenance.active).toBe(false);
    });

    it.runIf(backend === 'postgres')('is switched from the command line, audited as the command line', async () => {
      const env = { DATABASE_URL: server.tdb.url!, BOXOFFICE_DATA_DIR: '/nonexistent-o2', NODE_ENV: 'test' };
      const until = new Date(Date.now() + 3 * HOUR).toISOString();
      const on = await runCli(['maintenance', 'on', '--until', until, '--message', 'Datenbankwartung'], env);
      expect(on.stderr).toBe('');
      expect(on.stdout).toContain('maintenance: ON, sales stopped');
      clock.set(new Date());
      expect((await second.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      const refused = await httpsRequest({
        port: second.port,
        path: '/api/v1/system/status',
        ca: server.pki.ca.certPem,
        identity: { cert: server.workstation.certPem, key: server.workstation.keyPem },
      });
      expect(refused.json.maintenance).toMatchObject({ active: true, message: 'Datenbankwartung' });
      expect((await runCli(['maintenance', 'status'], env)).stdout).toContain('Datenbankwartung');
      const bad = await runCli(['maintenance', 'on', '--until', 'tomorrow', '--message', 'x'], env);
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--until needs an ISO time')]);
      const off = await runCli(['maintenance', 'off'], env);
      expect(off.stdout).toContain('maintenance: off (window removed)');
      const audit = await server.tdb.asAdmin((db) => db('audit_log').where('action', 'like', 'maintenance.%').orderBy('at', 'desc').orderBy('seq', 'desc').limit(2).select('action', 'details', 'actor_user_id'));
      expect(audit.map((a) => [a.action, a.actor_user_id, String(a.details.via).startsWith('cli (')])).toEqual([
        ['maintenance.clear', null, true],
        ['maintenance.set', null, true],
      ]);
    });
  });
}
