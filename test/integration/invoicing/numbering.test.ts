import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../server/src/clock.js';
import { createInvoicingService, localDay, type InvoicingActor } from '../../../server/src/modules/invoicing/service.js';
import { createPdfRenderer } from '../../../server/src/pdf/renderer.js';
import type { Permission } from '../../../src/shared/domain/permissions.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { insertBusinessOrder, profileOf } from '../../support/invoicing-fixtures.js';
import { createSalesFixture, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const RIGHTS: Permission[] = ['invoices.view', 'invoices.issue', 'users.manage'];
const year = localDay(new Date()).slice(0, 4);

for (const backend of testBackends()) {
  describe(`invoice numbers: gapless from a row-locked counter (${backend})`, () => {
    let server: TestServer;
    let fx: SalesFixture;
    let clients: ApiClient[];
    let userId: string;

    const draft = async (client: ApiClient) => {
      const order = await insertBusinessOrder(server, { tenantId: server.tenants.outlet, userId, workstationId: server.workstation.id, fx, tickets: [{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity: 1 }] });
      const res = await client.request('POST', '/api/v1/invoices/business-orders', { orderId: order.id });
      expect(res.status, res.body).toBe(201);
      return res.json.id as string;
    };
    const counter = () => server.tdb.asAdmin(async (db: Knex) => (await db('invoice_counters').where({ tenant_id: server.tenants.outlet, series: 'invoice' }).first('next_number'))?.next_number as number | undefined);

    beforeAll(async () => {
      // Issues of one tenant take turns on the counter row (each renders its PDF inside the turn): the last
      // of 50 simultaneous requests waits for the other 49, longer than the tests' usual 10 s request limit.
      // Errors are logged, so that a failure under load names its cause.
      server = await startTestServer(backend, { config: { requestTimeoutMs: 60_000, logLevel: 'error' } });
      fx = await createSalesFixture(server, { gaCapacity: 1000 });
      // Several people at several workstations of one outlet issue at the same time.
      clients = [];
      for (let i = 0; i < 5; i += 1) {
        const user = await createUser(server, server.tenants.outlet, `buchhaltung.${i}`, RIGHTS);
        if (i === 0) userId = user.id;
        const ws = i === 0 ? server.workstation : await server.registerWorkstation(server.tenants.outlet, `buero-${i}`);
        clients.push(await loginAs(server, ws, user));
      }
      const res = await clients[0]!.request('PUT', '/api/v1/billing-profile', profileOf('Vorverkauf A GmbH'));
      expect(res.status).toBe(200);
    });
    afterAll(async () => {
      await server.close();
    });

    const actor = (): InvoicingActor => ({
      userId,
      tenantId: server.tenants.outlet,
      tenantKind: 'outlet',
      permissions: new Set(RIGHTS),
      workstation: { id: server.workstation.id, tenantId: server.tenants.outlet, fingerprint: server.workstation.fingerprint256, sourceIp: '127.0.0.1' },
    });

    it('gives a rolled-back issue its number back', async () => {
      const id = await draft(clients[0]!);
      // The same service with a PDF renderer that fails after the number has been taken.
      const broken = createInvoicingService({ knex: server.tdb.db.knex, clock: systemClock, pdf: { render: () => Promise.reject(new Error('renderer failed')) } });
      await expect(broken.issue(actor(), id)).rejects.toThrow(/renderer failed/);
      expect(await counter()).toBeUndefined();
      const still = await clients[0]!.request('GET', `/api/v1/invoices/${id}`);
      expect(still.json).toMatchObject({ status: 'draft', number: null });
      const issued = await clients[0]!.request('POST', `/api/v1/invoices/${id}/issue`, {});
      expect(issued.json.numberLabel).toBe(`RE-${year}-000001`);
      expect(await counter()).toBe(2);
    });

    if (backend === 'postgres') {
      it('numbers 50 invoices issued concurrently by several clients 2..51, and 8 more raced past the queue 52..59, without gaps or duplicates', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 50; i += 1) ids.push(await draft(clients[i % clients.length]!));
        // A request that waited too long for the counter gets 503 BUSY_RETRY with nothing changed; clients retry.
        const issue = async (client: ApiClient, id: string) => {
          for (let attempt = 0; ; attempt += 1) {
            const res = await client.request('POST', `/api/v1/invoices/${id}/issue`, {});
            if (res.status !== 503 || attempt === 3) return res;
          }
        };
        // Open the pool's connections first, so that the burst measures issuing, not connecting.
        await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % clients.length]!.request('GET', '/api/v1/invoices?limit=1')));
        const results = await Promise.all(ids.map((id, i) => issue(clients[i % clients.length]!, id)));
        for (const r of results) expect(r.status, r.body).toBe(200);
        const numbers = results.map((r) => r.json.number as number).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
        expect(new Set(results.map((r) => r.json.numberLabel)).size).toBe(50);
        const stored = await server.tdb.asAdmin((db: Knex) => db('invoices').where({ tenant_id: server.tenants.outlet }).whereNot({ status: 'draft' }).orderBy('number').pluck('number'));
        expect(stored).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
        // The HTTP service queues a tenant's issues in process; without that queue (several server instances)
        // the counter row lock alone keeps the numbers gapless.
        const direct = createInvoicingService({ knex: server.tdb.db.knex, clock: systemClock, pdf: createPdfRenderer() });
        const more: string[] = [];
        for (let i = 0; i < 8; i += 1) more.push(await draft(clients[0]!));
        const raced = await Promise.all(more.map((id) => direct.issueNow(actor(), id)));
        expect(raced.map((r) => r.number).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 8 }, (_, i) => i + 52));
        expect(await counter()).toBe(60);
        // Each number's PDF matches the invoice it belongs to.
        const sample = results[17]!.json;
        const pdf = await clients[0]!.request('GET', `/api/v1/invoices/${sample.id}`);
        expect(pdf.json.pdfSha256).toBe(sample.pdfSha256);
      });
    }
  });
}
