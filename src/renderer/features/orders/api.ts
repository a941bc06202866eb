/** The orders screen's requests, typed by the shared contract. */
import { Type } from 'typebox';
import { EventDetail } from '../../../shared/api/events.js';
import { PrintRecord } from '../../../shared/api/printing.js';
import { OrderSummary, OrderView, type CancelOrderRequest } from '../../../shared/api/sales.js';
import type { Backend } from '../../lib/backend.js';

const OrderList = Type.Array(OrderSummary);
const PrintList = Type.Array(PrintRecord);

/** What the clerk typed or scanned: ticket barcodes are 20–40 digits, order numbers shorter. */
export type OrderQuery = { readonly barcode: string } | { readonly number: number } | { readonly customer: string };

export function classifyOrderQuery(text: string): OrderQuery | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^[0-9]{20,40}$/.test(trimmed)) return { barcode: trimmed };
  if (/^[0-9]{1,15}$/.test(trimmed)) return { number: Number(trimmed) };
  return { customer: trimmed.slice(0, 100) };
}

export function ordersApi(backend: Backend) {
  return {
    search: (query: OrderQuery) => backend.request({ method: 'GET', path: '/api/v1/orders', query: { ...query, limit: 30 }, response: OrderList }),
    /** Today's orders of the outlet, newest first (UX.md 14: the reprint dialog starts with them). */
    since: (from: Date) => backend.request({ method: 'GET', path: '/api/v1/orders', query: { from: from.toISOString(), limit: 30 }, response: OrderList }),
    order: (orderId: string) => backend.request({ method: 'GET', path: `/api/v1/orders/${orderId}`, response: OrderView }),
    prints: (orderId: string) => backend.request({ method: 'GET', path: `/api/v1/orders/${orderId}/prints`, response: PrintList }),
    event: (eventId: string) => backend.request({ method: 'GET', path: `/api/v1/events/${eventId}`, response: EventDetail }),
    cancel: (orderId: string, body: CancelOrderRequest) => backend.request({ method: 'POST', path: `/api/v1/orders/${orderId}/cancel`, body, response: OrderView, idempotent: true }),
  };
}

export type OrdersApi = ReturnType<typeof ordersApi>;
