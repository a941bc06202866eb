import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of testBackends()) {
  describe(`orders found by a ticket's barcode (${backend})`, () => {
    let server: TestServer;
    let fx: SalesFixture;
    let clerk: ApiClient;
    let other: ApiClient;

    beforeAll(async () => {
      server = await startTestServer(backend, { clock: fixedClock(new Date()) });
      fx = await createSalesFixture(server, { sellers: [server.tenants.outlet, server.tenants.outletB] });
      const user = await createUser(server, server.tenants.outlet, 'kasse.scan', ['sales.sell', 'tickets.print', 'tickets.reprint']);
      clerk = await loginAs(server, server.workstation, user);
      await openTill(server, server.tenants.outlet, server.workstation.id, user.id);
      await insertBlankBatch(server, server.tenants.outlet, 901, 930, user.id);
      expect((await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 901 })).status).toBe(200);
      const wsB = await server.registerWorkstation(server.tenants.outletB, 'kasse-b');
      other = await loginAs(server, wsB, await createUser(server, server.tenants.outletB, 'kasse.b', ['sales.sell']));
    });
    afterAll(async () => {
      await server.close();
    });

    const find = (client: ApiClient, barcode: string) => client.request('GET', `/api/v1/orders?barcode=${barcode}`);

    it('finds the order by its current and by its voided barcode, in the own outlet only', async () => {
      await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 2);
      const job = await printJob(clerk, order.id);
      expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
      const oldCode: string = job.json.tickets[0].barcode;
      const reprint = await clerk.request('POST', `/api/v1/tickets/${job.json.tickets[0].ticketId}/reprint`, { reason: 'lost' }, { 'idempotency-key': newKey() });
      expect(reprint.status).toBe(201);
      const newCode: string = reprint.json.tickets[0].barcode;
      expect(newCode).not.toBe(oldCode);

      for (const code of [oldCode, newCode, job.json.tickets[1].barcode]) {
        const found = await find(clerk, code);
        expect(found.status).toBe(200);
        expect(found.json.map((o: { id: string }) => o.id)).toEqual([order.id]);
      }
      expect((await find(other, oldCode)).json).toEqual([]);
      expect((await find(clerk, '1234567890123456789012')).json).toEqual([]);
      const bad = await clerk.request('GET', '/api/v1/orders?barcode=12ab');
      expect([bad.status, bad.json.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });
}
