import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { BUSINESS_CUSTOMER, insertBusinessOrder } from '../../support/invoicing-fixtures.js';
import { createSalesFixture, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of testBackends()) {
  describe(`business orders waiting for an invoice (${backend})`, () => {
    let server: TestServer;
    let fx: SalesFixture;
    let accountant: ApiClient;
    let accountantId: string;

    beforeAll(async () => {
      server = await startTestServer(backend);
      fx = await createSalesFixture(server, { sellers: [server.tenants.outlet, server.tenants.outletB] });
      const user = await createUser(server, server.tenants.outlet, 'wl.buchhaltung', ['invoices.view', 'invoices.issue', 'invoices.cancel']);
      accountantId = user.id;
      accountant = await loginAs(server, server.workstation, user);
    });
    afterAll(async () => {
      await server.close();
    });

    const order = (quantity: number, by: { tenantId: string; userId: string; workstationId: string } = { tenantId: server.tenants.outlet, userId: accountantId, workstationId: server.workstation.id }) =>
      insertBusinessOrder(server, { ...by, fx, tickets: [{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity }] });
    const list = async (api = accountant) => {
      const res = await api.request('GET', '/api/v1/invoices/invoiceable-orders');
      expect(res.status, res.body).toBe(200);
      return res.json as Array<{ orderId: string; orderNumber: number; customerName: string; eventName: string | null; totalCents: number }>;
    };

    it('lists the own unpaid business orders until one has a live invoice, and again once that invoice is thrown away', async () => {
      const first = await order(2);
      const second = await order(1);
      const otherClerk = await createUser(server, server.tenants.outletB, 'wl.b', ['sales.sell']);
      const otherDesk = await server.registerWorkstation(server.tenants.outletB, 'wl-b');
      const foreign = await order(3, { tenantId: server.tenants.outletB, userId: otherClerk.id, workstationId: otherDesk.id });
      const waiting = await list();
      expect(waiting.map((o) => o.orderId)).toEqual([first.id, second.id]);
      expect(waiting[0]).toMatchObject({ orderNumber: first.orderNumber, customerName: BUSINESS_CUSTOMER.company, totalCents: 7000 });
      expect(waiting.map((o) => o.orderId)).not.toContain(foreign.id);

      const draft = await accountant.request('POST', '/api/v1/invoices/business-orders', { orderId: first.id });
      expect(draft.status, draft.body).toBe(201);
      expect((await list()).map((o) => o.orderId)).toEqual([second.id]);

      expect((await accountant.request('DELETE', `/api/v1/invoices/${draft.json.id}`)).status).toBe(204);
      expect((await list()).map((o) => o.orderId)).toEqual([first.id, second.id]);
    });

    it('is refused without invoices.issue', async () => {
      const viewer = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'wl.ansicht', ['invoices.view']));
      const res = await viewer.request('GET', '/api/v1/invoices/invoiceable-orders');
      expect([res.status, res.json.code]).toEqual([403, 'FORBIDDEN']);
    });
  });
}
