import type { Knex } from 'knex';
import type { EventStatus } from '../../../../src/shared/api/events.js';

type Db = Knex | Knex.Transaction;

export interface VenueRow {
  id: string;
  tenant_id: string;
  name: string;
  address: string;
  city: string;
  created_at: Date;
}

export interface EventRow {
  id: string;
  tenant_id: string;
  venue_id: string;
  name: string;
  starts_at: Date;
  sales_start: Date;
  sales_end: Date;
  status: EventStatus;
  created_at: Date;
}

export interface EventListRow extends EventRow {
  venue_name: string;
  venue_city: string;
}

export interface EventDetailRow extends EventRow {
  venue_name: string;
  venue_address: string;
  venue_city: string;
}

export interface CategoryRow {
  id: string;
  tenant_id: string;
  event_id: string;
  name: string;
  price_cents: number;
  vat_rate_bp: number;
  seated: boolean;
  capacity: number;
  sold: number;
  sort_order: number;
}

export interface VariantRow {
  id: string;
  category_id: string;
  name: string;
  price_cents: number;
}

export interface MapSeatRow {
  id: string;
  category_id: string;
  block: string;
  row_label: string;
  row_index: number;
  seat_number: number;
  status: 'available' | 'held' | 'sold';
  hold_expires_at: Date | null;
}

export interface EventSearch {
  terms: string[];
  from?: Date | undefined;
  to?: Date | undefined;
  venueId?: string | undefined;
  status?: EventStatus | undefined;
  limit: number;
}

/** Who looks: the promoter its own events, an outlet the published events it holds a sales right for. */
export type EventViewer = { kind: 'promoter'; tenantId: string } | { kind: 'outlet'; tenantId: string };

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Knex only. Every query also filters by the viewer in code; row-level security is the second wall
 * (an outlet sees only events it may sell, a promoter only its own).
 */
export function createEventRepository() {
  /** Restricts an events query (aliased `e`) to what the viewer may see. */
  function visibleTo(query: Knex.QueryBuilder, viewer: EventViewer): Knex.QueryBuilder {
    if (viewer.kind === 'promoter') return query.where('e.tenant_id', viewer.tenantId);
    return query
      .whereExists((sub) => void sub.select('r.event_id').from('sales_rights as r').whereRaw('r.event_id = e.id').andWhere('r.outlet_id', viewer.tenantId))
      .whereNot('e.status', 'draft');
  }

  return {
    async insertVenue(db: Db, row: { tenant_id: string; name: string; address: string; city: string; created_at: Date }): Promise<VenueRow> {
      const [venue] = await db('venues').insert(row).returning<VenueRow[]>('*');
      if (venue === undefined) throw new Error('venue insert returned no row');
      return venue;
    },

    listVenues(db: Db, tenantId: string): Promise<VenueRow[]> {
      return db('venues').where({ tenant_id: tenantId }).orderBy([{ column: 'name' }, { column: 'id' }]).select<VenueRow[]>('*');
    },

    findVenue(db: Db, tenantId: string, venueId: string): Promise<VenueRow | undefined> {
      return db('venues').where({ tenant_id: tenantId, id: venueId }).first<VenueRow | undefined>('*');
    },

    async insertEvent(db: Db, row: Omit<EventRow, 'id' | 'status'>): Promise<EventRow> {
      const [event] = await db('events').insert(row).returning<EventRow[]>('*');
      if (event === undefined) throw new Error('event insert returned no row');
      return event;
    },

    /**
     * The promoter's own event, locked FOR UPDATE. The lock conflicts with the key-share lock a sale's
     * order row takes on its event, so a change here (status, rights, quotas) waits for sales in flight
     * and sales that start later see the change: the two never interleave.
     */
    lockOwnEvent(trx: Knex.Transaction, tenantId: string, eventId: string): Promise<EventRow | undefined> {
      return trx('events').where({ id: eventId, tenant_id: tenantId }).forUpdate().first<EventRow | undefined>('*');
    },

    async updateEvent(trx: Knex.Transaction, eventId: string, changes: Partial<Pick<EventRow, 'venue_id' | 'name' | 'starts_at' | 'sales_start' | 'sales_end' | 'status'>>): Promise<EventRow> {
      const [event] = await trx('events').where({ id: eventId }).update(changes).returning<EventRow[]>('*');
      if (event === undefined) throw new Error('event update returned no row');
      return event;
    },

    findVisibleEvent(db: Db, viewer: EventViewer, eventId: string): Promise<EventDetailRow | undefined> {
      const query = db('events as e').join('venues as v', 'v.id', 'e.venue_id').where('e.id', eventId);
      visibleTo(query, viewer);
      return query.first<EventDetailRow | undefined>('e.*', 'v.name as venue_name', 'v.address as venue_address', 'v.city as venue_city');
    },

    searchEvents(db: Db, viewer: EventViewer, search: EventSearch): Promise<EventListRow[]> {
      const query = db('events as e').join('venues as v', 'v.id', 'e.venue_id');
      visibleTo(query, viewer);
      // Type-ahead: each term starts a word of the event's or the venue's name.
      for (const term of search.terms) {
        const t = likeEscape(term.toLowerCase());
        const patterns = [`${t}%`, `% ${t}%`, `%-${t}%`];
        void query.where((w) => {
          for (const p of patterns) void w.orWhereRaw('lower(e.name) LIKE ?', [p]).orWhereRaw('lower(v.name) LIKE ?', [p]);
        });
      }
      if (search.from !== undefined) void query.where('e.starts_at', '>=', search.from);
      if (search.to !== undefined) void query.where('e.starts_at', '<', search.to);
      if (search.venueId !== undefined) void query.where('e.venue_id', search.venueId);
      if (search.status !== undefined) void query.where('e.status', search.status);
      return query
        .orderBy([{ column: 'e.starts_at' }, { column: 'e.name' }, { column: 'e.id' }])
        .limit(search.limit)
        .select<EventListRow[]>('e.*', 'v.name as venue_name', 'v.city as venue_city');
    },

    listCategories(db: Db, eventId: string): Promise<CategoryRow[]> {
      return db('price_categories').where({ event_id: eventId }).orderBy([{ column: 'sort_order' }, { column: 'name' }]).select<CategoryRow[]>('*');
    },

    listVariants(db: Db, categoryIds: readonly string[]): Promise<VariantRow[]> {
      if (categoryIds.length === 0) return Promise.resolve([]);
      return db('price_variants').whereIn('category_id', categoryIds).orderBy([{ column: 'price_cents', order: 'desc' }, { column: 'name' }]).select<VariantRow[]>('id', 'category_id', 'name', 'price_cents');
    },

    async insertCategory(db: Db, row: Omit<CategoryRow, 'id' | 'sold'>): Promise<CategoryRow> {
      const [category] = await db('price_categories').insert(row).returning<CategoryRow[]>('*');
      if (category === undefined) throw new Error('category insert returned no row');
      return category;
    },

    async insertVariant(db: Db, row: { tenant_id: string; category_id: string; name: string; price_cents: number }): Promise<VariantRow> {
      const [variant] = await db('price_variants').insert(row).returning<VariantRow[]>(['id', 'category_id', 'name', 'price_cents']);
      if (variant === undefined) throw new Error('variant insert returned no row');
      return variant;
    },

    /** Valid tickets per category that one outlet sold for an event. */
    async soldByOutlet(db: Db, eventId: string, outletId: string): Promise<Map<string, number>> {
      const rows = await db('tickets')
        .where({ event_id: eventId, tenant_id: outletId, status: 'valid' })
        .groupBy('category_id')
        .select<Array<{ category_id: string; n: number }>>('category_id', db.raw('count(*)::int AS n'));
      return new Map(rows.map((r) => [r.category_id, r.n]));
    },

    async countSeats(db: Db, eventId: string): Promise<number> {
      const result = await db.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM seats WHERE event_id = ?', [eventId]);
      return result.rows[0]?.n ?? 0;
    },

    /** One row label per block of the event, to know whether a block numbers or letters its rows. */
    async blockRowSamples(db: Db, eventId: string): Promise<Map<string, string>> {
      const rows = await db('seats').where({ event_id: eventId }).groupBy('block').select<Array<{ block: string; label: string }>>('block', db.raw('min(row_label) AS label'));
      return new Map(rows.map((r) => [r.block, r.label]));
    },

    /** The first existing seat among a range of the definition, if any. */
    async firstExistingSeat(db: Db, eventId: string, range: { block: string; rowLabels: string[]; first: number; last: number; step: 1 | 2 }): Promise<{ row_label: string; seat_number: number } | undefined> {
      const query = db('seats')
        .where({ event_id: eventId, block: range.block })
        .whereIn('row_label', range.rowLabels)
        .whereBetween('seat_number', [range.first, range.last]);
      if (range.step === 2) void query.whereRaw('seat_number % 2 = ?', [range.first % 2]);
      return query.orderBy([{ column: 'row_index' }, { column: 'seat_number' }]).first<{ row_label: string; seat_number: number } | undefined>('row_label', 'seat_number');
    },

    /** Inserts rows × seat numbers of one range in one statement (the database expands them). */
    async insertSeatRange(
      trx: Knex.Transaction,
      range: { tenantId: string; eventId: string; categoryId: string; block: string; rows: Array<{ label: string; index: number }>; first: number; last: number; step: 1 | 2 },
    ): Promise<void> {
      await trx.raw(
        `INSERT INTO seats (tenant_id, event_id, category_id, block, row_label, row_index, seat_number)
         SELECT ?::uuid, ?::uuid, ?::uuid, ?, r.label, r.idx, n
           FROM unnest(?::text[], ?::int[]) AS r(label, idx)
          CROSS JOIN generate_series(?::int, ?::int, ?::int) AS n`,
        [range.tenantId, range.eventId, range.categoryId, range.block, range.rows.map((r) => r.label), range.rows.map((r) => r.index), range.first, range.last, range.step],
      );
    },

    /** Seated categories' capacity is their number of seats. */
    async syncSeatedCapacity(trx: Knex.Transaction, categoryIds: readonly string[]): Promise<void> {
      if (categoryIds.length === 0) return;
      await trx.raw(
        `UPDATE price_categories c SET capacity = (SELECT count(*) FROM seats s WHERE s.category_id = c.id)
          WHERE c.id = ANY(?::uuid[]) AND c.seated`,
        [[...categoryIds]],
      );
    },

    mapSeats(db: Db, eventId: string): Promise<MapSeatRow[]> {
      return db('seats')
        .where({ event_id: eventId })
        .orderBy([{ column: 'block' }, { column: 'row_index' }, { column: 'seat_number' }])
        .select<MapSeatRow[]>('id', 'category_id', 'block', 'row_label', 'row_index', 'seat_number', 'status', 'hold_expires_at');
    },

    /** Outlet tenants of the platform (a directory readable by every tenant, see migration 20261204150000). */
    listOutlets(db: Db): Promise<Array<{ id: string; code: string; name: string }>> {
      return db('tenants').where({ kind: 'outlet' }).orderBy([{ column: 'name' }, { column: 'code' }]).select('id', 'code', 'name');
    },

    findOutlet(db: Db, outletId: string): Promise<{ id: string; code: string; name: string } | undefined> {
      return db('tenants').where({ id: outletId, kind: 'outlet' }).first<{ id: string; code: string; name: string } | undefined>('id', 'code', 'name');
    },

    listSalesRights(db: Db, tenantId: string, eventId: string): Promise<Array<{ outlet_id: string; granted_at: Date; code: string; name: string }>> {
      return db('sales_rights as r')
        .join('tenants as t', 't.id', 'r.outlet_id')
        .where({ 'r.tenant_id': tenantId, 'r.event_id': eventId })
        .orderBy([{ column: 't.name' }, { column: 't.code' }])
        .select('r.outlet_id', 'r.granted_at', 't.code', 't.name');
    },

    findSalesRight(db: Db, tenantId: string, eventId: string, outletId: string): Promise<{ granted_at: Date } | undefined> {
      return db('sales_rights').where({ tenant_id: tenantId, event_id: eventId, outlet_id: outletId }).first<{ granted_at: Date } | undefined>('granted_at');
    },

    listQuotas(db: Db, tenantId: string, eventId: string, outletId?: string): Promise<Array<{ outlet_id: string; category_id: string; quota: number; sold: number }>> {
      const query = db('sales_quotas').where({ tenant_id: tenantId, event_id: eventId });
      if (outletId !== undefined) void query.where({ outlet_id: outletId });
      return query.select('outlet_id', 'category_id', 'quota', 'sold');
    },

    /** Valid tickets per (outlet, category) of an event, as its promoter sees them. */
    async soldPerOutlet(db: Db, promoterId: string, eventId: string): Promise<Array<{ tenant_id: string; category_id: string; n: number }>> {
      return db('tickets')
        .where({ event_id: eventId, promoter_id: promoterId, status: 'valid' })
        .groupBy('tenant_id', 'category_id')
        .select<Array<{ tenant_id: string; category_id: string; n: number }>>('tenant_id', 'category_id', db.raw('count(*)::int AS n'));
    },
  };
}

export type EventRepository = ReturnType<typeof createEventRepository>;
