import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { counters, createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { httpsRequest } from '../../support/https.js';

for (const backend of testBackends()) {
  describe(`counter sales (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let fx: SalesFixture;
    let clerk: ApiClient;
    let clerkId: string;

    const sell = (body: Record<string, unknown>, key = newKey(), client = clerk) =>
      httpsRequest({
        port: server.port,
        path: '/api/v1/orders',
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: server.workstation.certPem, key: server.workstation.keyPem },
        headers: { authorization: `Bearer ${client.token}`, 'idempotency-key': key },
        body,
      });
    const cancel = (orderId: string, body: Record<string, unknown>, key = newKey()) =>
      httpsRequest({
        port: server.port,
        path: `/api/v1/orders/${orderId}/cancel`,
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: server.workstation.certPem, key: server.workstation.keyPem },
        headers: { authorization: `Bearer ${clerk.token}`, 'idempotency-key': key },
        body,
      });
    const cash = (givenCents: number) => ({ method: 'cash', givenCents });
    const expectConsistent = async () => {
      const c = await counters(server, fx);
      for (const [name, v] of Object.entries(c.categories)) expect(v.sold, name).toBe(v.valid);
      expect(c.soldSeats).toBe(c.categories['Kat 1']!.valid);
      return c;
    };

    beforeAll(async () => {
      server = await startTestServer(backend, { clock, config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
      fx = await createSalesFixture(server, { gaCapacity: 20, rows: 3, seatsPerRow: 10 });
      const user = await createUser(server, server.tenants.outlet, 'kasse.a', ['sales.sell', 'sales.cancel']);
      clerkId = user.id;
      clerk = await loginAs(server, server.workstation, user);
    });
    afterAll(async () => {
      await server.close();
    });

    it('refuses to sell before the till is opened', async () => {
      const res = await sell({ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: cash(3500) });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('TILL_NOT_OPEN');
      await openTill(server, server.tenants.outlet, server.workstation.id, clerkId);
    });

    it('sells general admission for cash, prices it on the server and gives change', async () => {
      const res = await sell({ eventId: fx.eventId, channel: 'counter', customerName: 'Erika Mustermann', items: [{ categoryId: fx.gaCategoryId, quantity: 2 }], payment: cash(10_000) });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ status: 'paid', totalCents: 7000, channel: 'counter', customerName: 'Erika Mustermann' });
      expect(res.json.tickets).toHaveLength(2);
      expect(res.json.tickets.every((t: { priceCents: number; vatRateBp: number }) => t.priceCents === 3500 && t.vatRateBp === 700)).toBe(true);
      expect(res.json.payments).toEqual([expect.objectContaining({ method: 'cash', amountCents: 7000, givenCents: 10_000, changeCents: 3000 })]);
      const audit = await server.tdb.asAdmin((db) => db('audit_log').where({ action: 'order.create', entity_id: res.json.id }).first('details'));
      expect(audit?.details).toMatchObject({ tickets: 2, totalCents: 7000 });
      await expectConsistent();
    });

    it('sells concrete seats with a reduced price, and never the same seat twice', async () => {
      const seat = fx.seatIds[0]!;
      const res = await sell({ eventId: fx.eventId, channel: 'counter', seats: [{ seatId: seat, variantId: fx.reducedVariantId }], payment: { method: 'card', reference: 'EC-4711' } });
      expect(res.status).toBe(201);
      expect(res.json.tickets[0]).toMatchObject({ priceCents: 2500, seat: { id: seat, block: 'A', row: '1', number: 1 } });
      const again = await sell({ eventId: fx.eventId, channel: 'counter', seats: [{ seatId: seat }], payment: cash(5500) });
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('SEAT_UNAVAILABLE');
      await expectConsistent();
    });

    it('picks the best available seats adjacent and centred in the front row', async () => {
      const res = await sell({ eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 4 }], payment: cash(22_000) });
      expect(res.status).toBe(201);
      const seats = res.json.tickets.map((t: { seat: { row: string; number: number } }) => `${t.seat.row}-${t.seat.number}`);
      // Row 1 has seat 1 sold; the free run 2..10 centres four seats at 4..7.
      expect(seats).toEqual(['1-4', '1-5', '1-6', '1-7']);
      await expectConsistent();
    });

    it('returns the first result for a replayed key, even ten times at once, and refuses the key for another request', async () => {
      const key = newKey();
      const body = { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: cash(3500) };
      const before = await expectConsistent();
      const results = await Promise.all(Array.from({ length: 10 }, () => sell(body, key)));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
      expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      const after = await expectConsistent();
      expect(after.categories['Stehplatz']!.valid).toBe(before.categories['Stehplatz']!.valid + 1);
      const other = await sell({ ...body, items: [{ categoryId: fx.gaCategoryId, quantity: 2 }] }, key);
      expect(other.status).toBe(422);
      expect(other.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const missing = await httpsRequest({
        port: server.port,
        path: '/api/v1/orders',
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: server.workstation.certPem, key: server.workstation.keyPem },
        headers: { authorization: `Bearer ${clerk.token}` },
        body,
      });
      expect(missing.json.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    });

    it('refuses bad input with a coded 4xx and writes nothing', async () => {
      const before = await expectConsistent();
      const orders = () => server.tdb.asAdmin((db) => db('orders').count<Array<{ count: number }>>('* as count'));
      const ordersBefore = await orders();
      const otherEvent = await createSalesFixture(server, { rows: 1, seatsPerRow: 2 });
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: -1 }], payment: cash(0) }, 400, 'VALIDATION_FAILED'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1, priceCents: 1 }], payment: cash(1) }, 400, 'VALIDATION_FAILED'],
        [{ eventId: fx.eventId, channel: 'counter', seats: [{ seatId: otherEvent.seatIds[0] }], payment: cash(9000) }, 400, 'UNKNOWN_SEAT'],
        [{ eventId: fx.eventId, channel: 'counter', seats: [{ seatId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c' }], payment: cash(9000) }, 400, 'UNKNOWN_SEAT'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 51 }], payment: cash(999_999) }, 400, 'ORDER_TOO_LARGE'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.seatedCategoryId, quantity: 1 }], payment: cash(9000) }, 400, 'SEATED_CATEGORY_NEEDS_SEATS'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: otherEvent.gaCategoryId, quantity: 1 }], payment: cash(9000) }, 400, 'UNKNOWN_CATEGORY'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1, variantId: fx.reducedVariantId }], payment: cash(9000) }, 400, 'UNKNOWN_VARIANT'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 2 }], payment: cash(6999) }, 422, 'INSUFFICIENT_CASH'],
        [{ eventId: fx.eventId, channel: 'counter', items: [], payment: cash(0) }, 400, 'EMPTY_ORDER'],
        [{ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'invoice' } }, 400, 'PAYMENT_REQUIRED'],
        [{ eventId: otherEvent.eventId, channel: 'counter', items: [{ categoryId: otherEvent.gaCategoryId, quantity: 1 }], payment: cash(9000) }, 201, ''],
      ];
      for (const [body, status, code] of cases.slice(0, -1)) {
        const res = await sell(body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.json.code).toBe(code);
      }
      expect(await orders()).toEqual(ordersBefore);
      expect(await expectConsistent()).toEqual(before);
    });

    it('sells only up to the category capacity', async () => {
      const { categories } = await expectConsistent();
      const left = 20 - categories['Stehplatz']!.valid;
      const tooMany = await sell({ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: left + 1 }], payment: cash(999_999) });
      expect(tooMany.status).toBe(409);
      expect(tooMany.json.code).toBe('SOLD_OUT');
      const exact = await sell({ eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: left }], payment: cash(999_999) });
      expect(exact.status).toBe(201);
      expect((await expectConsistent()).categories['Stehplatz']).toEqual({ sold: 20, valid: 20 });
    });

    it('cancels single tickets and whole orders, frees what was sold and refunds into the till', async () => {
      const order = await sell({ eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 3 }], payment: cash(16_500) });
      expect(order.status).toBe(201);
      const before = await expectConsistent();
      const [first, ...rest] = order.json.tickets;
      const partial = await cancel(order.json.id, { ticketIds: [first.id], reason: 'Kunde verhindert' });
      expect(partial.status).toBe(200);
      expect(partial.json.status).toBe('paid');
      expect(partial.json.payments.at(-1)).toMatchObject({ method: 'cash', amountCents: -5500 });
      const mid = await expectConsistent();
      expect(mid.categories['Kat 1']!.valid).toBe(before.categories['Kat 1']!.valid - 1);
      const seatFree = await server.tdb.asAdmin((db) => db('seats').where({ id: first.seat.id }).first('status'));
      expect(seatFree).toEqual({ status: 'available' });

      const whole = await cancel(order.json.id, { reason: 'Veranstaltung verlegt' });
      expect(whole.json.status).toBe('cancelled');
      expect(whole.json.tickets.every((t: { status: string }) => t.status === 'cancelled')).toBe(true);
      expect((await expectConsistent()).categories['Kat 1']!.valid).toBe(before.categories['Kat 1']!.valid - 1 - rest.length);
      const again = await cancel(order.json.id, { reason: 'nochmal' });
      expect(again.json.code).toBe('TICKET_NOT_CANCELLABLE');
      const refunds = await server.tdb.asAdmin((db) => db('payments').where({ order_id: order.json.id }).orderBy('created_at').pluck('amount_cents'));
      expect(refunds).toEqual([16_500, -5500, -11_000]);
    });

    it('needs a separate right to cancel a ticket that was already used', async () => {
      const order = await sell({ eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 1 }], payment: cash(5500) });
      await server.tdb.asAdmin((db) => db('tickets').where({ order_id: order.json.id }).update({ admitted_at: new Date() }));
      const res = await cancel(order.json.id, { reason: 'war schon drin' });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('TICKET_ALREADY_USED');
    });

    it('holds seats for a few minutes: others cannot take them, the hold converts, expiry frees them', async () => {
      const holdRes = await clerk.request('POST', '/api/v1/holds', { eventId: fx.eventId, bestAvailable: { categoryId: fx.seatedCategoryId, quantity: 2 } });
      expect(holdRes.status).toBe(201);
      const held = holdRes.json.seats.map((s: { id: string }) => s.id);
      const blocked = await sell({ eventId: fx.eventId, channel: 'counter', seats: [{ seatId: held[0] }], payment: cash(5500) });
      expect(blocked.json.code).toBe('SEAT_UNAVAILABLE');
      const converted = await sell({ eventId: fx.eventId, channel: 'counter', holdId: holdRes.json.id, seats: held.map((seatId: string) => ({ seatId })), payment: cash(11_000) });
      expect(converted.status).toBe(201);

      const second = await clerk.request('POST', '/api/v1/holds', { eventId: fx.eventId, bestAvailable: { categoryId: fx.seatedCategoryId, quantity: 1 } });
      clock.advance(11 * 60_000);
      try {
        const free = await sell({ eventId: fx.eventId, channel: 'counter', seats: [{ seatId: second.json.seats[0].id }], payment: cash(5500) });
        expect(free.status).toBe(201);
      } finally {
        clock.advance(-11 * 60_000);
      }
      await expectConsistent();
    });

    it('creates business orders unpaid, on invoice, with customer data', async () => {
      const res = await sell({
        eventId: fx.eventId,
        channel: 'business',
        items: [],
        bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 2 }],
        businessCustomer: { company: 'Hafen Logistik GmbH', street: 'Kai 1', postalCode: '20457', city: 'Hamburg', country: 'DE', vatId: 'DE123456789' },
        payment: { method: 'invoice' },
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ status: 'unpaid', paidAt: null, customerName: 'Hafen Logistik GmbH', payments: [] });
      const noCustomer = await sell({ eventId: fx.eventId, channel: 'business', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 1 }], payment: { method: 'invoice' } });
      expect(noCustomer.json.code).toBe('BUSINESS_CUSTOMER_REQUIRED');
    });

    it('holds each outlet to its quota', async () => {
      const quoted = await createSalesFixture(server, { gaCapacity: 50, rows: 1, seatsPerRow: 5, quotas: { ga: 3 } });
      const first = await sell({ eventId: quoted.eventId, channel: 'counter', items: [{ categoryId: quoted.gaCategoryId, quantity: 3 }], payment: cash(10_500) });
      expect(first.status).toBe(201);
      const over = await sell({ eventId: quoted.eventId, channel: 'counter', items: [{ categoryId: quoted.gaCategoryId, quantity: 1 }], payment: cash(3500) });
      expect(over.status).toBe(409);
      expect(over.json.code).toBe('QUOTA_EXHAUSTED');
      // Cancelling gives the quota back.
      await cancel(first.json.id, { ticketIds: [first.json.tickets[0].id], reason: 'Rückgabe' });
      expect((await sell({ eventId: quoted.eventId, channel: 'counter', items: [{ categoryId: quoted.gaCategoryId, quantity: 1 }], payment: cash(3500) })).status).toBe(201);
      const quota = await server.tdb.asAdmin((db) => db('sales_quotas').where({ category_id: quoted.gaCategoryId }).first('sold', 'quota'));
      expect(quota).toEqual({ sold: 3, quota: 3 });
    });

    it('finds orders by number and customer name; other outlets see nothing', async () => {
      const list = await clerk.request('GET', '/api/v1/orders?customer=erika');
      expect(list.status).toBe(200);
      expect(list.json).toHaveLength(1);
      const byNumber = await clerk.request('GET', `/api/v1/orders?number=${list.json[0].orderNumber}`);
      expect(byNumber.json.map((o: { id: string }) => o.id)).toEqual([list.json[0].id]);

      const wsB = await server.registerWorkstation(server.tenants.outletB, 'kasse-b');
      const other = await loginAs(server, wsB, await createUser(server, server.tenants.outletB, 'kasse.b', ['sales.sell']));
      expect((await other.request('GET', '/api/v1/orders')).json).toEqual([]);
      expect((await other.request('GET', `/api/v1/orders/${list.json[0].id}`)).status).toBe(404);
      const noRight = await httpsRequest({
        port: server.port,
        path: '/api/v1/orders',
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: wsB.certPem, key: wsB.keyPem },
        headers: { authorization: `Bearer ${other.token}`, 'idempotency-key': newKey() },
        body: { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: cash(3500) },
      });
      expect(noRight.status).toBe(404);
    });
  });
}
