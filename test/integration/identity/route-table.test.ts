import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission } from '../../../src/shared/domain/permissions.js';
import { testBackends } from '../../support/backends.js';
import { apiClient, createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { httpsRequest } from '../../support/https.js';
import { insertBlankBatch } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Generated over the server's route table, so every new route is covered without writing a test for it:
 * - every /api route refuses a request without a client certificate;
 * - every route that needs a session refuses one without it, and one without the declared right;
 * - every route with an object id in its path answers another tenant's id exactly like a missing id (404).
 * A new path parameter needs an entry in OTHER_TENANT_OBJECTS below, or this test fails.
 */
const ALL: Permission[] = PERMISSIONS.filter((p) => p !== 'tenants.manage');
// Bodies that pass the schema of routes with required fields, so that the request reaches the id check.
const VALID_BODIES: Record<string, unknown> = {
  'PUT /api/v1/workstations/:workstationId/sign-in-rules': { userIds: [], groupDns: [] },
  'POST /api/v1/events/:eventId/status': { status: 'cancelled' },
  'POST /api/v1/events/:eventId/categories': { name: 'Test', priceCents: 100, capacity: 1 },
  'POST /api/v1/events/:eventId/categories/:categoryId/variants': { name: 'Test', priceCents: 100 },
  'POST /api/v1/events/:eventId/seats': { definition: 'Block A rows 1 seats 1 category "Test"' },
  'POST /api/v1/entry-lists/:entryListId/offline-scans': { scans: [{ nonce: 'n'.repeat(20), code: '1', gate: 'A', scannedAt: '2026-12-01T00:00:00Z', shownVerdict: 'admitted' }] },
  'POST /api/v1/payments/:transactionId/assign': { invoiceId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c' },
  'POST /api/v1/payments/:transactionId/discard': { reason: 'Test' },
  'POST /api/v1/tickets/:ticketId/reprint': { reason: 'damaged' },
  'POST /api/v1/print-jobs/:printJobId/spoil': { blankNumbers: [1], reason: 'paper_jam' },
  'PUT /api/v1/printing/workstations/:workstationId/settings': { reusePartialSheets: true },
  'POST /api/v1/intrusion/blocks/:blockId/lift': { reason: 'Test' },
};

for (const backend of testBackends()) {
  describe(`every API route (${backend})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let noRights: ApiClient;
    const foreign: Record<string, string> = {};

    beforeAll(async () => {
      server = await startTestServer(backend);
      // Tenant A: an administrator with every right, and a user with none.
      const adminUser = await createUser(server, server.tenants.outlet, 'a.admin', ALL);
      admin = await loginAs(server, server.workstation, adminUser);
      // An open till, so that GET /v1/till/current has something to list.
      await openTill(server, server.tenants.outlet, server.workstation.id, adminUser.id);
      const ws2 = await server.registerWorkstation(server.tenants.outlet, 'kasse-2');
      noRights = await loginAs(server, ws2, await createUser(server, server.tenants.outlet, 'a.niemand', []));
      // Tenant B (a sibling outlet): one object of each kind.
      const wsB = await server.registerWorkstation(server.tenants.outletB, 'kasse-b');
      const userB = await createUser(server, server.tenants.outletB, 'b.kasse', ['users.manage', 'audit.view']);
      const b = await loginAs(server, wsB, userB);
      const sessionB = await server.tdb.asAdmin((db) => db('sessions').where({ user_id: userB.id }).whereNull('ended_at').first<{ id: string }>('id'));
      foreign['userId'] = userB.id;
      foreign['sessionId'] = sessionB.id;
      foreign['workstationId'] = wsB.id;
      // A sale of tenant B (order) and a hold of tenant B.
      const fx = await createSalesFixture(server, { sellers: [server.tenants.outletB], rows: 1, seatsPerRow: 4 });
      const clerkB = await createUser(server, server.tenants.outletB, 'b.verkauf', ['sales.sell', 'tickets.print']);
      const wsB2 = await server.registerWorkstation(server.tenants.outletB, 'kasse-b2');
      await openTill(server, server.tenants.outletB, wsB2.id, clerkB.id);
      const sellerB = await loginAs(server, wsB2, clerkB);
      const orderB = await httpsRequest({
        port: server.port,
        path: '/api/v1/orders',
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: wsB2.certPem, key: wsB2.keyPem },
        headers: { authorization: `Bearer ${sellerB.token}`, 'idempotency-key': newKey() },
        body: { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'cash', givenCents: 3500 } },
      });
      expect(orderB.status).toBe(201);
      foreign['orderId'] = orderB.json.id;
      foreign['ticketId'] = orderB.json.tickets[0].id;
      // Its print job, on outlet B's paper.
      await insertBlankBatch(server, server.tenants.outletB, 1, 3, clerkB.id);
      expect((await sellerB.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 1 })).status).toBe(200);
      const jobB = await sellerB.request('POST', `/api/v1/orders/${orderB.json.id}/print-jobs`, {}, { 'idempotency-key': newKey() });
      expect(jobB.status).toBe(201);
      foreign['printJobId'] = jobB.json.id;
      const holdB = await sellerB.request('POST', '/api/v1/holds', { eventId: fx.eventId, seats: [fx.seatIds[0]] });
      expect(holdB.status).toBe(201);
      foreign['holdId'] = holdB.json.id;
      // A closed till of tenant B (its Z report).
      const closingB = await sellerB.request('POST', '/api/v1/till/close', { countedCashCents: 13_500 });
      expect(closingB.status).toBe(200);
      foreign['tillSessionId'] = closingB.json.tillSessionId;
      // The promoter's event that tenant B sells, one of its categories, and tenant B's sales right on it.
      foreign['eventId'] = fx.eventId;
      foreign['categoryId'] = fx.gaCategoryId;
      foreign['outletId'] = server.tenants.outletB;
      // Tenant B's draft invoice and an escrow transaction it booked; tenant B itself for the billing terms.
      foreign['tenantId'] = server.tenants.outletB;
      await server.tdb.asAdmin(async (db) => {
        const [invoice] = await db('invoices').insert({ tenant_id: server.tenants.outletB, kind: 'outlet_settlement', status: 'draft', created_at: new Date(), created_by: userB.id }).returning<Array<{ id: string }>>('id');
        foreign['invoiceId'] = invoice!.id;
        const [tx] = await db('escrow_transactions')
          .insert({ tenant_id: server.tenants.outletB, source: 'manual', booking_date: '2026-12-04', amount_cents: 100, currency: 'EUR', status: 'unmatched', created_at: new Date(), created_by: userB.id })
          .returning<Array<{ id: string }>>('id');
        foreign['transactionId'] = tx!.id;
      });
      // An entry list of the promoter whose event tenant B sells.
      const promoterUser = await createUser(server, fx.promoterId, 'p.einlass', ['events.manage']);
      await server.tdb.asAdmin(async (db) => {
        const [list] = await db('entry_lists')
          .insert({ tenant_id: fx.promoterId, event_id: fx.eventId, name: 'Alle', scan_list_key: Buffer.alloc(32, 1), created_at: new Date(), created_by: promoterUser.id })
          .returning<Array<{ id: string }>>('id');
        foreign['entryListId'] = list!.id;
      });
      // A block of intrusion prevention: platform-wide, so it is nobody's but the operator's to see.
      await server.tdb.asAdmin(async (db) => {
        const at = new Date();
        const [block] = await db('intrusion_blocks')
          .insert({ source: '192.0.2.99', trigger: 'scan', level: 0, signals: JSON.stringify({ windowSeconds: 1, threshold: 1, counts: {}, samples: [] }), blocked_at: at, blocked_until: new Date(at.getTime() + 60_000) })
          .returning<Array<{ id: string }>>('id');
        foreign['blockId'] = block!.id;
      });
      expect((await b.request('GET', '/api/v1/auth/me')).status).toBe(200);
    });
    afterAll(async () => {
      await server.close();
    });

    const apiRoutes = () => server.app.routeTable.filter((r) => r.url.startsWith('/api/'));
    const fill = (url: string, ids: Record<string, string>) =>
      url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
        const id = ids[name];
        if (id === undefined) throw new Error(`route ${url}: no fixture for path parameter :${name} — add one to this test`);
        return id;
      });
    const randomIds = new Proxy({}, { get: () => '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c' });

    it('has a declared audience for every API route', () => {
      expect(apiRoutes().length).toBeGreaterThan(10);
      for (const route of apiRoutes()) expect(route.auth, `${route.method} ${route.url}`).toBeDefined();
    });

    it('refuses every API route without a client certificate', async () => {
      for (const route of apiRoutes()) {
        const res = await httpsRequest({ port: server.port, path: fill(route.url, randomIds), method: route.method, ca: server.pki.ca.certPem, ...(route.method === 'GET' ? {} : { body: {} }) });
        expect(res.status, `${route.method} ${route.url}`).toBe(401);
        expect(res.json.code).toBe('CLIENT_CERT_REQUIRED');
      }
    });

    it('refuses every session route without a session and without its right', async () => {
      const anonymous = apiClient(server, server.workstation);
      for (const route of apiRoutes()) {
        if (route.auth?.kind !== 'session') continue;
        const path = fill(route.url, randomIds);
        const body = route.method === 'GET' ? undefined : {};
        const res = await anonymous.request(route.method, path, body);
        expect(res.status, `${route.method} ${route.url}`).toBe(401);
        expect(res.json.code).toBe('SESSION_REQUIRED');
        if (route.auth.permission !== undefined) {
          const forbidden = await noRights.request(route.method, path, body);
          expect(forbidden.status, `${route.method} ${route.url}`).toBe(403);
          expect(forbidden.json.code).toBe('FORBIDDEN');
        }
      }
    });

    it("answers another tenant's object ids exactly like missing ones", async () => {
      const withIds = apiRoutes().filter((r) => r.url.includes(':'));
      expect(withIds.length).toBeGreaterThan(5);
      for (const route of withIds) {
        const body =
          route.method === 'GET' || route.method === 'DELETE'
            ? undefined
            : route.url.endsWith('/permissions')
              ? { permissions: [] }
              : route.url.endsWith('/revoke') || route.url.endsWith('/cancel')
                ? { reason: 'Test' }
                : (VALID_BODIES[`${route.method} ${route.url}`] ?? {});
        const headers = route.method === 'POST' ? { 'idempotency-key': newKey() } : {};
        const missing = await admin.request(route.method, fill(route.url, randomIds), body, headers);
        const other = await admin.request(route.method, fill(route.url, foreign), body, headers);
        expect(missing.status, `${route.method} ${route.url} (missing)`).toBe(404);
        expect(other.status, `${route.method} ${route.url} (other tenant)`).toBe(404);
        expect({ code: other.json.code, detail: other.json.detail }).toEqual({ code: missing.json.code, detail: missing.json.detail });
      }
      // Nothing of tenant B changed.
      const sessionB = await server.tdb.asAdmin((db) => db('sessions').where({ id: foreign['sessionId'] }).first('ended_at'));
      expect(sessionB).toEqual({ ended_at: null });
      const wsB = await server.tdb.asAdmin((db) => db('workstations').where({ id: foreign['workstationId'] }).first('revoked_at'));
      expect(wsB).toEqual({ revoked_at: null });
    });

    it("never lists another tenant's objects", async () => {
      // tenants.manage belongs to the operator, who sees its sub-tenants by design (tested separately);
      // intrusion.manage lists platform-wide blocks to operator staff only (test/integration/intrusion).
      const listing = apiRoutes().filter((r) => r.method === 'GET' && !r.url.includes(':') && r.auth?.kind === 'session' && r.auth.permission !== 'tenants.manage' && r.auth.permission !== 'intrusion.manage');
      for (const route of listing) {
        const res = await admin.request('GET', route.url);
        expect(res.status, route.url).toBe(200);
        for (const id of Object.values(foreign)) expect(res.body, `${route.url} leaks ${id}`).not.toContain(id);
      }
    });

    it('does not let a user grant a right it lacks or create users in another tenant', async () => {
      const clerkMgr = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'a.teilchef', ['users.manage', 'sales.sell']));
      const tooMuch = await clerkMgr.request('POST', '/api/v1/users', { login: 'a.neu', displayName: 'Neu', permissions: ['sales.sell', 'tickets.reprint'] });
      expect(tooMuch.status).toBe(403);
      expect(tooMuch.json.code).toBe('GRANT_EXCEEDS_OWN_RIGHTS');
      const ok = await clerkMgr.request('POST', '/api/v1/users', { login: 'a.neu', displayName: 'Neu', permissions: ['sales.sell'] });
      expect(ok.status).toBe(201);
      const escalate = await clerkMgr.request('PUT', `/api/v1/users/${ok.json.user.id}/permissions`, { permissions: ['sales.sell', 'audit.view'] });
      expect(escalate.json.code).toBe('GRANT_EXCEEDS_OWN_RIGHTS');
      const elsewhere = await clerkMgr.request('POST', '/api/v1/users', { tenantId: server.tenants.outletB, login: 'b.neu', displayName: 'Neu', permissions: [] });
      expect(elsewhere.status).toBe(404);
      const operatorOnly = await admin.request('POST', '/api/v1/users', { login: 'a.op', displayName: 'Op', permissions: ['tenants.manage'] });
      expect(operatorOnly.status).toBe(403);
      const taken = await clerkMgr.request('POST', '/api/v1/users', { login: 'b.kasse', displayName: 'Doppelt', permissions: [] });
      expect(taken.status).toBe(409);
      expect(taken.json.code).toBe('LOGIN_TAKEN');
    });
  });
}
