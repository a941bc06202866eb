import type { Knex } from 'knex';
import type { CancelOrderRequest, CreateOrderRequest, OrderView } from '../../../../src/shared/api/sales.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { appendActorAudit } from '../audit/repository.js';
import type { Actor } from '../identity/users-service.js';
import { onceOnly, type StoredResponse } from '../idempotency/idempotency.js';
import { voidPrintsOfCancelledTickets } from '../printing/void-prints.js';
import { findOpenTillSession } from '../till/open-till.js';
import { isTakeable, lockSeats, pickBestAvailable, type SeatRow } from './seat-selection.js';
import { loadOrderView } from './views.js';

export interface SalesSettings {
  /** Largest number of tickets in one order. */
  maxTicketsPerOrder: number;
  /** How long a hold keeps its seats. */
  holdMinutes: number;
  /** Longest wait for a row lock before the sale is refused as busy (the client retries). */
  lockTimeoutMs: number;
}

export const DEFAULT_SALES_SETTINGS: SalesSettings = { maxTicketsPerOrder: 50, holdMinutes: 10, lockTimeoutMs: 5000 };

interface CategoryRow {
  id: string;
  event_id: string;
  name: string;
  price_cents: number;
  vat_rate_bp: number;
  seated: boolean;
  capacity: number;
  sold: number;
  /** Whether the selling outlet has a quota row for the category (read with the category). */
  outlet_has_quota: boolean;
}

interface VariantRow {
  id: string;
  category_id: string;
  price_cents: number;
}

interface EventRow {
  id: string;
  tenant_id: string;
  status: string;
  starts_at: Date;
  sales_start: Date;
  sales_end: Date;
}

interface PlannedTicket {
  categoryId: string;
  variantId: string | null;
  seat: SeatRow | null;
  priceCents: number;
  vatRateBp: number;
}

const badRequest = (code: string, message: string) => new AppError(400, code, message);
const conflict = (code: string, message: string) => new AppError(409, code, message);

export function createSalesService(deps: { knex: Knex; clock: Clock; settings?: Partial<SalesSettings> }) {
  const settings: SalesSettings = { ...DEFAULT_SALES_SETTINGS, ...deps.settings };

  async function beginSale(trx: Knex.Transaction): Promise<void> {
    await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${settings.lockTimeoutMs}ms`]);
  }

  async function loadEventForSale(trx: Knex.Transaction, eventId: string, now: Date): Promise<EventRow> {
    const event = await trx('events').where({ id: eventId }).first<EventRow | undefined>('id', 'tenant_id', 'status', 'starts_at', 'sales_start', 'sales_end');
    // Row-level security hides events the outlet may not sell: they are simply not found.
    if (event === undefined) throw notFound('Event');
    if (event.status !== 'on_sale') throw conflict('EVENT_NOT_ON_SALE', `The event is not on sale (status ${event.status}).`);
    if (now < event.sales_start || now >= event.sales_end) throw conflict('OUTSIDE_SALES_WINDOW', 'The event is outside its sales window.');
    return event;
  }

  function priceOf(category: CategoryRow, variantId: string | undefined, variants: Map<string, VariantRow>): { priceCents: number; variantId: string | null } {
    if (variantId === undefined) return { priceCents: category.price_cents, variantId: null };
    const variant = variants.get(variantId);
    if (variant === undefined || variant.category_id !== category.id) throw badRequest('UNKNOWN_VARIANT', `Price variant ${variantId} does not belong to category ${category.name}.`);
    return { priceCents: variant.price_cents, variantId: variant.id };
  }

  /**
   * Moves the sold counters; the hot category rows come last and in a fixed order. `quotaCategories`, when
   * given, are the categories for which the outlet had a quota row when the sale read its categories: the
   * others are skipped (the sale then simply counts as made before any quota created since). Each quota
   * step is one statement: the guarded update, and whether the outlet still has a quota row at all.
   */
  async function bookCounters(trx: Knex.Transaction, outletId: string, perCategory: Map<string, number>, direction: 1 | -1, quotaCategories?: ReadonlySet<string>): Promise<void> {
    const ids = [...perCategory.keys()].sort();
    for (const categoryId of ids) {
      if (quotaCategories !== undefined && !quotaCategories.has(categoryId)) continue;
      const n = (perCategory.get(categoryId) ?? 0) * direction;
      const result = await trx.raw<{ rows: Array<{ updated: number; has_quota: boolean }> }>(
        `WITH moved AS (
           UPDATE sales_quotas SET sold = sold + ?
            WHERE outlet_id = ? AND category_id = ? AND sold + ? <= quota AND sold + ? >= 0
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM moved)::int AS updated,
                EXISTS (SELECT 1 FROM sales_quotas WHERE outlet_id = ? AND category_id = ?) AS has_quota`,
        [n, outletId, categoryId, n, n, outletId, categoryId],
      );
      const row = result.rows[0];
      if (row !== undefined && row.updated === 0 && row.has_quota && direction === 1) throw conflict('QUOTA_EXHAUSTED', 'The outlet has sold its quota for this category.');
    }
    for (const categoryId of ids) {
      const n = (perCategory.get(categoryId) ?? 0) * direction;
      const updated = await trx('price_categories')
        .where({ id: categoryId })
        .whereRaw('sold + ? <= capacity AND sold + ? >= 0', [n, n])
        .update({ sold: trx.raw('sold + ?', [n]) });
      if (updated === 0) throw conflict('SOLD_OUT', 'Not enough tickets left in this category.');
    }
  }

  /** The open till of this clerk at this workstation, locked against a closing (see findOpenTillSession). */
  async function openTillSession(trx: Knex.Transaction, actor: Actor): Promise<string> {
    const till = await findOpenTillSession(trx, { workstationId: actor.workstation.id, userId: actor.userId });
    if (till === undefined) throw conflict('TILL_NOT_OPEN', 'Open the till before selling or refunding at the counter.');
    return till.id;
  }

  return {
    settings,

    /** Sells tickets: one transaction, all or nothing, at most once per idempotency key. */
    async createOrder(actor: Actor, input: CreateOrderRequest, idem: { key: string; hash: string }): Promise<StoredResponse<OrderView>> {
      const now = deps.clock.now();
      const items = input.items ?? [];
      const seatPicks = input.seats ?? [];
      const best = input.bestAvailable ?? [];
      const count = items.reduce((n, i) => n + i.quantity, 0) + seatPicks.length + best.reduce((n, b) => n + b.quantity, 0);
      if (count === 0) throw badRequest('EMPTY_ORDER', 'The order contains no tickets.');
      if (count > settings.maxTicketsPerOrder) throw badRequest('ORDER_TOO_LARGE', `At most ${settings.maxTicketsPerOrder} tickets per order.`);
      if (new Set(seatPicks.map((s) => s.seatId)).size !== seatPicks.length) throw badRequest('DUPLICATE_SEAT', 'A seat appears twice in the order.');
      if (input.channel === 'counter' && input.payment.method === 'invoice') throw badRequest('PAYMENT_REQUIRED', 'Counter sales are paid in cash or by card.');
      if (input.channel === 'business' && (input.payment.method !== 'invoice' || input.businessCustomer === undefined)) {
        throw badRequest('BUSINESS_CUSTOMER_REQUIRED', 'Business orders are on invoice and need the customer data.');
      }

      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await beginSale(trx);
        return onceOnly(trx, { tenantId: actor.tenantId, scope: 'orders.create', key: idem.key, requestHash: idem.hash, now }, async () => {
          const event = await loadEventForSale(trx, input.eventId, now);
          const categories = new Map(
            (
              await trx('price_categories')
                .where({ event_id: event.id })
                .select<CategoryRow[]>(
                  'price_categories.*',
                  trx.raw('EXISTS (SELECT 1 FROM sales_quotas q WHERE q.outlet_id = ? AND q.category_id = price_categories.id) AS outlet_has_quota', [actor.tenantId]),
                )
            ).map((c) => [c.id, c]),
          );
          const variants = new Map(
            (await trx('price_variants').whereIn('category_id', [...categories.keys()]).select<VariantRow[]>('id', 'category_id', 'price_cents')).map((v) => [v.id, v]),
          );
          const category = (id: string): CategoryRow => {
            const c = categories.get(id);
            if (c === undefined) throw badRequest('UNKNOWN_CATEGORY', `Category ${id} does not belong to this event.`);
            return c;
          };
          const tillSessionId = input.channel === 'counter' ? await openTillSession(trx, actor) : null;

          let holdId: string | undefined;
          if (input.holdId !== undefined) {
            const hold = await trx('holds')
              .where({ id: input.holdId, event_id: event.id, tenant_id: actor.tenantId })
              .whereNull('released_at')
              .first<{ id: string; expires_at: Date } | undefined>('id', 'expires_at');
            if (hold === undefined || hold.expires_at <= now) throw conflict('HOLD_EXPIRED', 'The reservation has expired or was released.');
            holdId = hold.id;
          }

          const planned: PlannedTicket[] = [];
          for (const item of items) {
            const c = category(item.categoryId);
            if (c.seated) throw badRequest('SEATED_CATEGORY_NEEDS_SEATS', `Category ${c.name} is seated: choose seats or best available.`);
            const price = priceOf(c, item.variantId, variants);
            for (let i = 0; i < item.quantity; i += 1) planned.push({ categoryId: c.id, variantId: price.variantId, seat: null, priceCents: price.priceCents, vatRateBp: c.vat_rate_bp });
          }

          // Concrete seats: locked in id order, then checked.
          const locked = await lockSeats(trx, event.id, seatPicks.map((s) => s.seatId));
          if (locked.length !== seatPicks.length) throw badRequest('UNKNOWN_SEAT', 'A seat does not exist in this event.');
          const byId = new Map(locked.map((s) => [s.id, s]));
          for (const pick of seatPicks) {
            const seat = byId.get(pick.seatId);
            if (seat === undefined) throw badRequest('UNKNOWN_SEAT', 'A seat does not exist in this event.');
            if (!isTakeable(seat, now, holdId)) throw conflict('SEAT_UNAVAILABLE', `Seat ${seat.block} ${seat.row_label}/${seat.seat_number} is no longer available.`);
            const c = category(seat.category_id);
            const price = priceOf(c, pick.variantId, variants);
            planned.push({ categoryId: c.id, variantId: price.variantId, seat, priceCents: price.priceCents, vatRateBp: c.vat_rate_bp });
          }

          const taken = new Set(seatPicks.map((s) => s.seatId));
          for (const b of best) {
            const c = category(b.categoryId);
            if (!c.seated) throw badRequest('GA_CATEGORY_HAS_NO_SEATS', `Category ${c.name} is general admission: order a quantity.`);
            const price = priceOf(c, b.variantId, variants);
            const seats = await pickBestAvailable(trx, { eventId: event.id, categoryId: c.id, quantity: b.quantity, now, exclude: taken });
            if (seats === undefined) throw conflict('NOT_ENOUGH_SEATS', `Not enough seats left in ${c.name}.`);
            for (const seat of seats) {
              taken.add(seat.id);
              planned.push({ categoryId: c.id, variantId: price.variantId, seat, priceCents: price.priceCents, vatRateBp: c.vat_rate_bp });
            }
          }

          const total = planned.reduce((sum, t) => sum + t.priceCents, 0);
          let given: number | null = null;
          if (input.payment.method === 'cash') {
            given = input.payment.givenCents;
            if (given < total) throw new AppError(422, 'INSUFFICIENT_CASH', `The amount given (${given} ct) is less than the total (${total} ct).`);
          }

          const seatIds = planned.flatMap((t) => (t.seat === null ? [] : [t.seat.id]));
          if (seatIds.length > 0) {
            await trx('seats').whereIn('id', seatIds).update({ status: 'sold', hold_id: null, hold_expires_at: null });
          }
          const paid = input.channel === 'counter';
          const [order] = await trx('orders')
            .insert({
              tenant_id: actor.tenantId,
              promoter_id: event.tenant_id,
              event_id: event.id,
              channel: input.channel,
              status: paid ? 'paid' : 'unpaid',
              customer_name: (input.customerName ?? input.businessCustomer?.company ?? '').trim(),
              business_customer: input.businessCustomer === undefined ? null : JSON.stringify(input.businessCustomer),
              total_cents: total,
              paid_at: paid ? now : null,
              created_at: now,
              created_by: actor.userId,
              workstation_id: actor.workstation.id,
            })
            .returning<Array<{ id: string; order_number: number }>>(['id', 'order_number']);
          if (order === undefined) throw new Error('order insert returned no row');
          await trx('tickets').insert(
            planned.map((t) => ({
              tenant_id: actor.tenantId,
              promoter_id: event.tenant_id,
              order_id: order.id,
              event_id: event.id,
              category_id: t.categoryId,
              variant_id: t.variantId,
              seat_id: t.seat?.id ?? null,
              price_cents: t.priceCents,
              vat_rate_bp: t.vatRateBp,
              created_at: now,
            })),
          );
          if (paid && total > 0) {
            await trx('payments').insert({
              tenant_id: actor.tenantId,
              order_id: order.id,
              method: input.payment.method,
              amount_cents: total,
              given_cents: given,
              change_cents: given === null ? null : given - total,
              card_reference: input.payment.method === 'card' ? input.payment.reference : null,
              till_session_id: tillSessionId,
              booked_by: actor.userId,
              workstation_id: actor.workstation.id,
              created_at: now,
            });
          }
          if (holdId !== undefined) await trx('holds').where({ id: holdId }).update({ released_at: now });
          const view = await loadOrderView(trx, order.id);
          // What other sales wait for comes last, so that it stays locked for as few statements as possible:
          // the outlet's audit chain (an advisory lock per tenant), then its quota rows, and the event's
          // category counters (the rows every sale of the event updates) at the very end.
          await appendActorAudit(trx, actor, now, {
                        action: 'order.create',
            entity: 'order',
            entityId: order.id,
            details: { orderNumber: order.order_number, eventId: event.id, channel: input.channel, tickets: planned.length, totalCents: total, payment: input.payment.method },
          });
          const perCategory = new Map<string, number>();
          for (const t of planned) perCategory.set(t.categoryId, (perCategory.get(t.categoryId) ?? 0) + 1);
          const quotaCategories = new Set([...categories.values()].filter((c) => c.outlet_has_quota).map((c) => c.id));
          await bookCounters(trx, actor.tenantId, perCategory, 1, quotaCategories);
          return { status: 201, body: view };
        });
      });
    },

    /**
     * Cancels the whole order or single tickets: frees seats and capacity, records the refund as a negative
     * payment in the canceller's till, and voids the printed tickets' barcodes, in one transaction.
     */
    async cancel(actor: Actor, orderId: string, input: CancelOrderRequest, idem: { key: string; hash: string }): Promise<StoredResponse<OrderView>> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await beginSale(trx);
        return onceOnly(trx, { tenantId: actor.tenantId, scope: `orders.cancel`, key: idem.key, requestHash: idem.hash, now }, async () => {
          const order = await trx('orders')
            .where({ id: orderId, tenant_id: actor.tenantId })
            .forUpdate()
            .first<{ id: string; status: string; channel: string; order_number: number } | undefined>('id', 'status', 'channel', 'order_number');
          if (order === undefined) throw notFound('Order');
          const valid = await trx('tickets')
            .where({ order_id: order.id, status: 'valid' })
            .orderBy('id')
            .forUpdate()
            .select<Array<{ id: string; category_id: string; seat_id: string | null; price_cents: number; admitted_at: Date | null }>>('id', 'category_id', 'seat_id', 'price_cents', 'admitted_at');
          const wanted = input.ticketIds ?? valid.map((t) => t.id);
          const chosen = valid.filter((t) => wanted.includes(t.id));
          if (chosen.length === 0 || chosen.length !== wanted.length) {
            throw conflict('TICKET_NOT_CANCELLABLE', 'A ticket does not belong to this order or is already cancelled.');
          }
          if (chosen.some((t) => t.admitted_at !== null) && !actor.permissions.has('sales.cancel_admitted')) {
            throw new AppError(403, 'TICKET_ALREADY_USED', 'A ticket has already been used for admission; cancelling it needs the right sales.cancel_admitted.');
          }
          const ids = chosen.map((t) => t.id);
          await trx('tickets').whereIn('id', ids).update({ status: 'cancelled', cancelled_at: now, cancel_reason: input.reason });
          // A cancelled ticket's barcode stops admitting in the same commit.
          const voidedPrintIds = await voidPrintsOfCancelledTickets(trx, { tenantId: actor.tenantId, userId: actor.userId, workstationId: actor.workstation.id, ticketIds: ids, now });
          const seatIds = chosen.flatMap((t) => (t.seat_id === null ? [] : [t.seat_id]));
          if (seatIds.length > 0) await trx('seats').whereIn('id', seatIds).update({ status: 'available', hold_id: null, hold_expires_at: null });
          const perCategory = new Map<string, number>();
          for (const t of chosen) perCategory.set(t.category_id, (perCategory.get(t.category_id) ?? 0) + 1);
          await bookCounters(trx, actor.tenantId, perCategory, -1);

          const refund = chosen.reduce((sum, t) => sum + t.price_cents, 0);
          let refundMethod: string | null = null;
          if (order.status === 'paid' && refund > 0) {
            const original = await trx('payments').where({ order_id: order.id }).where('amount_cents', '>', 0).orderBy('created_at').first<{ method: string; card_reference: string | null } | undefined>('method', 'card_reference');
            refundMethod = input.refund?.method ?? original?.method ?? 'cash';
            const reference = input.refund?.method === 'card' ? input.refund.reference : refundMethod === 'card' ? (original?.card_reference ?? null) : null;
            if (refundMethod === 'card' && reference === null) throw badRequest('CARD_REFERENCE_REQUIRED', 'A card refund needs the card reference.');
            await trx('payments').insert({
              tenant_id: actor.tenantId,
              order_id: order.id,
              method: refundMethod,
              amount_cents: -refund,
              card_reference: reference,
              till_session_id: await openTillSession(trx, actor),
              booked_by: actor.userId,
              workstation_id: actor.workstation.id,
              created_at: now,
            });
          }
          if (chosen.length === valid.length) await trx('orders').where({ id: order.id }).update({ status: 'cancelled' });
          await appendActorAudit(trx, actor, now, {
                        action: 'order.cancel',
            entity: 'order',
            entityId: order.id,
            details: { orderNumber: order.order_number, ticketIds: ids, reason: input.reason, refundCents: order.status === 'paid' ? refund : 0, refundMethod, voidedPrintIds },
          });
          return { status: 200, body: await loadOrderView(trx, order.id) };
        });
      });
    },

    async createHold(actor: Actor, input: { eventId: string; seats?: string[] | undefined; bestAvailable?: { categoryId: string; quantity: number } | undefined }) {
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + settings.holdMinutes * 60_000);
      if ((input.seats === undefined) === (input.bestAvailable === undefined)) throw badRequest('HOLD_NEEDS_SEATS', 'Hold either concrete seats or best available seats.');
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await beginSale(trx);
        const event = await loadEventForSale(trx, input.eventId, now);
        let seats: SeatRow[];
        if (input.seats !== undefined) {
          seats = await lockSeats(trx, event.id, input.seats);
          if (seats.length !== input.seats.length) throw badRequest('UNKNOWN_SEAT', 'A seat does not exist in this event.');
          const blocked = seats.find((s) => !isTakeable(s, now, undefined));
          if (blocked !== undefined) throw conflict('SEAT_UNAVAILABLE', `Seat ${blocked.block} ${blocked.row_label}/${blocked.seat_number} is no longer available.`);
        } else {
          const b = input.bestAvailable!;
          const picked = await pickBestAvailable(trx, { eventId: event.id, categoryId: b.categoryId, quantity: b.quantity, now, exclude: new Set() });
          if (picked === undefined) throw conflict('NOT_ENOUGH_SEATS', 'Not enough seats left in this category.');
          seats = picked;
        }
        const [hold] = await trx('holds')
          .insert({ tenant_id: actor.tenantId, event_id: event.id, created_by: actor.userId, created_at: now, expires_at: expiresAt })
          .returning<Array<{ id: string }>>('id');
        if (hold === undefined) throw new Error('hold insert returned no row');
        await trx('seats').whereIn('id', seats.map((s) => s.id)).update({ status: 'held', hold_id: hold.id, hold_expires_at: expiresAt });
        await appendActorAudit(trx, actor, now, {
                    action: 'hold.create',
          entity: 'hold',
          entityId: hold.id,
          details: { eventId: event.id, seats: seats.length, expiresAt: expiresAt.toISOString() },
        });
        return {
          id: hold.id,
          eventId: event.id,
          expiresAt: expiresAt.toISOString(),
          seats: seats.map((s) => ({ id: s.id, block: s.block, row: s.row_label, number: s.seat_number, categoryId: s.category_id })),
        };
      });
    },

    async releaseHold(actor: Actor, holdId: string): Promise<void> {
      const now = deps.clock.now();
      await inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const hold = await trx('holds').where({ id: holdId, tenant_id: actor.tenantId }).whereNull('released_at').forUpdate().first<{ id: string; event_id: string } | undefined>('id', 'event_id');
        if (hold === undefined) throw notFound('Hold');
        await trx('seats').where({ event_id: hold.event_id, hold_id: hold.id, status: 'held' }).update({ status: 'available', hold_id: null, hold_expires_at: null });
        await trx('holds').where({ id: hold.id }).update({ released_at: now });
        await appendActorAudit(trx, actor, now, { action: 'hold.release', entity: 'hold', entityId: hold.id, details: {} });
      });
    },
  };
}

export type SalesService = ReturnType<typeof createSalesService>;
