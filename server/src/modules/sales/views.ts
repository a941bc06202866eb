import type { Knex } from 'knex';
import type { OrderView } from '../../../../src/shared/api/sales.js';
import { notFound } from '../../errors.js';

/** The order as the API shows it: tickets with category and seat, payments and refunds. */
export async function loadOrderView(trx: Knex.Transaction, orderId: string): Promise<OrderView> {
  const order = await trx('orders')
    .where({ id: orderId })
    .first<{ id: string; order_number: number; event_id: string; channel: string; status: OrderView['status']; customer_name: string; total_cents: number; paid_at: Date | null; created_at: Date } | undefined>('*');
  if (order === undefined) throw notFound('Order');
  const tickets = await trx('tickets as t')
    .leftJoin('price_categories as c', 'c.id', 't.category_id')
    .leftJoin('seats as s', 's.id', 't.seat_id')
    .where('t.order_id', orderId)
    .orderBy([{ column: 's.block' }, { column: 's.row_index' }, { column: 's.seat_number' }, { column: 't.id' }])
    .select<
      Array<{ id: string; category_id: string; category_name: string | null; variant_id: string | null; seat_id: string | null; block: string | null; row_label: string | null; seat_number: number | null; price_cents: number; vat_rate_bp: number; status: 'valid' | 'cancelled' }>
    >('t.id', 't.category_id', 'c.name as category_name', 't.variant_id', 't.seat_id', 's.block', 's.row_label', 's.seat_number', 't.price_cents', 't.vat_rate_bp', 't.status');
  const payments = await trx('payments')
    .where({ order_id: orderId })
    .orderBy('created_at')
    .select<Array<{ id: string; method: string; amount_cents: number; given_cents: number | null; change_cents: number | null; created_at: Date }>>('id', 'method', 'amount_cents', 'given_cents', 'change_cents', 'created_at');
  return {
    id: order.id,
    orderNumber: order.order_number,
    eventId: order.event_id,
    channel: order.channel,
    status: order.status,
    customerName: order.customer_name,
    totalCents: order.total_cents,
    paidAt: order.paid_at?.toISOString() ?? null,
    createdAt: order.created_at.toISOString(),
    tickets: tickets.map((t) => ({
      id: t.id,
      categoryId: t.category_id,
      categoryName: t.category_name ?? '',
      variantId: t.variant_id,
      seat: t.seat_id === null ? null : { id: t.seat_id, block: t.block ?? '', row: t.row_label ?? '', number: t.seat_number ?? 0 },
      priceCents: t.price_cents,
      vatRateBp: t.vat_rate_bp,
      status: t.status,
    })),
    payments: payments.map((p) => ({
      id: p.id,
      method: p.method,
      amountCents: p.amount_cents,
      givenCents: p.given_cents,
      changeCents: p.change_cents,
      createdAt: p.created_at.toISOString(),
    })),
  };
}
