/**
 * The invoicing screen's state: invoice list with server filters, open items, the open invoice, and the
 * escrow side (manual booking, statement import with its review). A factory over the backend port;
 * every failure is kept as a coded error for the screen to explain.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EscrowTransactionView, InvoiceableOrder, InvoiceSummary, InvoiceView, ManualPaymentRequest, StatementImportResult } from '../../../shared/api/invoicing.js';
import type { ApiError } from '../../../shared/api-client/errors.js';
import { createAct } from '../../lib/store-action.js';
import type { InvoiceFilters, InvoicingApi } from './api.js';

export type InvoicingView = 'invoices' | 'open' | 'payments';
export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** Local refusals, checked before anything is sent. */
export type LocalError = 'REASON_TOO_SHORT' | 'INVOICE_NUMBER_REQUIRED' | 'AMOUNT_INVALID' | 'FILE_UNREADABLE' | 'FILE_FORMAT_UNKNOWN' | 'NOTHING_SELECTED';
export type Failure = { readonly code: LocalError } | ApiError;

export interface ImportState {
  readonly phase: 'idle' | 'reading' | 'uploading' | 'done' | 'failed';
  readonly fileName: string | null;
  /** 0…1 while reading the file; the upload itself has no measurable progress. */
  readonly progress: number;
  readonly result: StatementImportResult | null;
  readonly error: Failure | null;
}

export interface InvoicingState {
  readonly view: InvoicingView;
  readonly filters: InvoiceFilters;
  readonly invoices: readonly InvoiceSummary[];
  readonly invoicesState: LoadState;
  readonly openItems: readonly InvoiceSummary[];
  /** Unpaid business orders without a live invoice (needs invoices.issue). */
  readonly invoiceable: readonly InvoiceableOrder[];
  readonly openItemsState: LoadState;
  readonly listError: Failure | null;
  readonly selectedId: string | null;
  readonly detail: InvoiceView | null;
  readonly detailError: Failure | null;
  /** The last action's outcome, shown near the action. */
  readonly busy: boolean;
  readonly actionError: Failure | null;
  readonly notice: { readonly key: 'issued' | 'cancelled' | 'deleted' | 'booked' | 'drafted' | 'assigned' | 'discarded'; readonly label: string } | null;
  readonly unmatched: readonly EscrowTransactionView[];
  readonly unmatchedState: LoadState;
  readonly import: ImportState;
  /** Assignment failures per transaction id (import review). */
  readonly assignErrors: Readonly<Record<string, Failure>>;

  setView(view: InvoicingView): void;
  setFilters(patch: Partial<InvoiceFilters>): void;
  loadInvoices(): Promise<void>;
  loadOpenItems(): Promise<void>;
  loadInvoiceable(): Promise<void>;
  open(id: string): Promise<void>;
  close(): void;
  draftForOrder(orderId: string): Promise<boolean>;
  draftOutletSettlement(from: string, to: string): Promise<boolean>;
  draftPromoterSettlement(eventId: string): Promise<boolean>;
  issue(id: string): Promise<boolean>;
  deleteDraft(id: string): Promise<boolean>;
  cancel(id: string, reason: string): Promise<boolean>;
  bookPayment(payment: ManualPaymentRequest): Promise<boolean>;
  importStatement(file: { name: string; text: () => Promise<string> }, onProgress?: (read: number) => void): Promise<void>;
  loadUnmatched(): Promise<void>;
  assign(transactionId: string, invoiceNumber: string): Promise<boolean>;
  discard(transactionIds: readonly string[], reason: string): Promise<number>;
  clearMessages(): void;
}

export type InvoicingStore = StoreApi<InvoicingState>;

export const MIN_REASON_LENGTH = 3;

/** camt.053 is XML; everything else the server takes is its CSV. Decided by content, not file name. */
export function statementFormat(content: string): 'camt053' | 'csv' | undefined {
  const head = content.replace(/^\ufeff/, '').trimStart();
  if (head.startsWith('<')) return /camt\.053/.test(head.slice(0, 4000)) ? 'camt053' : undefined;
  return head.length > 0 ? 'csv' : undefined;
}

function cleanFilters(filters: InvoiceFilters): InvoiceFilters {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) if (typeof value === 'string' && value.trim() !== '') out[name] = value.trim();
  return out;
}

export function createInvoicingStore({ api }: { api: InvoicingApi }): InvoicingStore {
  return createStore<InvoicingState>()((set, get) => {
    const act = createAct<InvoicingState>(set, { actionError: null, notice: null }, (error) => ({ actionError: error }));

    const showDraft = async (invoice: InvoiceView) => {
      set({ selectedId: invoice.id, detail: invoice, detailError: null, notice: { key: 'drafted', label: invoice.recipient?.name ?? '' } });
      await Promise.all([get().loadInvoices(), invoice.kind === 'business_order' ? get().loadInvoiceable() : Promise.resolve()]);
    };

    const refreshLists = async () => {
      await Promise.all([get().loadInvoices(), get().view === 'open' ? get().loadOpenItems() : Promise.resolve()]);
    };

    return {
      view: 'invoices',
      filters: {},
      invoices: [],
      invoicesState: 'idle',
      openItems: [],
      openItemsState: 'idle',
      invoiceable: [],
      listError: null,
      selectedId: null,
      detail: null,
      detailError: null,
      busy: false,
      actionError: null,
      notice: null,
      unmatched: [],
      unmatchedState: 'idle',
      import: { phase: 'idle', fileName: null, progress: 0, result: null, error: null },
      assignErrors: {},

      setView(view) {
        set({ view, actionError: null, notice: null });
        if (view === 'open') void get().loadOpenItems();
        if (view === 'payments') void get().loadUnmatched();
        if (view === 'invoices') void get().loadInvoices();
      },

      setFilters(patch) {
        set({ filters: { ...get().filters, ...patch } });
      },

      async loadInvoices() {
        set({ invoicesState: 'loading', listError: null });
        const result = await api.list(cleanFilters(get().filters));
        set(result.ok ? { invoices: result.value, invoicesState: 'ready' } : { invoicesState: 'error', listError: result.error });
      },

      async loadOpenItems() {
        set({ openItemsState: 'loading', listError: null });
        const result = await api.openItems();
        set(result.ok ? { openItems: result.value, openItemsState: 'ready' } : { openItemsState: 'error', listError: result.error });
      },

      async loadInvoiceable() {
        const result = await api.invoiceableOrders();
        set(result.ok ? { invoiceable: result.value } : { listError: result.error });
      },

      async open(id) {
        // Reopening the same invoice (after a write) keeps it on screen while the fresh copy loads.
        const same = get().selectedId === id;
        set(same ? { detailError: null } : { selectedId: id, detail: null, detailError: null, actionError: null, notice: null });
        const result = await api.get(id);
        if (get().selectedId !== id) return;
        set(result.ok ? { detail: result.value } : { detailError: result.error });
      },

      close() {
        set({ selectedId: null, detail: null, detailError: null, actionError: null });
      },

      draftForOrder: (orderId) => act(() => api.draftForOrder(orderId.trim()), showDraft),
      draftOutletSettlement: (from, to) => act(() => api.draftOutletSettlement(from, to), showDraft),
      draftPromoterSettlement: (eventId) => act(() => api.draftPromoterSettlement(eventId.trim()), showDraft),

      issue: (id) =>
        act(
          () => api.issue(id),
          async (invoice) => {
            set({ detail: invoice, notice: { key: 'issued', label: invoice.numberLabel ?? '' } });
            await refreshLists();
          },
        ),

      deleteDraft: (id) =>
        act(
          () => api.deleteDraft(id),
          async () => {
            set({ selectedId: null, detail: null, notice: { key: 'deleted', label: '' } });
            await Promise.all([refreshLists(), get().loadInvoiceable()]);
          },
        ),

      async cancel(id, reason) {
        if (reason.trim().length < MIN_REASON_LENGTH) {
          set({ actionError: { code: 'REASON_TOO_SHORT' } });
          return false;
        }
        return act(
          () => api.cancel(id, reason.trim()),
          async (cancellation) => {
            const original = await api.get(id);
            set({ detail: original.ok ? original.value : get().detail, notice: { key: 'cancelled', label: cancellation.numberLabel ?? '' } });
            await refreshLists();
          },
        );
      },

      async bookPayment(payment) {
        if (!Number.isSafeInteger(payment.amountCents) || payment.amountCents <= 0) {
          set({ actionError: { code: 'AMOUNT_INVALID' } });
          return false;
        }
        return act(
          () => api.bookPayment(payment),
          async (transaction) => {
            set({ notice: { key: 'booked', label: transaction.invoiceNumber ?? '' } });
            const selected = get().selectedId;
            if (selected !== null) await get().open(selected);
            await refreshLists();
            if (transaction.status === 'unmatched') await get().loadUnmatched();
          },
        );
      },

      async importStatement(file, onProgress) {
        set({ import: { phase: 'reading', fileName: file.name, progress: 0, result: null, error: null }, assignErrors: {} });
        let content: string;
        try {
          content = await file.text();
        } catch {
          set({ import: { ...get().import, phase: 'failed', error: { code: 'FILE_UNREADABLE' } } });
          return;
        }
        onProgress?.(1);
        const format = statementFormat(content);
        if (format === undefined) {
          set({ import: { ...get().import, phase: 'failed', error: { code: 'FILE_FORMAT_UNKNOWN' } } });
          return;
        }
        set({ import: { ...get().import, phase: 'uploading', progress: 1 } });
        const result = await api.importStatement({ format, content });
        if (!result.ok) {
          set({ import: { ...get().import, phase: 'failed', error: result.error } });
          return;
        }
        set({ import: { ...get().import, phase: 'done', result: result.value } });
        await Promise.all([get().loadUnmatched(), get().loadInvoices()]);
      },

      async loadUnmatched() {
        set({ unmatchedState: 'loading' });
        const result = await api.transactions('unmatched');
        set(result.ok ? { unmatched: result.value, unmatchedState: 'ready' } : { unmatchedState: 'error', listError: result.error });
      },

      async assign(transactionId, invoiceNumber) {
        const number = invoiceNumber.trim();
        const errors = { ...get().assignErrors };
        delete errors[transactionId];
        if (number === '') {
          set({ assignErrors: { ...errors, [transactionId]: { code: 'INVOICE_NUMBER_REQUIRED' } } });
          return false;
        }
        set({ busy: true, assignErrors: errors, notice: null });
        const result = await api.assign(transactionId, number);
        if (!result.ok) {
          set({ busy: false, assignErrors: { ...errors, [transactionId]: result.error } });
          return false;
        }
        set({
          busy: false,
          notice: { key: 'assigned', label: result.value.invoiceNumber ?? number },
          unmatched: get().unmatched.filter((t) => t.id !== transactionId),
          import: withTransaction(get().import, result.value),
        });
        return true;
      },

      async discard(transactionIds, reason) {
        if (transactionIds.length === 0) {
          set({ actionError: { code: 'NOTHING_SELECTED' } });
          return 0;
        }
        if (reason.trim().length < MIN_REASON_LENGTH) {
          set({ actionError: { code: 'REASON_TOO_SHORT' } });
          return 0;
        }
        set({ busy: true, actionError: null, notice: null });
        let done = 0;
        // One by one: each discard is its own audited write; the first refusal stops the batch.
        for (const id of transactionIds) {
          const result = await api.discard(id, reason.trim());
          if (!result.ok) {
            set({ actionError: result.error });
            break;
          }
          done += 1;
          set({ unmatched: get().unmatched.filter((t) => t.id !== id), import: withTransaction(get().import, result.value) });
        }
        set({ busy: false, ...(done > 0 ? { notice: { key: 'discarded' as const, label: String(done) } } : {}) });
        return done;
      },

      clearMessages() {
        set({ actionError: null, notice: null });
      },
    };
  });
}

/** The import result with one transaction replaced and the counts recomputed from the rows. */
function withTransaction(state: ImportState, changed: EscrowTransactionView): ImportState {
  if (state.result === null || !state.result.transactions.some((t) => t.id === changed.id)) return state;
  const transactions = state.result.transactions.map((t) => (t.id === changed.id ? changed : t));
  const count = (status: EscrowTransactionView['status']) => transactions.filter((t) => t.status === status).length;
  return { ...state, result: { ...state.result, transactions, matched: count('matched'), unmatched: count('unmatched'), rejected: count('rejected') } };
}
