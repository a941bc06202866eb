import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { bestRunByFullScan, findBestRun, type RunSearch } from '../../../server/src/modules/sales/seat-selection.js';
import { testBackends } from '../../support/backends.js';
import { createSalesFixture, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * The best-available search reads only the front rows (findBestRun); it must give exactly the answer of the
 * one-statement full scan it replaced (bestRunByFullScan) on any seat map: blocks whose names sort
 * differently by collation than by code point, sparse row numbers, gaps, sold seats, live and expired
 * holds, excluded seats, and maps fragmented enough to exhaust the partition walk.
 */
const BLOCKS = ['A', 'b', 'B', 'Ä', 'a', '10', '9', 'Zone Süd'];

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

for (const backend of testBackends()) {
  describe(`best available search (${backend})`, () => {
    let server: TestServer;
    let fx: SalesFixture;
    let seatIds: string[] = [];
    const now = new Date();

    beforeAll(async () => {
      server = await startTestServer(backend);
      // Block A rows 1–2 come from the fixture; the other blocks are added with sparse rows and gaps.
      fx = await createSalesFixture(server, { rows: 2, seatsPerRow: 12 });
      const random = rng(42);
      const rows: Array<Record<string, unknown>> = [];
      for (const block of BLOCKS.slice(1)) {
        for (const rowIndex of [1, 2, 3, 5, 8].filter(() => random() < 0.8)) {
          for (let n = 1; n <= 14; n += 1) {
            if (random() < 0.1) continue; // a gap in the numbering
            rows.push({ tenant_id: fx.promoterId, event_id: fx.eventId, category_id: fx.seatedCategoryId, block, row_label: `R${rowIndex}`, row_index: rowIndex, seat_number: n });
          }
        }
      }
      await server.tdb.asAdmin(async (admin) => {
        await admin('seats').insert(rows);
        const all = await admin('seats').where({ event_id: fx.eventId }).select<Array<{ id: string }>>('id');
        seatIds = all.map((s) => s.id);
      });
    }, 120_000);
    afterAll(async () => {
      await server.close();
    });

    it('finds the same run as the full scan on 60 random seat maps', async () => {
      const random = rng(7);
      let compared = 0;
      let found = 0;
      for (let map = 0; map < 60; map += 1) {
        // From almost empty to heavily fragmented.
        const free = 0.05 + random() * 0.9;
        const sold: string[] = [];
        const heldExpired: string[] = [];
        const heldLive: string[] = [];
        const available: string[] = [];
        for (const id of seatIds) {
          const r = random();
          if (r < free) available.push(id);
          else if (r < free + (1 - free) * 0.1) heldExpired.push(id);
          else if (r < free + (1 - free) * 0.2) heldLive.push(id);
          else sold.push(id);
        }
        await server.tdb.asAdmin(async (admin) => {
          await admin('seats').whereIn('id', available).update({ status: 'available', hold_id: null, hold_expires_at: null });
          await admin('seats').whereIn('id', sold).update({ status: 'sold', hold_id: null, hold_expires_at: null });
          await admin('seats').whereIn('id', heldExpired).update({ status: 'held', hold_id: randomUUID(), hold_expires_at: new Date(now.getTime() - 60_000) });
          await admin('seats').whereIn('id', heldLive).update({ status: 'held', hold_id: randomUUID(), hold_expires_at: new Date(now.getTime() + 60_000) });
        });
        const excluded = [...available, ...heldExpired].filter(() => random() < 0.05);
        for (const quantity of [1, 2, 3, 4, 6, 9, 15]) {
          const input: RunSearch = { eventId: fx.eventId, categoryId: fx.seatedCategoryId, quantity, now, excluded: map % 2 === 0 ? excluded : [] };
          const [fast, reference] = await inTenant(server.tdb.db.knex, { tenantId: server.tenants.outlet }, async (trx) => [await findBestRun(trx, input), await bestRunByFullScan(trx, input)]);
          expect(fast, `map ${map}, quantity ${quantity}`).toEqual(reference);
          compared += 1;
          if (reference !== undefined) found += 1;
        }
      }
      // The maps cover both outcomes.
      expect(found).toBeGreaterThan(compared / 3);
      expect(found).toBeLessThan(compared);
    }, 300_000);

    it('finds nothing for a category of another event', async () => {
      const other = await createSalesFixture(server, { rows: 1, seatsPerRow: 5 });
      const input: RunSearch = { eventId: fx.eventId, categoryId: other.seatedCategoryId, quantity: 1, now, excluded: [] };
      await inTenant(server.tdb.db.knex, { tenantId: server.tenants.outlet }, async (trx) => {
        expect(await findBestRun(trx, input)).toBeUndefined();
        expect(await bestRunByFullScan(trx, input)).toBeUndefined();
      });
    });
  });
}
