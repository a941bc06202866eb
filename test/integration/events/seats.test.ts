import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { auditActions, createDraftEvent, createPromoter, createSeller, tomorrowNoon, UNKNOWN_ID, type Promoter, type Seller } from './helpers.js';

type Tuple = [string, number, number, number];
interface SeatMapJson {
  eventId: string;
  categories: Array<{ id: string; name: string; priceCents: number }>;
  statuses: string[];
  blocks: Array<{ name: string; rows: Array<{ label: string; index: number; seats: Tuple[] }> }>;
  counts: { available: number; held: number; sold: number };
}

for (const backend of testBackends()) {
  describe(`seats and seat map (${backend})`, () => {
    const clock = fixedClock(tomorrowNoon());
    let server: TestServer;
    let promoter: Promoter;
    let seller: Seller;
    let eventId: string;
    const cat: Record<string, string> = {};

    const define = (definition: string, event = eventId) => promoter.client.request('POST', `/api/v1/events/${event}/seats`, { definition });
    const seatCount = (event = eventId) => server.tdb.asAdmin(async (db) => Number((await db('seats').where({ event_id: event }).count<Array<{ count: number }>>('* as count'))[0]!.count));
    const capacities = async () => Object.fromEntries(((await promoter.client.request('GET', `/api/v1/events/${eventId}`)).json.categories as Array<{ name: string; capacity: number }>).map((c) => [c.name, c.capacity]));

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      promoter = await createPromoter(server, 'konzertbuero');
      seller = await createSeller(server, server.tenants.outlet, 'a.kasse');
      ({ eventId } = await createDraftEvent(promoter, clock.now()));
      for (const [name, seated, priceCents] of [['Kat 1', true, 5500], ['Kat 2', true, 4500], ['Stehplatz', false, 3000]] as const) {
        const res = await promoter.client.request('POST', `/api/v1/events/${eventId}/categories`, { name, priceCents, seated, ...(seated ? {} : { capacity: 100 }) });
        cat[name] = res.json.id;
      }
    });
    afterAll(async () => {
      await server.close();
    });

    it('creates the seats of a mixed English and German definition and sets the seated capacities', async () => {
      const res = await define(['# Parkett', 'Block A rows 1-3 seats 1-10 category "Kat 1"', 'Block B Reihe 1–2 Platz 1–5 Kategorie "Kat 2"', 'Block 10 rows A-B seats 1-9 odd, category kat 2'].join('\n'));
      expect(res.status, res.body).toBe(201);
      expect(res.json).toEqual({
        createdSeats: 30 + 10 + 10,
        totalSeats: 50,
        categories: [
          { id: cat['Kat 1'], name: 'Kat 1', capacity: 30 },
          { id: cat['Kat 2'], name: 'Kat 2', capacity: 20 },
        ],
      });
      expect(await seatCount()).toBe(50);
      expect(await capacities()).toEqual({ 'Kat 1': 30, 'Kat 2': 20, Stehplatz: 100 });
      const audit = await server.tdb.asAdmin((db) => db('audit_log').where({ tenant_id: promoter.id, action: 'seats.create' }).first('details'));
      expect(audit.details).toMatchObject({ lines: 3, seats: 50 });
    });

    it('refuses a bad definition with a coded 400 naming the line, and changes nothing', async () => {
      const before = { seats: await seatCount(), capacities: await capacities(), audit: await auditActions(server, promoter.id, eventId) };
      const cases: Array<[string, number, string, number]> = [
        ['Block C rows 1-2 seats 1-5 category "Kat 1"\nBlock C rows 3 seats 1-5 category "Kat 9"', 400, 'UNKNOWN_CATEGORY', 2],
        ['Block C rows 1-2 seats 1-5 category "Kat 1"\nBlock D rows 1 seats 1-5 category Stehplatz', 400, 'CATEGORY_NOT_SEATED', 2],
        ['Block C rows 1-2 seats 1-5 category "Kat 1"\n\nBlock A rows 3-4 seats 10-12 category "Kat 2"', 400, 'SEAT_OVERLAP', 3],
        ['Block C rows 1-2 seats 1-5 category "Kat 1"\nBlock C row 2 seat 5 category "Kat 1"', 400, 'SEAT_OVERLAP', 2],
        ['Block C rows 1-2 seats 1-5 category "Kat 1"\nBlock C rows 3 seats category "Kat 1"', 400, 'SEAT_DEFINITION_SYNTAX', 2],
        ['Block A rows C-D seats 1-5 category "Kat 1"', 400, 'ROW_KIND_MIXED', 1],
        ['Block Z rows 1-400 seats 1-300 category "Kat 1"', 400, 'TOO_MANY_SEATS', 0],
        ['# nichts', 400, 'SEAT_DEFINITION_EMPTY', 0],
      ];
      for (const [definition, status, code, line] of cases) {
        const res = await define(definition);
        expect([res.status, res.json.code], definition).toEqual([status, code]);
        if (line > 0) {
          expect(res.json.detail).toMatch(new RegExp(`^Line ${line}: `));
          expect(res.json.errors[0].path).toBe(`body/definition/line/${line}`);
        }
      }
      const overlap = await define('Block A rows 3-4 seats 10-12 category "Kat 2"');
      expect(overlap.json.detail).toBe('Line 1: block A row 3 seat 10 already exists.');
      expect({ seats: await seatCount(), capacities: await capacities(), audit: await auditActions(server, promoter.id, eventId) }).toEqual(before);
    });

    it('exports the seat map compactly: blocks, rows front to back, seat tuples, legend', async () => {
      const res = await promoter.client.request('GET', `/api/v1/events/${eventId}/seatmap`);
      expect(res.status).toBe(200);
      const map = res.json as SeatMapJson;
      expect(map.eventId).toBe(eventId);
      expect(map.statuses).toEqual(['available', 'held', 'sold']);
      expect(map.categories).toEqual([
        { id: cat['Kat 1'], name: 'Kat 1', priceCents: 5500 },
        { id: cat['Kat 2'], name: 'Kat 2', priceCents: 4500 },
      ]);
      // Natural order: numbered blocks first, "2" before "10".
      expect(map.blocks.map((b) => b.name)).toEqual(['10', 'A', 'B']);
      expect(map.blocks[1]!.rows.map((r) => [r.label, r.index, r.seats.length])).toEqual([
        ['1', 1, 10],
        ['2', 2, 10],
        ['3', 3, 10],
      ]);
      expect(map.blocks[0]!.rows.map((r) => [r.label, r.index, r.seats.map((s) => s[1])])).toEqual([
        ['A', 1, [1, 3, 5, 7, 9]],
        ['B', 2, [1, 3, 5, 7, 9]],
      ]);
      const seat = map.blocks[2]!.rows[0]!.seats[0]!;
      expect(seat).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), 1, 1, 0]);
      expect(map.counts).toEqual({ available: 50, held: 0, sold: 0 });
    });

    it('shows sold, held and released seats to the promoter and to selling outlets only', async () => {
      const blockA = (map: SeatMapJson) => map.blocks.find((b) => b.name === 'A')!;
      const seatOf = async () => blockA((await promoter.client.request('GET', `/api/v1/events/${eventId}/seatmap`)).json as SeatMapJson).rows[0]!.seats;
      const [first, second] = await seatOf();
      const hidden = await seller.client.request('GET', `/api/v1/events/${eventId}/seatmap`);
      const missing = await seller.client.request('GET', `/api/v1/events/${UNKNOWN_ID}/seatmap`);
      expect([hidden.status, hidden.json.detail]).toEqual([404, missing.json.detail]);

      expect((await promoter.client.request('PUT', `/api/v1/events/${eventId}/sales-rights/${server.tenants.outlet}`, {})).status).toBe(201);
      expect((await promoter.client.request('POST', `/api/v1/events/${eventId}/status`, { status: 'on_sale' })).status).toBe(200);
      expect((await define('Block C rows 1 seats 1-5 category "Kat 1"')).json.code).toBe('EVENT_NOT_DRAFT');
      expect((await seller.sell({ eventId, channel: 'counter', seats: [{ seatId: first![0] }], payment: { method: 'card', reference: 'EC-1' } })).status).toBe(201);
      expect((await seller.client.request('POST', '/api/v1/holds', { eventId, seats: [second![0]] })).status).toBe(201);

      const outletMap = (await seller.client.request('GET', `/api/v1/events/${eventId}/seatmap`)).json as SeatMapJson;
      expect(blockA(outletMap).rows[0]!.seats.slice(0, 3).map((s) => s[3])).toEqual([2, 1, 0]);
      expect(outletMap.counts).toEqual({ available: 48, held: 1, sold: 1 });
      clock.advance(11 * 60_000);
      const later = (await promoter.client.request('GET', `/api/v1/events/${eventId}/seatmap`)).json as SeatMapJson;
      expect(later.counts).toEqual({ available: 49, held: 0, sold: 1 });
    });

    it('draws a 20 000-seat hall from a map of about 1 MB', async () => {
      const { eventId: big } = await createDraftEvent(promoter, clock.now(), 'Arena');
      await promoter.client.request('POST', `/api/v1/events/${big}/categories`, { name: 'Innenraum', priceCents: 8900, seated: true });
      await promoter.client.request('POST', `/api/v1/events/${big}/categories`, { name: 'Tribüne', priceCents: 6900, seated: true });
      let started = performance.now();
      const created = await define('Block Innenraum rows 1-100 seats 1-100 category Innenraum\nBlock Nord rows A-CV seats 1-100 category Tribüne', big);
      const createMs = performance.now() - started;
      expect(created.status, created.body).toBe(201);
      expect(created.json.totalSeats).toBe(20_000);
      started = performance.now();
      const res = await promoter.client.request('GET', `/api/v1/events/${big}/seatmap`);
      const mapMs = performance.now() - started;
      expect(res.status).toBe(200);
      const map = res.json as SeatMapJson;
      expect(map.counts.available).toBe(20_000);
      expect(map.blocks.map((b) => [b.name, b.rows.length])).toEqual([
        ['Innenraum', 100],
        ['Nord', 100],
      ]);
      expect(map.blocks[1]!.rows[99]!.label).toBe('CV');
      // ~49 bytes a seat; verbose objects would be about three times as large.
      expect(res.body.length).toBeLessThan(1_100_000);
      console.warn(`[${backend}] 20 000 seats: definition ${createMs.toFixed(0)} ms, seat map ${mapMs.toFixed(0)} ms, ${(res.body.length / 1e6).toFixed(2)} MB`);
    });
  });
}
