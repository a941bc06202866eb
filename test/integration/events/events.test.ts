import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { auditActions, createDraftEvent, createPromoter, createSeller, days, iso, tomorrowNoon, UNKNOWN_ID, type Promoter, type Seller } from './helpers.js';

for (const backend of testBackends()) {
  describe(`events: promoter side (${backend})`, () => {
    const clock = fixedClock(tomorrowNoon());
    const now = () => clock.now().getTime();
    let server: TestServer;
    let promoter: Promoter;
    let promoterB: Promoter;

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      promoter = await createPromoter(server, 'konzertbuero');
      promoterB = await createPromoter(server, 'andere-agentur');
    });
    afterAll(async () => {
      await server.close();
    });

    it('creates and lists venues; only promoters create them', async () => {
      const res = await promoter.client.request('POST', '/api/v1/venues', { name: ' Laeiszhalle ', address: 'Johannes-Brahms-Platz', city: 'Hamburg' });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ name: 'Laeiszhalle', address: 'Johannes-Brahms-Platz', city: 'Hamburg' });
      expect((await promoter.client.request('GET', '/api/v1/venues')).json.map((v: { id: string }) => v.id)).toContain(res.json.id);
      expect(await auditActions(server, promoter.id, res.json.id)).toEqual(['venue.create']);
      expect((await promoter.client.request('POST', '/api/v1/venues', { name: 'X', capacity: 10 })).json.code).toBe('VALIDATION_FAILED');

      const outletManager = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'a.veranstaltung', ['events.manage']));
      const refused = await outletManager.request('POST', '/api/v1/venues', { name: 'Hinterzimmer' });
      expect(refused.status).toBe(403);
      expect(refused.json.code).toBe('PROMOTER_ONLY');
      expect((await outletManager.request('GET', '/api/v1/venues')).json).toEqual([]);
      expect((await promoterB.client.request('GET', '/api/v1/venues')).json).toEqual([]);
    });

    it('creates a draft event with checked times', async () => {
      const venue = (await promoter.client.request('POST', '/api/v1/venues', { name: 'Stadthalle' })).json;
      const startsAt = iso(now() + days(20));
      const res = await promoter.client.request('POST', '/api/v1/events', { venueId: venue.id, name: 'Sommerkonzert', startsAt });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        name: 'Sommerkonzert',
        status: 'draft',
        effectiveStatus: 'draft',
        salesOpen: false,
        startsAt,
        salesStart: iso(now()),
        salesEnd: startsAt,
        seated: false,
        categories: [],
        venue: { id: venue.id, name: 'Stadthalle' },
      });
      expect(await auditActions(server, promoter.id, res.json.id)).toEqual(['event.create']);

      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ venueId: venue.id, name: 'Gestern', startsAt: iso(now() - 60_000) }, 400, 'EVENT_IN_PAST'],
        [{ venueId: venue.id, name: 'Fenster', startsAt, salesStart: iso(now() + days(5)), salesEnd: iso(now() + days(4)) }, 400, 'INVALID_SALES_WINDOW'],
        [{ venueId: venue.id, name: 'Zu lang', startsAt, salesEnd: iso(now() + days(22)) }, 400, 'INVALID_SALES_WINDOW'],
        [{ venueId: UNKNOWN_ID, name: 'Nirgends', startsAt }, 404, 'NOT_FOUND'],
        [{ venueId: venue.id, name: '   ', startsAt }, 400, 'VALIDATION_FAILED'],
        [{ venueId: venue.id, name: 'Mit Status', startsAt, status: 'on_sale' }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const bad = await promoter.client.request('POST', '/api/v1/events', body);
        expect([bad.status, bad.json.code], JSON.stringify(body)).toEqual([status, code]);
      }
      // Another promoter's venue is as unknown as a missing one.
      const foreign = await promoterB.client.request('POST', '/api/v1/events', { venueId: venue.id, name: 'Gekapert', startsAt });
      expect([foreign.status, foreign.json.detail]).toEqual([404, 'Venue not found']);
    });

    it('adds general-admission and seated categories and price variants while the event is a draft', async () => {
      const { eventId } = await createDraftEvent(promoter, clock.now());
      const ga = await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Stehplatz', priceCents: 3500, capacity: 200 });
      expect(ga.status).toBe(201);
      expect(ga.json).toMatchObject({ name: 'Stehplatz', priceCents: 3500, vatRateBp: 700, seated: false, capacity: 200, sold: 0, remaining: 200, variants: [] });
      const seated = await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Kat 1', priceCents: 5500, vatRateBp: 1900, seated: true });
      expect(seated.json).toMatchObject({ seated: true, capacity: 0, vatRateBp: 1900, sortOrder: 1 });
      const variant = await promoter.client.request('POST', `/api/v1/events/${eventId}/categories/${ga.json.id}/variants`, { name: 'Ermäßigt', priceCents: 2500 });
      expect(variant.status).toBe(201);
      expect(variant.json).toMatchObject({ name: 'Ermäßigt', priceCents: 2500 });

      const refusals: Array<[string, Record<string, unknown>, number, string]> = [
        ['categories', { name: 'Ohne Zahl', priceCents: 100 }, 400, 'CAPACITY_REQUIRED'],
        ['categories', { name: 'Sitz', priceCents: 100, seated: true, capacity: 10 }, 400, 'SEATED_CAPACITY_FROM_SEATS'],
        ['categories', { name: 'Stehplatz', priceCents: 100, capacity: 1 }, 409, 'CATEGORY_NAME_TAKEN'],
        ['categories', { name: 'Negativ', priceCents: -1, capacity: 1 }, 400, 'VALIDATION_FAILED'],
        ['categories', { name: 'MwSt', priceCents: 1, capacity: 1, vatRateBp: 10_001 }, 400, 'VALIDATION_FAILED'],
        [`categories/${ga.json.id}/variants`, { name: 'Ermäßigt', priceCents: 2000 }, 409, 'VARIANT_NAME_TAKEN'],
        [`categories/${UNKNOWN_ID}/variants`, { name: 'Kind', priceCents: 2000 }, 404, 'NOT_FOUND'],
      ];
      for (const [path, body, status, code] of refusals) {
        const res = await promoter.client.request('POST', `/api/v1/events/${eventId}/${path}`, body);
        expect([res.status, res.json.code], `${path} ${JSON.stringify(body)}`).toEqual([status, code]);
      }

      const detail = await promoter.client.request('GET', `/api/v1/events/${eventId}`);
      expect(detail.json.seated).toBe(true);
      expect(detail.json.categories.map((c: { name: string; variants: unknown[] }) => [c.name, c.variants.length])).toEqual([
        ['Stehplatz', 1],
        ['Kat 1', 0],
      ]);
      expect(await auditActions(server, promoter.id, eventId)).toEqual(['event.create', 'category.create', 'category.create', 'variant.create']);
    });

    it('moves through the allowed status changes only, and freezes the event once on sale', async () => {
      const { eventId } = await createDraftEvent(promoter, clock.now(), 'Statuskonzert');
      const status = (s: string) => promoter.client.request('POST', `/api/v1/events/${eventId}/status`, { status: s });
      const patch = (body: Record<string, unknown>) => promoter.client.request('PATCH', `/api/v1/events/${eventId}`, body);

      expect((await status('sales_stopped')).json.code).toBe('INVALID_STATUS_TRANSITION');
      expect((await status('on_sale')).json.code).toBe('EVENT_NOT_READY');
      const renamed = await patch({ name: 'Herbstkonzert', startsAt: iso(now() + days(40)), salesStart: iso(now() + 600_000) });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toMatchObject({ name: 'Herbstkonzert', startsAt: iso(now() + days(40)), salesStart: iso(now() + 600_000) });
      expect((await patch({ startsAt: iso(now() - 1000) })).json.code).toBe('EVENT_IN_PAST');
      expect((await patch({ salesEnd: iso(now() + days(42)) })).json.code).toBe('INVALID_SALES_WINDOW');
      await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Stehplatz', priceCents: 3500, capacity: 100 });

      const onSale = await status('on_sale');
      expect(onSale.status).toBe(200);
      expect(onSale.json).toMatchObject({ status: 'on_sale', effectiveStatus: 'on_sale', salesOpen: false });
      clock.advance(600_000);
      expect((await promoter.client.request('GET', `/api/v1/events/${eventId}`)).json.salesOpen).toBe(true);

      const frozen = await patch({ name: 'Umbenannt' });
      expect([frozen.status, frozen.json.code]).toEqual([409, 'EVENT_NOT_DRAFT']);
      expect((await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Neu', priceCents: 1, capacity: 1 })).json.code).toBe('EVENT_NOT_DRAFT');
      const salesEnd = iso(now() + days(39));
      expect((await patch({ salesEnd })).json.salesEnd).toBe(salesEnd);

      expect((await status('sales_stopped')).json).toMatchObject({ status: 'sales_stopped', salesOpen: false });
      expect((await status('sales_stopped')).status).toBe(200);
      expect((await status('on_sale')).json.status).toBe('on_sale');
      expect((await status('cancelled')).json.status).toBe('cancelled');
      for (const s of ['on_sale', 'sales_stopped']) expect((await status(s)).json.code).toBe('INVALID_STATUS_TRANSITION');
      expect((await patch({ salesEnd: iso(now() + days(38)) })).json.code).toBe('EVENT_CANCELLED');
      expect((await status('draft')).json.code).toBe('VALIDATION_FAILED');

      expect(await auditActions(server, promoter.id, eventId)).toEqual([
        'event.create',
        'event.update',
        'category.create',
        'event.status_change',
        'event.update',
        'event.status_change',
        'event.status_change',
        'event.status_change',
      ]);
      const changes = await server.tdb.asAdmin((db) => db('audit_log').where({ tenant_id: promoter.id, entity_id: eventId, action: 'event.status_change' }).orderBy('seq').pluck('details'));
      expect(changes).toEqual([
        { from: 'draft', to: 'on_sale' },
        { from: 'on_sale', to: 'sales_stopped' },
        { from: 'sales_stopped', to: 'on_sale' },
        { from: 'on_sale', to: 'cancelled' },
      ]);
    });

    it("shows promoter B nothing of promoter A's events", async () => {
      const { eventId, venueId } = await createDraftEvent(promoter, clock.now(), 'Geheimkonzert');
      const category = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Stehplatz', priceCents: 3500, capacity: 10 })).json;
      expect((await promoterB.client.request('GET', '/api/v1/events?includePast=true')).json).toEqual([]);
      const requests: Array<[string, string, unknown?]> = [
        ['GET', ''],
        ['GET', '/seatmap'],
        ['GET', '/sales-rights'],
        ['GET', '/outlets'],
        ['PATCH', '', { name: 'Gekapert' }],
        ['POST', '/status', { status: 'cancelled' }],
        ['POST', '/categories', { name: 'Fremd', priceCents: 1, capacity: 1 }],
        ['PATCH', `/categories/${category.id}`, { capacity: 1000 }],
        ['POST', `/categories/${category.id}/variants`, { name: 'Fremd', priceCents: 1 }],
        ['POST', '/seats', { definition: 'Block A rows 1 seats 1 category "Stehplatz"' }],
        ['PUT', `/sales-rights/${server.tenants.outlet}`, {}],
        ['DELETE', `/sales-rights/${server.tenants.outlet}`],
      ];
      for (const [method, suffix, body] of requests) {
        const foreign = await promoterB.client.request(method, `/api/v1/events/${eventId}${suffix}`, body);
        const missing = await promoterB.client.request(method, `/api/v1/events/${UNKNOWN_ID}${suffix}`, body);
        expect(foreign.status, `${method} ${suffix}`).toBe(404);
        expect({ code: foreign.json.code, detail: foreign.json.detail }).toEqual({ code: missing.json.code, detail: missing.json.detail });
      }
      const unchanged = await promoter.client.request('GET', `/api/v1/events/${eventId}`);
      expect(unchanged.json).toMatchObject({ name: 'Geheimkonzert', status: 'draft', categories: [{ capacity: 10, variants: [] }] });
      expect((await promoterB.client.request('GET', `/api/v1/events?venueId=${venueId}&includePast=true`)).json).toEqual([]);
      expect(await auditActions(server, promoterB.id, eventId)).toEqual([]);
    });

    it('needs events.manage on the promoter side and sales.sell on the outlet side', async () => {
      const ws = await server.registerWorkstation(promoter.id, 'empfang');
      const reader = await loginAs(server, ws, await createUser(server, promoter.id, 'konzertbuero.empfang', ['sales.sell']));
      for (const path of ['/api/v1/events', `/api/v1/events/${UNKNOWN_ID}`, `/api/v1/events/${UNKNOWN_ID}/seatmap`]) {
        const res = await reader.request('GET', path);
        expect([res.status, res.json.code], path).toEqual([403, 'FORBIDDEN']);
      }
      const wsA = await server.registerWorkstation(server.tenants.outlet, 'buero-a');
      const outletManager = await loginAs(server, wsA, await createUser(server, server.tenants.outlet, 'a.nur-verwaltung', ['events.manage']));
      expect((await outletManager.request('GET', '/api/v1/events')).json.code).toBe('FORBIDDEN');
      const opWs = await server.registerWorkstation(server.tenants.operator, 'betrieb');
      const operator = await loginAs(server, opWs, await createUser(server, server.tenants.operator, 'op.alles', ['events.manage', 'sales.sell']));
      expect((await operator.request('GET', '/api/v1/events')).status).toBe(403);
      expect((await operator.request('POST', '/api/v1/venues', { name: 'Betreiberhalle' })).json.code).toBe('PROMOTER_ONLY');
    });
  });

  describe(`events: what an outlet sees (${backend})`, () => {
    const clock = fixedClock(tomorrowNoon());
    let server: TestServer;
    let promoter: Promoter;
    let sellerA: Seller;
    let sellerB: Seller;
    let eventId: string;
    let gaId: string;
    let seatedId: string;

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      promoter = await createPromoter(server, 'konzertbuero');
      sellerA = await createSeller(server, server.tenants.outlet, 'a.kasse');
      sellerB = await createSeller(server, server.tenants.outletB, 'b.kasse');
      ({ eventId } = await createDraftEvent(promoter, clock.now()));
      gaId = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Stehplatz', priceCents: 3500, capacity: 100 })).json.id;
      seatedId = (await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name: 'Kat 1', priceCents: 5500, seated: true })).json.id;
      await promoter.client.request('POST', `/api/v1/events/${eventId}/categories/${gaId}/variants`, { name: 'Ermäßigt', priceCents: 2500 });
      expect((await promoter.client.request('POST', `/api/v1/events/${eventId}/seats`, { definition: 'Block A rows 1-2 seats 1-10 category "Kat 1"' })).status).toBe(201);
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers an event without a sales right exactly like an unknown one', async () => {
      for (const suffix of ['', '/seatmap']) {
        const hidden = await sellerA.client.request('GET', `/api/v1/events/${eventId}${suffix}`);
        const missing = await sellerA.client.request('GET', `/api/v1/events/${UNKNOWN_ID}${suffix}`);
        expect(hidden.status).toBe(404);
        expect({ code: hidden.json.code, detail: hidden.json.detail }).toEqual({ code: missing.json.code, detail: missing.json.detail });
      }
      expect((await sellerA.client.request('GET', '/api/v1/events')).json).toEqual([]);
    });

    it('hides a draft even from outlets holding the right, and shows it once on sale', async () => {
      expect((await promoter.client.request('PUT', `/api/v1/events/${eventId}/sales-rights/${server.tenants.outlet}`, { quotas: [{ categoryId: gaId, quota: 10 }] })).status).toBe(201);
      expect((await promoter.client.request('PUT', `/api/v1/events/${eventId}/sales-rights/${server.tenants.outletB}`, {})).status).toBe(201);
      expect((await sellerA.client.request('GET', `/api/v1/events/${eventId}`)).status).toBe(404);
      expect((await promoter.client.request('POST', `/api/v1/events/${eventId}/status`, { status: 'on_sale' })).status).toBe(200);
      const list = await sellerA.client.request('GET', '/api/v1/events');
      expect(list.json.map((e: { id: string }) => e.id)).toEqual([eventId]);
      expect(list.json[0]).toMatchObject({ status: 'on_sale', salesOpen: true, venue: { name: 'Stadthalle', city: 'Hamburg' } });
      expect((await sellerA.client.request('GET', `/api/v1/events/${eventId}/seatmap`)).status).toBe(200);
    });

    it("shows each outlet its own sales and what it may still sell, never the others' figures", async () => {
      const [seat1, seat2] = (await sellerA.client.request('GET', `/api/v1/events/${eventId}/seatmap`)).json.blocks[0].rows[0].seats;
      expect((await sellerB.sell({ eventId, channel: 'counter', items: [{ categoryId: gaId, quantity: 5 }], seats: [{ seatId: seat1[0] }], payment: { method: 'cash', givenCents: 100_000 } })).status).toBe(201);
      expect((await sellerA.sell({ eventId, channel: 'counter', items: [{ categoryId: gaId, quantity: 3 }], seats: [{ seatId: seat2[0] }], payment: { method: 'cash', givenCents: 100_000 } })).status).toBe(201);

      const a = (await sellerA.client.request('GET', `/api/v1/events/${eventId}`)).json;
      const [aGa, aSeated] = a.categories;
      expect(aGa).toMatchObject({ id: gaId, capacity: null, sold: 3, remaining: 7, quota: { quota: 10, sold: 3 }, variants: [{ name: 'Ermäßigt', priceCents: 2500 }] });
      expect(aSeated).toMatchObject({ id: seatedId, capacity: null, sold: 1, remaining: 18, quota: null });
      const b = (await sellerB.client.request('GET', `/api/v1/events/${eventId}`)).json;
      expect(b.categories[0]).toMatchObject({ capacity: null, sold: 5, remaining: 92, quota: null });
      const p = (await promoter.client.request('GET', `/api/v1/events/${eventId}`)).json;
      expect(p.categories.map((c: { capacity: number; sold: number; remaining: number }) => [c.capacity, c.sold, c.remaining])).toEqual([
        [100, 8, 92],
        [20, 2, 18],
      ]);
      // No other outlet's id or sales right reaches an outlet.
      expect(JSON.stringify(a)).not.toContain(server.tenants.outletB);
    });

    it('lets the promoter raise a capacity after the start of sales, never below what is sold', async () => {
      const patch = (body: Record<string, unknown>, category = gaId) => promoter.client.request('PATCH', `/api/v1/events/${eventId}/categories/${category}`, body);
      expect((await patch({ capacity: 7 })).json.code).toBe('CAPACITY_BELOW_SOLD');
      expect((await patch({ capacity: 8 })).json).toMatchObject({ capacity: 8, sold: 8, remaining: 0 });
      expect((await patch({ capacity: 150 })).json).toMatchObject({ capacity: 150, remaining: 142 });
      expect((await patch({ priceCents: 1 })).json.code).toBe('EVENT_NOT_DRAFT');
      expect((await patch({ capacity: 30 }, seatedId)).json.code).toBe('SEATED_CAPACITY_FROM_SEATS');
      const changes = await server.tdb.asAdmin((db) => db('audit_log').where({ tenant_id: promoter.id, action: 'category.update' }).orderBy('seq').pluck('details'));
      expect(changes).toEqual([
        { categoryId: gaId, changes: { capacity: { from: 100, to: 8 } } },
        { categoryId: gaId, changes: { capacity: { from: 8, to: 150 } } },
      ]);
    });
  });

  describe(`events: search for type-ahead (${backend})`, () => {
    const clock = fixedClock(tomorrowNoon());
    const now = () => clock.now().getTime();
    let server: TestServer;
    let promoter: Promoter;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      promoter = await createPromoter(server, 'konzertbuero');
      const halle = (await promoter.client.request('POST', '/api/v1/venues', { name: 'Stadthalle Hamburg', city: 'Hamburg' })).json.id;
      const park = (await promoter.client.request('POST', '/api/v1/venues', { name: 'Kurpark', city: 'Bad Pyrmont' })).json.id;
      const events: Array<[string, string, number]> = [
        ['Die Zauberflöte', halle, days(10)],
        ['Jazz im Park', park, days(3)],
        ['Sommerkonzert', halle, days(1)],
        ['Kinder-Zaubershow', park, days(20)],
        ['Ölbild-Lesung', halle, days(5)],
      ];
      for (const [name, venueId, offset] of events) {
        const res = await promoter.client.request('POST', '/api/v1/events', { venueId, name, startsAt: iso(now() + offset) });
        ids[name] = res.json.id;
      }
      // Performances of yesterday and of this morning, set up as the owner (the API refuses past starts).
      await server.tdb.asAdmin(async (db) => {
        for (const [name, startsAt] of [['Gestern im Park', now() - days(1)], ['Matinee heute', now() - 2 * 3_600_000]] as const) {
          const [row] = await db('events')
            .insert({ tenant_id: promoter.id, venue_id: park, name, starts_at: new Date(startsAt), sales_start: new Date(startsAt - days(10)), sales_end: new Date(startsAt), status: 'on_sale' })
            .returning('id');
          ids[name] = row.id;
        }
      });
    });
    afterAll(async () => {
      await server.close();
    });

    const names = async (query: Record<string, string> = {}) => {
      const search = new URLSearchParams(query).toString();
      const res = await promoter.client.request('GET', `/api/v1/events${search === '' ? '' : `?${search}`}`);
      expect(res.status, res.body).toBe(200);
      return res.json.map((e: { name: string }) => e.name);
    };

    it("lists today's and future performances by start, and older ones only on request", async () => {
      expect(await names()).toEqual(['Matinee heute', 'Sommerkonzert', 'Jazz im Park', 'Ölbild-Lesung', 'Die Zauberflöte', 'Kinder-Zaubershow']);
      expect((await names({ includePast: 'true' }))[0]).toBe('Gestern im Park');
      const matinee = (await promoter.client.request('GET', '/api/v1/events?q=matinee')).json[0];
      expect(matinee).toMatchObject({ status: 'on_sale', effectiveStatus: 'past', salesOpen: false });
      expect(await names({ from: iso(now() - days(2)), to: iso(now() + days(4)) })).toEqual(['Gestern im Park', 'Matinee heute', 'Sommerkonzert', 'Jazz im Park']);
      expect(await names({ limit: '2' })).toEqual(['Matinee heute', 'Sommerkonzert']);
      expect((await promoter.client.request('GET', '/api/v1/events?limit=51')).json.code).toBe('VALIDATION_FAILED');
    });

    it('matches the start of any word of the event or the venue, case-insensitively', async () => {
      expect(await names({ q: 'zau' })).toEqual(['Die Zauberflöte', 'Kinder-Zaubershow']);
      expect(await names({ q: 'ZAUBERF' })).toEqual(['Die Zauberflöte']);
      expect(await names({ q: 'flöte' })).toEqual([]);
      expect(await names({ q: 'ölb' })).toEqual(['Ölbild-Lesung']);
      expect(await names({ q: 'lesung' })).toEqual(['Ölbild-Lesung']);
      expect(await names({ q: 'stadth' })).toEqual(['Sommerkonzert', 'Ölbild-Lesung', 'Die Zauberflöte']);
      expect(await names({ q: 'park jaz' })).toEqual(['Jazz im Park']);
      expect(await names({ q: 'kurpark kinder' })).toEqual(['Kinder-Zaubershow']);
      expect(await names({ q: '%' })).toEqual([]);
      expect(await names({ q: '_' })).toEqual([]);
    });

    it('filters by venue and status', async () => {
      const venueId = (await promoter.client.request('GET', `/api/v1/events/${ids['Jazz im Park']}`)).json.venue.id;
      expect(await names({ venueId })).toEqual(['Matinee heute', 'Jazz im Park', 'Kinder-Zaubershow']);
      expect(await names({ status: 'on_sale', includePast: 'true' })).toEqual(['Gestern im Park', 'Matinee heute']);
      expect((await promoter.client.request('GET', '/api/v1/events?status=past')).json.code).toBe('VALIDATION_FAILED');
    });
  });
}
