import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { startOfLocalDay } from '../../../server/src/modules/events/local-day.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs } from '../../support/identity.js';
import { newKey } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createDraftEvent, createPromoter, createSeller, tomorrowNoon, UNKNOWN_ID, type Promoter, type Seller } from './helpers.js';

const berlinDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(at);

for (const backend of testBackends()) {
  describe(`event sales figures for the charts (${backend})`, () => {
    // 23:30 German time: the second round of sales 45 minutes later falls on the next German day
    // while it is still the same day in UTC (winter) — the figures must follow the German calendar.
    const clock = fixedClock(new Date(startOfLocalDay(tomorrowNoon()).getTime() + 23.5 * 3_600_000));
    let server: TestServer;
    let promoter: Promoter;
    let sellerA: Seller;
    let sellerB: Seller;
    let eventId: string;
    let standing: string;
    let seated: string;

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      promoter = await createPromoter(server, 'stats-promoter');
      sellerA = await createSeller(server, server.tenants.outlet, 'stats.a');
      sellerB = await createSeller(server, server.tenants.outletB, 'stats.b');
      ({ eventId } = await createDraftEvent(promoter, clock.now()));
      standing = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Stehplatz', priceCents: 3500, capacity: 100 })).json.id;
      seated = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Balkon', priceCents: 5000, capacity: 20 })).json.id;
      for (const outlet of [server.tenants.outlet, server.tenants.outletB]) {
        expect((await promoter.client.request('PUT', `/api/v1/events/${eventId}/sales-rights/${outlet}`, {})).status).toBe(201);
      }
      expect((await promoter.client.request('POST', `/api/v1/events/${eventId}/status`, { status: 'on_sale' })).status).toBe(200);
    });
    afterAll(async () => {
      await server.close();
    });

    const sell = async (seller: Seller, categoryId: string, quantity: number) => {
      const res = await seller.sell({ eventId, channel: 'counter', items: [{ categoryId, quantity }], payment: { method: 'cash', givenCents: 100_000 } });
      expect(res.status, res.body).toBe(201);
      return res.json as { id: string };
    };

    it('counts valid tickets per German day and per category; cancelled tickets do not count; each side sees what RLS shows it', async () => {
      const day1 = berlinDay(clock.now());
      await sell(sellerA, standing, 2);
      await sell(sellerB, seated, 1);
      const cancelled = await sell(sellerA, seated, 4);
      expect((await sellerA.client.request('POST', `/api/v1/orders/${cancelled.id}/cancel`, { reason: 'Kunde verzichtet', refund: { method: 'cash' } }, { 'idempotency-key': newKey() })).status).toBe(200);
      clock.advance(45 * 60_000);
      const day2 = berlinDay(clock.now());
      expect(day2).not.toBe(day1);
      await sell(sellerA, standing, 3);

      const promoterView = await promoter.client.request('GET', `/api/v1/events/${eventId}/sales-stats`);
      expect(promoterView.status, promoterView.body).toBe(200);
      expect(promoterView.json).toEqual({
        eventId,
        eventName: 'Sommerkonzert',
        days: [
          { day: day1, tickets: 3, grossCents: 2 * 3500 + 5000 },
          { day: day2, tickets: 3, grossCents: 3 * 3500 },
        ],
        categories: [
          { categoryId: standing, name: 'Stehplatz', capacity: 100, tickets: 5, grossCents: 5 * 3500 },
          { categoryId: seated, name: 'Balkon', capacity: 20, tickets: 1, grossCents: 5000 },
        ],
        totalTickets: 6,
        totalGrossCents: 5 * 3500 + 5000,
      });

      // Outlet B's reports: only its own ticket.
      const reporter = await loginAs(server, await server.registerWorkstation(server.tenants.outletB, 'b-buero'), await createUser(server, server.tenants.outletB, 'stats.report', ['reports.view']));
      const outletView = await reporter.request('GET', `/api/v1/events/${eventId}/sales-stats`);
      expect(outletView.status, outletView.body).toBe(200);
      expect(outletView.json.totalTickets).toBe(1);
      expect(outletView.json.days).toEqual([{ day: day1, tickets: 1, grossCents: 5000 }]);
    });

    it('refuses without reports.view or events.manage, and answers 404 for an unknown or foreign event', async () => {
      const clerk = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'stats.clerk', ['sales.sell']));
      const refused = await clerk.request('GET', `/api/v1/events/${eventId}/sales-stats`);
      expect([refused.status, refused.json.code]).toEqual([403, 'FORBIDDEN']);
      expect((await promoter.client.request('GET', `/api/v1/events/${UNKNOWN_ID}/sales-stats`)).status).toBe(404);
      const other = await createPromoter(server, 'stats-other');
      const foreign = await other.client.request('GET', `/api/v1/events/${eventId}/sales-stats`);
      expect([foreign.status, foreign.json.code]).toEqual([404, 'NOT_FOUND']);
    });
  });
}
