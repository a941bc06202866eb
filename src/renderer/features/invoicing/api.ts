/**
 * The invoicing screen's requests over the backend port: typed by the shared contract
 * (src/shared/api/invoicing.ts), every answer checked against its schema by the port.
 */
import { Type, type Static } from 'typebox';
import {
  EscrowTransactionView,
  InvoiceableOrder,
  InvoiceSummary,
  InvoiceView,
  StatementImportResult,
  type InvoiceKind,
  type InvoiceListQuery,
  type InvoiceStatus,
  type ManualPaymentRequest,
  type StatementImportRequest,
} from '../../../shared/api/invoicing.js';
import type { ApiResult } from '../../../shared/api-client/errors.js';
import type { Backend } from '../../lib/backend.js';

export type InvoicingBackend = Pick<Backend, 'request' | 'fetchDocument'>;

const InvoiceList = Type.Array(InvoiceSummary);
const InvoiceableList = Type.Array(InvoiceableOrder);
const TransactionList = Type.Array(EscrowTransactionView);
export type TransactionStatus = Static<typeof EscrowTransactionView>['status'];

export interface InvoiceFilters {
  readonly status?: InvoiceStatus | undefined;
  readonly kind?: InvoiceKind | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly recipient?: string | undefined;
}

const base = '/api/v1/invoices';
const byId = (id: string) => `${base}/${encodeURIComponent(id)}`;

export function invoicingApi(backend: InvoicingBackend) {
  return {
    list: (filters: InvoiceFilters): Promise<ApiResult<InvoiceSummary[]>> => {
      const query: Partial<Record<keyof InvoiceListQuery, string | number | undefined>> = { ...filters, limit: 500 };
      return backend.request({ method: 'GET', path: base, query, response: InvoiceList });
    },
    invoiceableOrders: () => backend.request({ method: 'GET', path: `${base}/invoiceable-orders`, response: InvoiceableList }),
    openItems: () => backend.request({ method: 'GET', path: `${base}/open-items`, response: InvoiceList }),
    get: (id: string) => backend.request({ method: 'GET', path: byId(id), response: InvoiceView }),
    draftForOrder: (orderId: string) => backend.request({ method: 'POST', path: `${base}/business-orders`, body: { orderId }, response: InvoiceView }),
    draftOutletSettlement: (from: string, to: string) => backend.request({ method: 'POST', path: `${base}/outlet-settlements`, body: { from, to }, response: InvoiceView }),
    draftPromoterSettlement: (eventId: string) => backend.request({ method: 'POST', path: `${base}/promoter-settlements`, body: { eventId }, response: InvoiceView }),
    issue: (id: string) => backend.request({ method: 'POST', path: `${byId(id)}/issue`, body: {}, response: InvoiceView }),
    deleteDraft: (id: string) => backend.request({ method: 'DELETE', path: byId(id), response: null }),
    cancel: (id: string, reason: string) => backend.request({ method: 'POST', path: `${byId(id)}/cancel`, body: { reason }, response: InvoiceView }),
    bookPayment: (payment: ManualPaymentRequest) => backend.request({ method: 'POST', path: '/api/v1/payments', body: payment, response: EscrowTransactionView, idempotent: true }),
    importStatement: (file: StatementImportRequest) => backend.request({ method: 'POST', path: '/api/v1/payments/imports', body: file, response: StatementImportResult }),
    transactions: (status: TransactionStatus) => backend.request({ method: 'GET', path: '/api/v1/payments', query: { status, limit: 500 }, response: TransactionList }),
    assign: (transactionId: string, invoiceNumber: string) =>
      backend.request({ method: 'POST', path: `/api/v1/payments/${encodeURIComponent(transactionId)}/assign`, body: { invoiceNumber }, response: EscrowTransactionView }),
    discard: (transactionId: string, reason: string) =>
      backend.request({ method: 'POST', path: `/api/v1/payments/${encodeURIComponent(transactionId)}/discard`, body: { reason }, response: EscrowTransactionView }),
    /** Documents by GET with the session (web mode only; undefined at the station). */
    document: backend.fetchDocument === undefined ? undefined : backend.fetchDocument,
    pdfPath: (id: string) => `${byId(id)}/invoice.pdf`,
    xmlPath: (id: string) => `${byId(id)}/invoice.xml`,
    datevPath: (from?: string, to?: string) => {
      const params = new URLSearchParams();
      if (from !== undefined) params.set('from', from);
      if (to !== undefined) params.set('to', to);
      const qs = params.toString();
      return `${base}/export/datev.csv${qs === '' ? '' : `?${qs}`}`;
    },
  };
}

export type InvoicingApi = ReturnType<typeof invoicingApi>;
