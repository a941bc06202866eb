import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { newKey } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { auditActions, createDraftEvent, createPromoter, createSeller, tomorrowNoon, UNKNOWN_ID, type Promoter, type Seller } from './helpers.js';

for (const backend of testBackends()) {
  describe(`sales rights and quotas (${backend})`, () => {
    const clock = fixedClock(tomorrowNoon());
    let server: TestServer;
    let promoter: Promoter;
    let otherPromoter: Promoter;
    let seller: Seller;
    let eventId: string;
    let gaId: string;
    let seatedId: string;
    let outlet: string;

    const right = (body: Record<string, unknown> = {}, outletId = outlet) => promoter.client.request('PUT', `/api/v1/events/${eventId}/sales-rights/${outletId}`, body);
    const buyGa = (quantity: number) => seller.sell({ eventId, channel: 'counter', items: [{ categoryId: gaId, quantity }], payment: { method: 'cash', givenCents: quantity * 3500 } });
    const outletView = async () => (await seller.client.request('GET', `/api/v1/events/${eventId}`)).json.categories[0];

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      outlet = server.tenants.outlet;
      promoter = await createPromoter(server, 'konzertbuero');
      otherPromoter = await createPromoter(server, 'andere-agentur');
      seller = await createSeller(server, outlet, 'a.kasse');
      ({ eventId } = await createDraftEvent(promoter, clock.now()));
      gaId = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Stehplatz', priceCents: 3500, capacity: 100 })).json.id;
      seatedId = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Kat 1', priceCents: 5500, seated: true })).json.id;
      await promoter.client.request('POST', `/api/v1/events/${eventId}/seats`, { definition: 'Block A rows 1 seats 1-10 category "Kat 1"' });
      await promoter.client.request('POST', `/api/v1/events/${eventId}/status`, { status: 'on_sale' });
    });
    afterAll(async () => {
      await server.close();
    });

    it('lists the outlets a promoter can grant to (the outlet directory)', async () => {
      const res = await promoter.client.request('GET', `/api/v1/events/${eventId}/outlets`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual([
        { id: server.tenants.outlet, code: 'outlet-a', name: 'Outlet A', granted: false },
        { id: server.tenants.outletB, code: 'outlet-b', name: 'Outlet B', granted: false },
      ]);
    });

    it('grants an outlet with quotas, only to outlets and only for the event’s categories', async () => {
      const refusals: Array<[Record<string, unknown>, string, number, string]> = [
        [{}, otherPromoter.id, 404, 'NOT_FOUND'],
        [{}, server.tenants.operator, 404, 'NOT_FOUND'],
        [{}, UNKNOWN_ID, 404, 'NOT_FOUND'],
        [{ quotas: [{ categoryId: UNKNOWN_ID, quota: 1 }] }, outlet, 400, 'UNKNOWN_CATEGORY'],
        [{ quotas: [{ categoryId: gaId, quota: 1 }, { categoryId: gaId, quota: 2 }] }, outlet, 400, 'DUPLICATE_CATEGORY'],
        [{ quotas: [{ categoryId: gaId, quota: -1 }] }, outlet, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, outletId, status, code] of refusals) {
        const res = await right(body, outletId);
        expect([res.status, res.json.code], `${outletId} ${JSON.stringify(body)}`).toEqual([status, code]);
      }
      expect((await right({}, otherPromoter.id)).json.detail).toBe('Outlet not found');
      expect((await seller.client.request('GET', `/api/v1/events/${eventId}`)).status).toBe(404);

      const granted = await right({ quotas: [{ categoryId: gaId, quota: 5 }] });
      expect(granted.status).toBe(201);
      expect(granted.json).toEqual({
        outletId: outlet,
        outletCode: 'outlet-a',
        outletName: 'Outlet A',
        grantedAt: clock.now().toISOString(),
        categories: [
          { categoryId: gaId, quota: 5, sold: 0 },
          { categoryId: seatedId, quota: null, sold: 0 },
        ],
      });
      expect((await outletView()).quota).toEqual({ quota: 5, sold: 0 });
      expect((await promoter.client.request('GET', `/api/v1/events/${eventId}/outlets`)).json.map((o: { granted: boolean }) => o.granted)).toEqual([true, false]);
    });

    it('holds the quota, and never lets it drop below what the outlet sold', async () => {
      expect((await buyGa(3)).status).toBe(201);
      const over = await buyGa(3);
      expect([over.status, over.json.code]).toEqual([409, 'QUOTA_EXHAUSTED']);
      const below = await right({ quotas: [{ categoryId: gaId, quota: 2 }] });
      expect([below.status, below.json.code]).toEqual([409, 'QUOTA_BELOW_SOLD']);
      const exact = await right({ quotas: [{ categoryId: gaId, quota: 3 }] });
      expect(exact.status).toBe(200);
      expect(exact.json.categories[0]).toEqual({ categoryId: gaId, quota: 3, sold: 3 });
      expect(await outletView()).toMatchObject({ sold: 3, remaining: 0, quota: { quota: 3, sold: 3 } });
      expect((await buyGa(1)).json.code).toBe('QUOTA_EXHAUSTED');
    });

    it('drops a quota when it is left out, and starts a new one from what the outlet already sold', async () => {
      expect((await right({})).json.categories[0]).toEqual({ categoryId: gaId, quota: null, sold: 3 });
      expect((await buyGa(2)).status).toBe(201);
      expect(await outletView()).toMatchObject({ sold: 5, remaining: 95, quota: null });
      const again = await right({ quotas: [{ categoryId: gaId, quota: 8 }] });
      expect(again.json.categories[0]).toEqual({ categoryId: gaId, quota: 8, sold: 5 });
      expect(await outletView()).toMatchObject({ sold: 5, remaining: 3, quota: { quota: 8, sold: 5 } });
      const list = await promoter.client.request('GET', `/api/v1/events/${eventId}/sales-rights`);
      expect(list.json).toEqual([again.json]);
    });

    it('refuses to revoke while the outlet holds valid tickets, and revokes once they are cancelled', async () => {
      const revoke = (outletId = outlet) => promoter.client.request('DELETE', `/api/v1/events/${eventId}/sales-rights/${outletId}`);
      const refused = await revoke();
      expect([refused.status, refused.json.code]).toEqual([409, 'SALES_RIGHT_HAS_SALES']);
      expect((await revoke(server.tenants.outletB)).status).toBe(404);

      const orders = (await seller.client.request('GET', `/api/v1/orders?eventId=${eventId}`)).json as Array<{ id: string; status: string }>;
      for (const order of orders.filter((o) => o.status !== 'cancelled')) {
        const res = await seller.client.request('POST', `/api/v1/orders/${order.id}/cancel`, { reason: 'Rücknahme' }, { 'idempotency-key': newKey() });
        expect(res.status, res.body).toBe(200);
      }
      expect((await revoke()).status).toBe(204);
      expect((await revoke()).status).toBe(404);
      expect((await seller.client.request('GET', `/api/v1/events/${eventId}`)).status).toBe(404);
      expect((await seller.client.request('GET', '/api/v1/events')).json).toEqual([]);
      expect(await server.tdb.asAdmin((db) => db('sales_quotas').where({ event_id: eventId }).select())).toEqual([]);
      expect(await auditActions(server, promoter.id, eventId)).toEqual([
        'event.create',
        'category.create',
        'category.create',
        'seats.create',
        'event.status_change',
        'sales_right.grant',
        'sales_right.update',
        'sales_right.update',
        'sales_right.update',
        'sales_right.revoke',
      ]);
    });

    it('keeps sales rights to the event’s promoter', async () => {
      const requests: Array<[string, string, unknown?]> = [
        ['GET', '/outlets'],
        ['GET', '/sales-rights'],
        ['PUT', `/sales-rights/${outlet}`, {}],
        ['DELETE', `/sales-rights/${outlet}`],
      ];
      for (const [method, suffix, body] of requests) {
        const res = await otherPromoter.client.request(method, `/api/v1/events/${eventId}${suffix}`, body);
        expect([res.status, res.json.detail], `${method} ${suffix}`).toEqual([404, 'Event not found']);
      }
      const outletAsGrantor = await seller.client.request('PUT', `/api/v1/events/${eventId}/sales-rights/${outlet}`, {});
      expect(outletAsGrantor.status).toBe(403);
    });
  });
}
