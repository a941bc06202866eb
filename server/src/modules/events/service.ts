import type { Knex } from 'knex';
import type {
  CategoryView,
  ChangeEventStatusRequest,
  CreateCategoryRequest,
  CreateEventRequest,
  CreateSeatsResponse,
  CreateVariantRequest,
  CreateVenueRequest,
  EventDetail,
  EventSearchQuery,
  EventStatus,
  EventSummary,
  PutSalesRightRequest,
  SalesRightView,
  SeatMap,
  UpdateCategoryRequest,
  UpdateEventRequest,
  VariantView,
  VenueView,
} from '../../../../src/shared/api/events.js';
import type { TenantKind } from '../../../../src/shared/api/system.js';
import { parseSeatDefinition, rowKindOf, SEAT_DEFINITION_LIMITS, type SeatDefinitionError } from '../../../../src/shared/domain/seat-definition.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { appendActorAudit } from '../audit/repository.js';
import type { Actor } from '../identity/users-service.js';
import { startOfLocalDay } from './local-day.js';
import { createEventRepository, type CategoryRow, type EventRow, type EventViewer, type VariantRow, type VenueRow } from './repository.js';
import { buildSeatMap } from './seat-map.js';

/** The caller of a promoter-side operation: the user and the kind of tenant it works for. */
export interface EventCaller {
  actor: Actor;
  tenantKind: TenantKind;
}

export interface EventSettings {
  /** Seats of one event, existing and new together. */
  maxSeatsPerEvent: number;
  maxCategoriesPerEvent: number;
  maxVariantsPerCategory: number;
  /** Longest wait for the event's row lock (sales in flight) before a change answers BUSY_RETRY. */
  lockTimeoutMs: number;
}

export const DEFAULT_EVENT_SETTINGS: EventSettings = { maxSeatsPerEvent: SEAT_DEFINITION_LIMITS.maxSeats, maxCategoriesPerEvent: 50, maxVariantsPerCategory: 20, lockTimeoutMs: 5000 };

const DAY_MS = 86_400_000;

/** Allowed status changes; cancelled is final. */
const TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  draft: ['on_sale', 'cancelled'],
  on_sale: ['sales_stopped', 'cancelled'],
  sales_stopped: ['on_sale', 'cancelled'],
  cancelled: [],
};

const badRequest = (code: string, message: string, extra: ConstructorParameters<typeof AppError>[3] = {}) => new AppError(400, code, message, extra);
const conflict = (code: string, message: string) => new AppError(409, code, message);
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export function effectiveStatus(event: Pick<EventRow, 'status' | 'starts_at'>, now: Date): EventSummary['effectiveStatus'] {
  if (event.status === 'cancelled') return 'cancelled';
  return event.starts_at.getTime() <= now.getTime() ? 'past' : event.status;
}

function salesOpen(event: Pick<EventRow, 'status' | 'sales_start' | 'sales_end'>, now: Date): boolean {
  return event.status === 'on_sale' && now >= event.sales_start && now < event.sales_end;
}

function summaryOf(e: EventRow & { venue_name: string; venue_city: string }, now: Date): EventSummary {
  return {
    id: e.id,
    name: e.name,
    startsAt: e.starts_at.toISOString(),
    salesStart: e.sales_start.toISOString(),
    salesEnd: e.sales_end.toISOString(),
    status: e.status,
    effectiveStatus: effectiveStatus(e, now),
    salesOpen: salesOpen(e, now),
    venue: { id: e.venue_id, name: e.venue_name, city: e.venue_city },
  };
}

const venueView = (v: VenueRow): VenueView => ({ id: v.id, name: v.name, address: v.address, city: v.city, createdAt: v.created_at.toISOString() });
const variantView = (v: VariantRow): VariantView => ({ id: v.id, name: v.name, priceCents: v.price_cents });

function promoterCategoryView(c: CategoryRow, variants: readonly VariantRow[]): CategoryView {
  return {
    id: c.id,
    name: c.name,
    priceCents: c.price_cents,
    vatRateBp: c.vat_rate_bp,
    seated: c.seated,
    sortOrder: c.sort_order,
    capacity: c.capacity,
    sold: c.sold,
    remaining: Math.max(0, c.capacity - c.sold),
    quota: null,
    variants: variants.filter((v) => v.category_id === c.id).map(variantView),
  };
}

/** Sales-window rules of the events table, checked first so that the client gets a coded answer. */
function checkTimes(t: { startsAt: Date; salesStart: Date; salesEnd: Date }): void {
  if (t.salesStart.getTime() >= t.salesEnd.getTime()) throw badRequest('INVALID_SALES_WINDOW', 'Sales must start before they end.');
  if (t.salesEnd.getTime() > t.startsAt.getTime() + DAY_MS) throw badRequest('INVALID_SALES_WINDOW', 'Sales end at most one day after the performance starts.');
}

export function createEventsService(deps: { knex: Knex; clock: Clock; settings?: Partial<EventSettings> }) {
  const settings: EventSettings = { ...DEFAULT_EVENT_SETTINGS, ...deps.settings };
  const repo = createEventRepository();

  const audit = (trx: Knex.Transaction, actor: Actor, now: Date, action: string, entity: string, entityId: string, details: Record<string, unknown>) =>
    appendActorAudit(trx, actor, now, { action, entity, entityId, details });

  function requirePromoter(caller: EventCaller): void {
    if (caller.tenantKind !== 'promoter') throw new AppError(403, 'PROMOTER_ONLY', 'Only promoters create venues and events.');
  }

  const inOwnTenant = <T>(actor: Actor, fn: (trx: Knex.Transaction) => Promise<T>) => inTenant(deps.knex, { tenantId: actor.tenantId }, fn);

  /**
   * Runs a change of one of the caller's events in a transaction holding the event's row lock. An event
   * of another tenant is "not found", exactly like a missing one.
   */
  function changeOwnEvent<T>(caller: EventCaller, eventId: string, fn: (trx: Knex.Transaction, event: EventRow, now: Date) => Promise<T>): Promise<T> {
    const now = deps.clock.now();
    return inOwnTenant(caller.actor, async (trx) => {
      await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${settings.lockTimeoutMs}ms`]);
      const event = await repo.lockOwnEvent(trx, caller.actor.tenantId, eventId);
      if (event === undefined) throw notFound('Event');
      return fn(trx, event, now);
    });
  }

  const requireDraft = (event: EventRow, what: string) => {
    if (event.status !== 'draft') throw conflict('EVENT_NOT_DRAFT', `${what} only while the event is a draft (it is ${event.status}).`);
  };
  const requireNotCancelled = (event: EventRow) => {
    if (event.status === 'cancelled') throw conflict('EVENT_CANCELLED', 'The event is cancelled; it cannot be changed any more.');
  };

  async function ownCategory(trx: Knex.Transaction, eventId: string, categoryId: string): Promise<CategoryRow> {
    const category = await trx('price_categories').where({ id: categoryId, event_id: eventId }).first<CategoryRow | undefined>('*');
    if (category === undefined) throw notFound('Category');
    return category;
  }

  async function detail(trx: Knex.Transaction, viewer: EventViewer, eventId: string, now: Date): Promise<EventDetail> {
    const event = await repo.findVisibleEvent(trx, viewer, eventId);
    if (event === undefined) throw notFound('Event');
    const categories = await repo.listCategories(trx, eventId);
    const variants = await repo.listVariants(trx, categories.map((c) => c.id));
    let views: CategoryView[];
    if (viewer.kind === 'promoter') {
      views = categories.map((c) => promoterCategoryView(c, variants));
    } else {
      // An outlet sees what it can still sell and its own sales, never the capacity or other outlets' figures.
      const quotas = new Map(
        (await trx('sales_quotas').where({ event_id: eventId, outlet_id: viewer.tenantId }).select<Array<{ category_id: string; quota: number; sold: number }>>('category_id', 'quota', 'sold')).map((q) => [q.category_id, q]),
      );
      const sold = await repo.soldByOutlet(trx, eventId, viewer.tenantId);
      views = categories.map((c) => {
        const quota = quotas.get(c.id);
        const categoryLeft = Math.max(0, c.capacity - c.sold);
        return {
          ...promoterCategoryView(c, variants),
          capacity: null,
          sold: sold.get(c.id) ?? 0,
          remaining: quota === undefined ? categoryLeft : Math.min(categoryLeft, Math.max(0, quota.quota - quota.sold)),
          quota: quota === undefined ? null : { quota: quota.quota, sold: quota.sold },
        };
      });
    }
    return {
      ...summaryOf(event, now),
      venue: { id: event.venue_id, name: event.venue_name, address: event.venue_address, city: event.venue_city },
      seated: categories.some((c) => c.seated),
      categories: views,
    };
  }

  async function salesRightView(trx: Knex.Transaction, promoterId: string, eventId: string, outletId: string): Promise<SalesRightView> {
    const views = await salesRightViews(trx, promoterId, eventId, outletId);
    const view = views[0];
    if (view === undefined) throw notFound('Sales right');
    return view;
  }

  async function salesRightViews(trx: Knex.Transaction, promoterId: string, eventId: string, onlyOutlet?: string): Promise<SalesRightView[]> {
    const rights = (await repo.listSalesRights(trx, promoterId, eventId)).filter((r) => onlyOutlet === undefined || r.outlet_id === onlyOutlet);
    const categories = await repo.listCategories(trx, eventId);
    const quotas = await repo.listQuotas(trx, promoterId, eventId, onlyOutlet);
    const sold = await repo.soldPerOutlet(trx, promoterId, eventId);
    return rights.map((r) => ({
      outletId: r.outlet_id,
      outletCode: r.code,
      outletName: r.name,
      grantedAt: r.granted_at.toISOString(),
      categories: categories.map((c) => ({
        categoryId: c.id,
        quota: quotas.find((q) => q.outlet_id === r.outlet_id && q.category_id === c.id)?.quota ?? null,
        sold: sold.find((s) => s.tenant_id === r.outlet_id && s.category_id === c.id)?.n ?? 0,
      })),
    }));
  }

  const seatDefinitionError = (errors: readonly SeatDefinitionError[] | ReadonlyArray<{ line: number; code: string; message: string }>) => {
    const first = errors[0]!;
    return badRequest(first.code, first.message, {
      errors: errors.slice(0, 20).map((e) => ({ path: e.line > 0 ? `body/definition/line/${e.line}` : 'body/definition', message: e.message })),
    });
  };

  return {
    settings,

    async createVenue(caller: EventCaller, input: CreateVenueRequest): Promise<VenueView> {
      requirePromoter(caller);
      const now = deps.clock.now();
      return inOwnTenant(caller.actor, async (trx) => {
        const venue = await repo.insertVenue(trx, { tenant_id: caller.actor.tenantId, name: input.name.trim(), address: (input.address ?? '').trim(), city: (input.city ?? '').trim(), created_at: now });
        await audit(trx, caller.actor, now, 'venue.create', 'venue', venue.id, { name: venue.name, city: venue.city });
        return venueView(venue);
      });
    },

    async listVenues(caller: EventCaller): Promise<VenueView[]> {
      return inOwnTenant(caller.actor, async (trx) => (await repo.listVenues(trx, caller.actor.tenantId)).map(venueView));
    },

    async createEvent(caller: EventCaller, input: CreateEventRequest): Promise<EventDetail> {
      requirePromoter(caller);
      const now = deps.clock.now();
      const startsAt = new Date(input.startsAt);
      const salesStart = input.salesStart === undefined ? now : new Date(input.salesStart);
      const salesEnd = input.salesEnd === undefined ? startsAt : new Date(input.salesEnd);
      if (startsAt.getTime() <= now.getTime()) throw badRequest('EVENT_IN_PAST', 'The performance must start in the future.');
      checkTimes({ startsAt, salesStart, salesEnd });
      return inOwnTenant(caller.actor, async (trx) => {
        const venue = await repo.findVenue(trx, caller.actor.tenantId, input.venueId);
        if (venue === undefined) throw notFound('Venue');
        const event = await repo.insertEvent(trx, { tenant_id: caller.actor.tenantId, venue_id: venue.id, name: input.name.trim(), starts_at: startsAt, sales_start: salesStart, sales_end: salesEnd, created_at: now });
        await audit(trx, caller.actor, now, 'event.create', 'event', event.id, { name: event.name, venueId: venue.id, startsAt: startsAt.toISOString(), salesStart: salesStart.toISOString(), salesEnd: salesEnd.toISOString() });
        return detail(trx, { kind: 'promoter', tenantId: caller.actor.tenantId }, event.id, now);
      });
    },

    async updateEvent(caller: EventCaller, eventId: string, input: UpdateEventRequest): Promise<EventDetail> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        requireNotCancelled(event);
        const draftOnly = (['venueId', 'name', 'startsAt', 'salesStart'] as const).filter((k) => input[k] !== undefined);
        if (draftOnly.length > 0 && event.status !== 'draft') {
          throw conflict('EVENT_NOT_DRAFT', `Only the end of sales can change once the event is ${event.status} (refused: ${draftOnly.join(', ')}).`);
        }
        const next = {
          venue_id: input.venueId ?? event.venue_id,
          name: input.name?.trim() ?? event.name,
          starts_at: input.startsAt === undefined ? event.starts_at : new Date(input.startsAt),
          sales_start: input.salesStart === undefined ? event.sales_start : new Date(input.salesStart),
          sales_end: input.salesEnd === undefined ? event.sales_end : new Date(input.salesEnd),
        };
        if (input.startsAt !== undefined && next.starts_at.getTime() <= now.getTime()) throw badRequest('EVENT_IN_PAST', 'The performance must start in the future.');
        checkTimes({ startsAt: next.starts_at, salesStart: next.sales_start, salesEnd: next.sales_end });
        if (input.venueId !== undefined && (await repo.findVenue(trx, caller.actor.tenantId, input.venueId)) === undefined) throw notFound('Venue');
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        const patch: Partial<Pick<EventRow, 'venue_id' | 'name' | 'starts_at' | 'sales_start' | 'sales_end'>> = {};
        for (const key of ['venue_id', 'name', 'starts_at', 'sales_start', 'sales_end'] as const) {
          const before = event[key];
          const after = next[key];
          const same = before instanceof Date && after instanceof Date ? before.getTime() === after.getTime() : before === after;
          if (same) continue;
          Object.assign(patch, { [key]: after });
          changes[key] = { from: before instanceof Date ? before.toISOString() : before, to: after instanceof Date ? after.toISOString() : after };
        }
        if (Object.keys(patch).length > 0) {
          await repo.updateEvent(trx, event.id, patch);
          await audit(trx, caller.actor, now, 'event.update', 'event', event.id, { changes });
        }
        return detail(trx, { kind: 'promoter', tenantId: caller.actor.tenantId }, event.id, now);
      });
    },

    async changeStatus(caller: EventCaller, eventId: string, input: ChangeEventStatusRequest): Promise<EventDetail> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        const to = input.status;
        if (event.status !== to) {
          if (!TRANSITIONS[event.status].includes(to)) {
            throw conflict('INVALID_STATUS_TRANSITION', `An event that is ${event.status} cannot become ${to}.`);
          }
          if (event.status === 'draft' && to === 'on_sale') {
            const categories = await repo.listCategories(trx, event.id);
            if (!categories.some((c) => c.capacity > 0)) throw conflict('EVENT_NOT_READY', 'Add a price category with capacity (or seats) before the event goes on sale.');
          }
          await repo.updateEvent(trx, event.id, { status: to });
          await audit(trx, caller.actor, now, 'event.status_change', 'event', event.id, { from: event.status, to });
        }
        return detail(trx, { kind: 'promoter', tenantId: caller.actor.tenantId }, event.id, now);
      });
    },

    async search(viewer: EventViewer, query: EventSearchQuery): Promise<EventSummary[]> {
      const now = deps.clock.now();
      const terms = (query.q ?? '').normalize('NFC').split(/\s+/).filter(Boolean).slice(0, 5);
      // UX: only today's and future performances unless asked otherwise.
      const from = query.from !== undefined ? new Date(query.from) : query.includePast === true ? undefined : startOfLocalDay(now);
      const rows = await inTenant(deps.knex, { tenantId: viewer.tenantId }, (trx) =>
        repo.searchEvents(trx, viewer, { terms, from, to: query.to === undefined ? undefined : new Date(query.to), venueId: query.venueId, status: query.status, limit: query.limit ?? 20 }),
      );
      return rows.map((r) => summaryOf(r, now));
    },

    async get(viewer: EventViewer, eventId: string): Promise<EventDetail> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: viewer.tenantId }, (trx) => detail(trx, viewer, eventId, now));
    },

    async createCategory(caller: EventCaller, eventId: string, input: CreateCategoryRequest): Promise<CategoryView> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        requireDraft(event, 'Price categories can be added');
        const seated = input.seated ?? false;
        if (!seated && input.capacity === undefined) throw badRequest('CAPACITY_REQUIRED', 'A general-admission category needs a capacity.');
        if (seated && input.capacity !== undefined && input.capacity !== 0) {
          throw badRequest('SEATED_CAPACITY_FROM_SEATS', 'A seated category takes its capacity from its seats (POST …/seats).');
        }
        const existing = await repo.listCategories(trx, event.id);
        if (existing.length >= settings.maxCategoriesPerEvent) throw conflict('TOO_MANY_CATEGORIES', `An event has at most ${settings.maxCategoriesPerEvent} price categories.`);
        const name = input.name.trim();
        if (existing.some((c) => c.name === name)) throw conflict('CATEGORY_NAME_TAKEN', `The event already has a category "${name}".`);
        const category = await repo.insertCategory(trx, {
          tenant_id: caller.actor.tenantId,
          event_id: event.id,
          name,
          price_cents: input.priceCents,
          vat_rate_bp: input.vatRateBp ?? 700,
          seated,
          capacity: seated ? 0 : (input.capacity ?? 0),
          sort_order: existing.reduce((max, c) => Math.max(max, c.sort_order + 1), 0),
        });
        await audit(trx, caller.actor, now, 'category.create', 'event', event.id, {
          categoryId: category.id,
          name,
          priceCents: category.price_cents,
          vatRateBp: category.vat_rate_bp,
          seated,
          capacity: category.capacity,
        });
        return promoterCategoryView(category, []);
      });
    },

    async updateCategory(caller: EventCaller, eventId: string, categoryId: string, input: UpdateCategoryRequest): Promise<CategoryView> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        const category = await ownCategory(trx, event.id, categoryId);
        requireNotCancelled(event);
        const draftOnly = (['name', 'priceCents', 'vatRateBp', 'sortOrder'] as const).filter((k) => input[k] !== undefined);
        if (draftOnly.length > 0) requireDraft(event, `${draftOnly.join(', ')} can be changed`);
        const patch: Partial<CategoryRow> = {};
        if (input.name !== undefined && input.name.trim() !== category.name) {
          const name = input.name.trim();
          if ((await trx('price_categories').where({ event_id: event.id, name }).first('id')) !== undefined) throw conflict('CATEGORY_NAME_TAKEN', `The event already has a category "${name}".`);
          patch.name = name;
        }
        if (input.priceCents !== undefined && input.priceCents !== category.price_cents) patch.price_cents = input.priceCents;
        if (input.vatRateBp !== undefined && input.vatRateBp !== category.vat_rate_bp) patch.vat_rate_bp = input.vatRateBp;
        if (input.sortOrder !== undefined && input.sortOrder !== category.sort_order) patch.sort_order = input.sortOrder;
        if (input.capacity !== undefined && input.capacity !== category.capacity) {
          if (category.seated) throw conflict('SEATED_CAPACITY_FROM_SEATS', 'A seated category takes its capacity from its seats.');
          patch.capacity = input.capacity;
        }
        if (Object.keys(patch).length === 0) return promoterCategoryView(category, await repo.listVariants(trx, [category.id]));
        // Guarded: the capacity never drops below what is sold (the table's check is the last line).
        const [updated] = await trx('price_categories')
          .where({ id: category.id })
          .modify((q) => {
            if (patch.capacity !== undefined) void q.where('sold', '<=', patch.capacity);
          })
          .update(patch)
          .returning<CategoryRow[]>('*');
        if (updated === undefined) throw conflict('CAPACITY_BELOW_SOLD', `${category.sold} tickets of ${category.name} are sold; the capacity cannot be lower.`);
        const changes = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, { from: category[k as keyof CategoryRow], to: v }]));
        await audit(trx, caller.actor, now, 'category.update', 'event', event.id, { categoryId: category.id, changes });
        return promoterCategoryView(updated, await repo.listVariants(trx, [category.id]));
      });
    },

    async createVariant(caller: EventCaller, eventId: string, categoryId: string, input: CreateVariantRequest): Promise<VariantView> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        const category = await ownCategory(trx, event.id, categoryId);
        requireDraft(event, 'Price variants can be added');
        const existing = await repo.listVariants(trx, [category.id]);
        if (existing.length >= settings.maxVariantsPerCategory) throw conflict('TOO_MANY_VARIANTS', `A category has at most ${settings.maxVariantsPerCategory} price variants.`);
        const name = input.name.trim();
        if (existing.some((v) => v.name === name)) throw conflict('VARIANT_NAME_TAKEN', `${category.name} already has a variant "${name}".`);
        const variant = await repo.insertVariant(trx, { tenant_id: caller.actor.tenantId, category_id: category.id, name, price_cents: input.priceCents });
        await audit(trx, caller.actor, now, 'variant.create', 'event', event.id, { categoryId: category.id, variantId: variant.id, name, priceCents: variant.price_cents });
        return variantView(variant);
      });
    },

    /**
     * Creates the seats of a definition in one transaction: every line is checked (syntax, categories,
     * overlaps with each other and with existing seats, the per-event cap) before the first seat is
     * written, and the seated categories' capacities follow their seat counts.
     */
    async createSeats(caller: EventCaller, eventId: string, text: string): Promise<CreateSeatsResponse> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        requireDraft(event, 'Seats can be added');
        const existingSeats = await repo.countSeats(trx, event.id);
        const parsed = parseSeatDefinition(text, { maxSeats: Math.max(0, settings.maxSeatsPerEvent - existingSeats) });
        if (!parsed.ok) {
          const tooMany = parsed.errors[0]?.code === 'TOO_MANY_SEATS' && parsed.errors[0].line === 0;
          throw seatDefinitionError(
            tooMany ? [{ line: 0, code: 'TOO_MANY_SEATS', message: `An event has at most ${settings.maxSeatsPerEvent} seats (${existingSeats} exist). ${parsed.errors[0]!.message}` }] : parsed.errors,
          );
        }
        const { ranges } = parsed.definition;
        const errors: Array<{ line: number; code: string; message: string }> = [];

        // Categories by name: exact first, then a unique case-insensitive match.
        const categories = await repo.listCategories(trx, event.id);
        const byName = new Map<string, CategoryRow>();
        for (const name of parsed.definition.categories) {
          const exact = categories.find((c) => c.name === name);
          const loose = categories.filter((c) => c.name.toLowerCase() === name.toLowerCase());
          const found = exact ?? (loose.length === 1 ? loose[0] : undefined);
          const line = ranges.find((r) => r.category === name)!.line;
          if (found === undefined) errors.push({ line, code: 'UNKNOWN_CATEGORY', message: `Line ${line}: the event has no price category "${name}".` });
          else if (!found.seated) errors.push({ line, code: 'CATEGORY_NOT_SEATED', message: `Line ${line}: "${found.name}" is a general-admission category; seats need a seated category.` });
          else byName.set(name, found);
        }

        if (existingSeats > 0 && errors.length === 0) {
          const samples = await repo.blockRowSamples(trx, event.id);
          for (const [block, kind] of parsed.definition.blockRowKinds) {
            const sample = samples.get(block);
            if (sample !== undefined && rowKindOf(sample) !== kind) {
              const line = ranges.find((r) => r.block === block)!.line;
              errors.push({ line, code: 'ROW_KIND_MIXED', message: `Line ${line}: block ${block} already has ${kind === 'number' ? 'lettered' : 'numbered'} rows; a block does not mix row numbers and letters.` });
            }
          }
          for (const r of ranges) {
            if (errors.length >= 20) break;
            const clash = await repo.firstExistingSeat(trx, event.id, { block: r.block, rowLabels: r.rows.map((row) => row.label), ...r.seats });
            if (clash !== undefined) errors.push({ line: r.line, code: 'SEAT_OVERLAP', message: `Line ${r.line}: block ${r.block} row ${clash.row_label} seat ${clash.seat_number} already exists.` });
          }
        }
        if (errors.length > 0) throw seatDefinitionError(errors.sort((a, b) => a.line - b.line));

        const perCategory = new Map<string, number>();
        try {
          for (const r of ranges) {
            const category = byName.get(r.category)!;
            await repo.insertSeatRange(trx, { tenantId: caller.actor.tenantId, eventId: event.id, categoryId: category.id, block: r.block, rows: r.rows, ...r.seats });
            perCategory.set(category.id, (perCategory.get(category.id) ?? 0) + r.count);
          }
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict('SEAT_OVERLAP', 'Some of these seats were created at the same time by someone else; nothing was changed.');
          throw error;
        }
        await repo.syncSeatedCapacity(trx, [...perCategory.keys()]);
        const after = (await repo.listCategories(trx, event.id)).filter((c) => c.seated);
        await audit(trx, caller.actor, now, 'seats.create', 'event', event.id, {
          lines: ranges.length,
          seats: parsed.definition.seatCount,
          categories: [...perCategory].map(([id, seats]) => ({ categoryId: id, seats })),
        });
        return {
          createdSeats: parsed.definition.seatCount,
          totalSeats: existingSeats + parsed.definition.seatCount,
          categories: after.map((c) => ({ id: c.id, name: c.name, capacity: c.capacity })),
        };
      });
    },

    async seatMap(viewer: EventViewer, eventId: string): Promise<SeatMap> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: viewer.tenantId }, async (trx) => {
        const event = await repo.findVisibleEvent(trx, viewer, eventId);
        if (event === undefined) throw notFound('Event');
        const categories = await repo.listCategories(trx, event.id);
        const seats = await repo.mapSeats(trx, event.id);
        return buildSeatMap(event.id, categories, seats, now);
      });
    },

    /** The outlets a promoter can grant this event to (the platform's outlet directory). */
    async outletsFor(caller: EventCaller, eventId: string): Promise<Array<{ id: string; code: string; name: string; granted: boolean }>> {
      return inOwnTenant(caller.actor, async (trx) => {
        const event = await trx('events').where({ id: eventId, tenant_id: caller.actor.tenantId }).first<{ id: string } | undefined>('id');
        if (event === undefined) throw notFound('Event');
        const granted = new Set((await repo.listSalesRights(trx, caller.actor.tenantId, event.id)).map((r) => r.outlet_id));
        return (await repo.listOutlets(trx)).map((o) => ({ ...o, granted: granted.has(o.id) }));
      });
    },

    async listSalesRights(caller: EventCaller, eventId: string): Promise<SalesRightView[]> {
      return inOwnTenant(caller.actor, async (trx) => {
        const event = await trx('events').where({ id: eventId, tenant_id: caller.actor.tenantId }).first<{ id: string } | undefined>('id');
        if (event === undefined) throw notFound('Event');
        return salesRightViews(trx, caller.actor.tenantId, event.id);
      });
    },

    /**
     * Grants an outlet the right to sell the event, or updates it. `quotas` is the outlet's complete
     * quota list: listed categories get (or keep) a quota, others have none. A quota never drops below
     * what the outlet has sold in the category.
     */
    async putSalesRight(caller: EventCaller, eventId: string, outletId: string, input: PutSalesRightRequest): Promise<{ created: boolean; view: SalesRightView }> {
      return changeOwnEvent(caller, eventId, async (trx, event, now) => {
        requireNotCancelled(event);
        const outlet = await repo.findOutlet(trx, outletId);
        if (outlet === undefined) throw notFound('Outlet');
        const wanted = input.quotas ?? [];
        const categories = new Map((await repo.listCategories(trx, event.id)).map((c) => [c.id, c]));
        const seen = new Set<string>();
        for (const q of wanted) {
          if (seen.has(q.categoryId)) throw badRequest('DUPLICATE_CATEGORY', `Category ${q.categoryId} is listed twice.`);
          seen.add(q.categoryId);
          if (!categories.has(q.categoryId)) throw badRequest('UNKNOWN_CATEGORY', `Category ${q.categoryId} does not belong to this event.`);
        }
        const right = await repo.findSalesRight(trx, caller.actor.tenantId, event.id, outlet.id);
        if (right === undefined) {
          await trx('sales_rights').insert({ tenant_id: caller.actor.tenantId, event_id: event.id, outlet_id: outlet.id, granted_at: now });
        }
        // Locking the quota rows waits for a cancellation in flight, so the ticket counts below are final.
        const current = await trx('sales_quotas')
          .where({ event_id: event.id, outlet_id: outlet.id })
          .orderBy('category_id')
          .forUpdate()
          .select<Array<{ category_id: string; quota: number; sold: number }>>('category_id', 'quota', 'sold');
        const sold = await repo.soldByOutlet(trx, event.id, outlet.id);
        const before = Object.fromEntries(current.map((q) => [q.category_id, q.quota]));
        for (const q of wanted) {
          const category = categories.get(q.categoryId)!;
          const existing = current.find((c) => c.category_id === q.categoryId);
          // The event lock keeps sales out while this runs, so the counts are exact.
          const alreadySold = existing?.sold ?? sold.get(q.categoryId) ?? 0;
          if (q.quota < alreadySold) throw conflict('QUOTA_BELOW_SOLD', `${outlet.name} has already sold ${alreadySold} tickets of ${category.name}; the quota cannot be lower.`);
          if (existing === undefined) {
            await trx('sales_quotas').insert({ tenant_id: caller.actor.tenantId, event_id: event.id, outlet_id: outlet.id, category_id: q.categoryId, quota: q.quota, sold: alreadySold });
          } else if (existing.quota !== q.quota) {
            await trx('sales_quotas').where({ outlet_id: outlet.id, category_id: q.categoryId }).update({ quota: q.quota });
          }
        }
        const dropped = current.filter((c) => !seen.has(c.category_id)).map((c) => c.category_id);
        if (dropped.length > 0) await trx('sales_quotas').where({ outlet_id: outlet.id }).whereIn('category_id', dropped).delete();
        const after = Object.fromEntries(wanted.map((q) => [q.categoryId, q.quota]));
        if (right === undefined) {
          await audit(trx, caller.actor, now, 'sales_right.grant', 'event', event.id, { outletId: outlet.id, outletCode: outlet.code, quotas: after });
        } else if (JSON.stringify(Object.entries(before).sort()) !== JSON.stringify(Object.entries(after).sort())) {
          await audit(trx, caller.actor, now, 'sales_right.update', 'event', event.id, { outletId: outlet.id, outletCode: outlet.code, before, after });
        }
        return { created: right === undefined, view: await salesRightView(trx, caller.actor.tenantId, event.id, outlet.id) };
      });
    },

    /**
     * Revokes a sales right. Refused while the outlet holds valid tickets of the event: the outlet must
     * still be able to see the event to cancel and refund them. To stop it selling meanwhile, set its
     * quotas to what it has sold.
     */
    async revokeSalesRight(caller: EventCaller, eventId: string, outletId: string): Promise<void> {
      await changeOwnEvent(caller, eventId, async (trx, event, now) => {
        const right = await repo.findSalesRight(trx, caller.actor.tenantId, event.id, outletId);
        if (right === undefined) throw notFound('Sales right');
        const sold = [...(await repo.soldByOutlet(trx, event.id, outletId)).values()].reduce((a, b) => a + b, 0);
        if (sold > 0) {
          throw conflict('SALES_RIGHT_HAS_SALES', `The outlet holds ${sold} valid tickets of this event; cancel them first, or set its quotas to what it has sold to stop further sales.`);
        }
        await trx('sales_quotas').where({ event_id: event.id, outlet_id: outletId }).delete();
        await trx('sales_rights').where({ tenant_id: caller.actor.tenantId, event_id: event.id, outlet_id: outletId }).delete();
        await audit(trx, caller.actor, now, 'sales_right.revoke', 'event', event.id, { outletId });
      });
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
