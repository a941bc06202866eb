/** The sales screen's requests, typed by the shared contract (src/shared/api). */
import { Type } from 'typebox';
import { EventDetail, EventSummary, SeatMap, type EventSearchQuery } from '../../../shared/api/events.js';
import { PrintJobView, TrayView, type ConfirmPrintJobRequest, type CreatePrintJobRequest, type SpoilBlanksRequest } from '../../../shared/api/printing.js';
import { HoldView, OrderView, type CancelOrderRequest, type CreateOrderRequest } from '../../../shared/api/sales.js';
import { TillReport } from '../../../shared/api/till.js';
import type { Backend } from '../../lib/backend.js';

const EventList = Type.Array(EventSummary);

export function salesApi(backend: Backend) {
  return {
    searchEvents: (query: EventSearchQuery) => backend.request({ method: 'GET', path: '/api/v1/events', query: { ...query }, response: EventList }),
    event: (eventId: string) => backend.request({ method: 'GET', path: `/api/v1/events/${eventId}`, response: EventDetail }),
    seatMap: (eventId: string) => backend.request({ method: 'GET', path: `/api/v1/events/${eventId}/seatmap`, response: SeatMap }),
    holdBestAvailable: (eventId: string, categoryId: string, quantity: number) =>
      backend.request({ method: 'POST', path: '/api/v1/holds', body: { eventId, bestAvailable: { categoryId, quantity } }, response: HoldView }),
    releaseHold: (holdId: string) => backend.request({ method: 'DELETE', path: `/api/v1/holds/${holdId}`, response: null }),
    sell: (order: CreateOrderRequest) => backend.request({ method: 'POST', path: '/api/v1/orders', body: order, response: OrderView, idempotent: true }),
    cancelOrder: (orderId: string, body: CancelOrderRequest) => backend.request({ method: 'POST', path: `/api/v1/orders/${orderId}/cancel`, body, response: OrderView, idempotent: true }),
    currentTill: () => backend.request({ method: 'GET', path: '/api/v1/till/current', response: TillReport }),
    tray: () => backend.request({ method: 'GET', path: '/api/v1/printing/tray', response: TrayView }),
    createPrintJob: (orderId: string, body: CreatePrintJobRequest = {}) =>
      backend.request({ method: 'POST', path: `/api/v1/orders/${orderId}/print-jobs`, body, response: PrintJobView, idempotent: true }),
    confirmPrintJob: (printJobId: string, body: ConfirmPrintJobRequest = {}) =>
      backend.request({ method: 'POST', path: `/api/v1/print-jobs/${printJobId}/confirm`, body, response: PrintJobView }),
    spoilPrintJob: (printJobId: string, body: SpoilBlanksRequest) => backend.request({ method: 'POST', path: `/api/v1/print-jobs/${printJobId}/spoil`, body, response: PrintJobView }),
  };
}

export type SalesApi = ReturnType<typeof salesApi>;
