import type { EventDetail, EventSummary, SeatMap } from '../../../../src/shared/api/events.js';
import type { PrintJobView } from '../../../../src/shared/api/printing.js';
import type { OrderView } from '../../../../src/shared/api/sales.js';

export const EVENT_ID = '00000000-0000-4000-8000-000000000e01';
export const GA = '00000000-0000-4000-8000-000000000ca1';
export const REDUCED = '00000000-0000-4000-8000-000000000fa1';
export const PARKETT = '00000000-0000-4000-8000-000000000ca2';
export const seatId = (row: number, number: number) => `00000000-0000-4000-8000-0000000${row}${String(number).padStart(4, '0')}`;

export const SUMMARY: EventSummary = {
  id: EVENT_ID,
  name: 'Sommerkonzert',
  startsAt: '2026-12-04T19:30:00.000Z',
  salesStart: '2026-11-01T00:00:00.000Z',
  salesEnd: '2026-12-04T19:00:00.000Z',
  status: 'on_sale',
  effectiveStatus: 'on_sale',
  salesOpen: true,
  venue: { id: '00000000-0000-4000-8000-000000000d01', name: 'Stadthalle', city: 'Kassel' },
};

export const DETAIL: EventDetail = {
  ...SUMMARY,
  venue: { id: SUMMARY.venue.id, name: 'Stadthalle', address: 'Am Markt 1', city: 'Kassel' },
  seated: true,
  categories: [
    { id: GA, name: 'Stehplatz', priceCents: 2500, vatRateBp: 700, seated: false, sortOrder: 1, capacity: 100, sold: 3, remaining: 97, quota: null, variants: [{ id: REDUCED, name: 'Ermäßigt', priceCents: 1800 }] },
    { id: PARKETT, name: 'Parkett', priceCents: 4000, vatRateBp: 700, seated: true, sortOrder: 0, capacity: 8, sold: 1, remaining: 7, quota: null, variants: [] },
  ],
};

/** Block A, rows 1 and 2 with four seats each; row 1 seat 2 sold. */
export const MAP: SeatMap = {
  eventId: EVENT_ID,
  categories: [{ id: PARKETT, name: 'Parkett', priceCents: 4000 }],
  statuses: ['available', 'held', 'sold'],
  blocks: [
    {
      name: 'A',
      rows: [1, 2].map((row, index) => ({ label: String(row), index, seats: [1, 2, 3, 4].map((n) => [seatId(row, n), n, 0, row === 1 && n === 2 ? 2 : 0] as [string, number, number, number]) })),
    },
  ],
  counts: { available: 7, held: 0, sold: 1 },
};

export function orderFor(request: { items?: Array<{ categoryId: string; quantity: number }>; payment: { method: string; givenCents?: number } }): OrderView {
  const tickets = (request.items ?? []).flatMap((item, i) =>
    Array.from({ length: item.quantity }, (_, n) => ({
      id: `00000000-0000-4000-8000-0000000a${i}${String(n).padStart(3, '0')}`,
      categoryId: item.categoryId,
      categoryName: 'Stehplatz',
      variantId: null,
      seat: null,
      priceCents: 2500,
      vatRateBp: 700,
      status: 'valid' as const,
    })),
  );
  const total = tickets.reduce((sum, ticket) => sum + ticket.priceCents, 0);
  const given = request.payment.givenCents ?? null;
  return {
    id: '00000000-0000-4000-8000-00000000a0a0',
    orderNumber: 1042,
    eventId: EVENT_ID,
    channel: 'counter',
    status: 'paid',
    customerName: '',
    totalCents: total,
    paidAt: '2026-12-04T18:00:00.000Z',
    createdAt: '2026-12-04T18:00:00.000Z',
    tickets,
    payments: [
      {
        id: '00000000-0000-4000-8000-00000000b0b0',
        method: request.payment.method,
        amountCents: total,
        givenCents: given,
        changeCents: given === null ? null : given - total,
        createdAt: '2026-12-04T18:00:00.000Z',
      },
    ],
  };
}

export function printJobFor(order: OrderView, status: 'pending' | 'active' = 'pending'): PrintJobView {
  return {
    id: '00000000-0000-4000-8000-00000000c0c0',
    kind: 'print',
    orderId: order.id,
    orderNumber: order.orderNumber,
    workstationId: '00000000-0000-4000-8000-0000000000a1',
    createdAt: '2026-12-04T18:00:01.000Z',
    firstBlank: 501,
    lastBlank: 500 + order.tickets.length,
    startPosition: 1,
    voidedLeftovers: [],
    prints: order.tickets.map((ticket, index) => ({ printId: `00000000-0000-4000-8000-0000000d${String(index).padStart(4, '0')}`, ticketId: ticket.id, blankNumber: 501 + index, status, voidReason: null })),
    tickets: [],
  };
}
