import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { TestServer } from './test-server.js';

export interface SalesFixture {
  promoterId: string;
  eventId: string;
  gaCategoryId: string;
  seatedCategoryId: string;
  reducedVariantId: string;
  seatIds: string[];
}

/**
 * An event on sale, set up directly as the owner (the events API has its own tests): a general-admission
 * category and a seated category with block A, `rows` rows of `seatsPerRow` seats, sold by outlet A.
 */
export async function createSalesFixture(
  server: Pick<TestServer, 'tdb' | 'tenants'>,
  options: { gaCapacity?: number; rows?: number; seatsPerRow?: number; quotas?: { ga?: number; seated?: number }; sellers?: string[] } = {},
): Promise<SalesFixture> {
  const now = Date.now();
  return server.tdb.asAdmin(async (admin: Knex) => {
    const code = `promo-${randomUUID().slice(0, 8)}`;
    const [promoter] = await admin('tenants').insert({ kind: 'promoter', code, name: 'Konzertbüro', parent_id: server.tenants.operator }).returning('id');
    const [venue] = await admin('venues').insert({ tenant_id: promoter.id, name: 'Stadthalle', city: 'Hamburg' }).returning('id');
    const [event] = await admin('events')
      .insert({
        tenant_id: promoter.id,
        venue_id: venue.id,
        name: 'Sommerkonzert',
        starts_at: new Date(now + 31 * 86_400_000),
        sales_start: new Date(now - 86_400_000),
        sales_end: new Date(now + 30 * 86_400_000),
        status: 'on_sale',
      })
      .returning('id');
    const rows = options.rows ?? 5;
    const perRow = options.seatsPerRow ?? 10;
    const [ga] = await admin('price_categories')
      .insert({ tenant_id: promoter.id, event_id: event.id, name: 'Stehplatz', price_cents: 3500, vat_rate_bp: 700, seated: false, capacity: options.gaCapacity ?? 100, sort_order: 2 })
      .returning('id');
    const [seated] = await admin('price_categories')
      .insert({ tenant_id: promoter.id, event_id: event.id, name: 'Kat 1', price_cents: 5500, vat_rate_bp: 700, seated: true, capacity: rows * perRow, sort_order: 1 })
      .returning('id');
    const [variant] = await admin('price_variants').insert({ tenant_id: promoter.id, category_id: seated.id, name: 'Ermäßigt', price_cents: 2500 }).returning('id');
    const seatRows = [];
    for (let r = 1; r <= rows; r += 1) {
      for (let n = 1; n <= perRow; n += 1) {
        seatRows.push({ tenant_id: promoter.id, event_id: event.id, category_id: seated.id, block: 'A', row_label: String(r), row_index: r, seat_number: n });
      }
    }
    const seatIds: string[] = [];
    for (let i = 0; i < seatRows.length; i += 1000) {
      const inserted = await admin('seats').insert(seatRows.slice(i, i + 1000)).returning('id');
      seatIds.push(...inserted.map((s: { id: string }) => s.id));
    }
    for (const outlet of options.sellers ?? [server.tenants.outlet]) {
      await admin('sales_rights').insert({ tenant_id: promoter.id, event_id: event.id, outlet_id: outlet, granted_at: new Date() });
      if (options.quotas?.ga !== undefined) {
        await admin('sales_quotas').insert({ tenant_id: promoter.id, event_id: event.id, outlet_id: outlet, category_id: ga.id, quota: options.quotas.ga });
      }
      if (options.quotas?.seated !== undefined) {
        await admin('sales_quotas').insert({ tenant_id: promoter.id, event_id: event.id, outlet_id: outlet, category_id: seated.id, quota: options.quotas.seated });
      }
    }
    return { promoterId: promoter.id, eventId: event.id, gaCategoryId: ga.id, seatedCategoryId: seated.id, reducedVariantId: variant.id, seatIds };
  });
}

/** Opens a till for (workstation, user) directly; the till API has its own tests. */
export async function openTill(server: Pick<TestServer, 'tdb'>, tenantId: string, workstationId: string, userId: string, floatCents = 10_000): Promise<string> {
  return server.tdb.asAdmin(async (admin: Knex) => {
    const [row] = await admin('till_sessions').insert({ tenant_id: tenantId, workstation_id: workstationId, user_id: userId, opened_at: new Date(), opening_float_cents: floatCents }).returning('id');
    return row.id as string;
  });
}

export const newKey = (): string => randomUUID().replaceAll('-', '');

/** Sold counters and ticket rows must agree; returns both for assertions. */
export async function counters(server: Pick<TestServer, 'tdb'>, fixture: SalesFixture): Promise<{ categories: Record<string, { sold: number; valid: number }>; soldSeats: number }> {
  return server.tdb.asAdmin(async (admin: Knex) => {
    const cats = await admin('price_categories').where({ event_id: fixture.eventId }).select('id', 'name', 'sold');
    const result: Record<string, { sold: number; valid: number }> = {};
    for (const c of cats) {
      const rows = await admin('tickets').where({ category_id: c.id, status: 'valid' }).count<Array<{ count: number }>>('* as count');
      result[c.name] = { sold: c.sold, valid: Number(rows[0]?.count) };
    }
    const seats = await admin('seats').where({ event_id: fixture.eventId, status: 'sold' }).count<Array<{ count: number }>>('* as count');
    return { categories: result, soldSeats: Number(seats[0]?.count) };
  });
}
