/**
 * Finding an order (number, customer, scanned barcode) and acting on it: cancel with a reason, reprint
 * one ticket with a reason. A factory over the orders API and the ticket printer.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PrintRecord, ReprintReason } from '../../../shared/api/printing.js';
import type { CancelOrderRequest, OrderView } from '../../../shared/api/sales.js';
import type { CodedError } from '../../lib/error-messages.js';
import type { PrintState } from '../sales/store.js';
import type { TicketPrinter } from '../sales/print.js';
import { classifyOrderQuery, type OrderQuery, type OrdersApi } from './api.js';
import type { OrderSummaryView } from './types.js';

export type OrderAction =
  | { readonly kind: 'cancel'; readonly ticketIds: readonly string[] }
  | { readonly kind: 'reprint'; readonly ticketId: string };

export interface OrdersState {
  readonly query: OrderQuery | undefined;
  readonly results: readonly OrderSummaryView[];
  readonly searched: boolean;
  readonly order: OrderView | undefined;
  readonly eventName: string | undefined;
  /** undefined: not loaded or not allowed (tickets.print is needed to read prints). */
  readonly prints: readonly PrintRecord[] | undefined;
  readonly action: OrderAction | undefined;
  readonly busy: boolean;
  readonly error: CodedError | undefined;
  readonly print: PrintState;
  /** What the last action did, for the clerk to read back. */
  readonly done: { readonly kind: 'cancelled' | 'reprinted'; readonly tickets: number } | undefined;

  readonly search: (text: string) => Promise<void>;
  /** Lists today's orders (local midnight on), newest first, until the clerk searches. */
  readonly today: (now: Date) => Promise<void>;
  readonly open: (orderId: string) => Promise<void>;
  readonly ask: (action: OrderAction | undefined) => void;
  readonly cancel: (request: Omit<CancelOrderRequest, 'ticketIds'>) => Promise<boolean>;
  readonly reprint: (reason: ReprintReason, note: string | undefined) => Promise<boolean>;
  readonly confirmPrinted: () => Promise<void>;
  readonly spoilPrint: (reason: 'paper_jam' | 'misprint' | 'printer_error' | 'not_printed' | 'other') => Promise<void>;
}

export type OrdersStore = StoreApi<OrdersState>;

/** The print of a ticket that its barcode lives on now: the active one, or a pending one. */
export function currentPrint(prints: readonly PrintRecord[] | undefined, ticketId: string): PrintRecord | undefined {
  return prints?.filter((print) => print.ticketId === ticketId && print.status !== 'void').at(-1);
}

export function createOrdersStore({ api, printer }: { readonly api: OrdersApi; readonly printer: TicketPrinter }): OrdersStore {
  return createStore<OrdersState>()((set, get) => {
    const load = async (orderId: string) => {
      const [order, prints] = await Promise.all([api.order(orderId), api.prints(orderId)]);
      if (!order.ok) {
        set({ error: order.error, order: undefined, prints: undefined });
        return;
      }
      const event = await api.event(order.value.eventId);
      set({ order: order.value, prints: prints.ok ? prints.value : undefined, eventName: event.ok ? event.value.name : undefined });
    };

    return {
      query: undefined,
      results: [],
      searched: false,
      order: undefined,
      eventName: undefined,
      prints: undefined,
      action: undefined,
      busy: false,
      error: undefined,
      print: { state: 'idle' },
      done: undefined,

      async search(text) {
        const query = classifyOrderQuery(text);
        if (query === undefined) return;
        set({ busy: true, error: undefined, query, done: undefined, action: undefined, print: { state: 'idle' } });
        const found = await api.search(query);
        if (!found.ok) {
          set({ busy: false, error: found.error, results: [], searched: true });
          return;
        }
        set({ busy: false, results: found.value, searched: true, order: undefined, prints: undefined });
        // One hit (a scanned barcode, an order number): open it at once.
        const [only] = found.value;
        if (found.value.length === 1 && only !== undefined) await get().open(only.id);
      },

      async today(now) {
        const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
        const found = await api.since(midnight);
        // A search typed meanwhile wins.
        if (get().query !== undefined) return;
        set(found.ok ? { results: found.value } : { error: found.error });
      },

      async open(orderId) {
        set({ busy: true, error: undefined, action: undefined });
        await load(orderId);
        set({ busy: false });
      },

      ask(action) {
        set({ action, error: undefined });
      },

      async cancel(request) {
        const { order, action } = get();
        if (order === undefined || action?.kind !== 'cancel') return false;
        set({ busy: true, error: undefined });
        const whole = action.ticketIds.length === order.tickets.filter((ticket) => ticket.status === 'valid').length;
        const result = await api.cancel(order.id, whole ? request : { ...request, ticketIds: [...action.ticketIds] });
        if (!result.ok) {
          set({ busy: false, error: result.error });
          return false;
        }
        set({ busy: false, action: undefined, done: { kind: 'cancelled', tickets: action.ticketIds.length } });
        await load(order.id);
        return true;
      },

      async reprint(reason, note) {
        const { order, action } = get();
        if (order === undefined || action?.kind !== 'reprint') return false;
        set({ busy: true, error: undefined, print: { state: 'printing' } });
        const outcome = await printer.reprintTicket(action.ticketId, reason, note);
        set({ busy: false });
        if (outcome.kind === 'failed') {
          set({ print: { state: 'idle' }, error: outcome.error });
          return false;
        }
        set({
          action: undefined,
          done: { kind: 'reprinted', tickets: 1 },
          print: outcome.kind === 'printed' ? { state: 'printed', blankNumbers: outcome.blankNumbers } : { state: 'confirm', job: outcome.job, document: outcome.document },
        });
        await load(order.id);
        return true;
      },

      async confirmPrinted() {
        const { print, order } = get();
        if (print.state !== 'confirm') return;
        const confirmed = await printer.confirm(print.job);
        if (!confirmed.ok) {
          set({ error: confirmed.error });
          return;
        }
        set({ print: { state: 'printed', blankNumbers: confirmed.value.prints.map((entry) => entry.blankNumber) } });
        if (order !== undefined) await load(order.id);
      },

      async spoilPrint(reason) {
        const { print, order } = get();
        if (print.state !== 'confirm') return;
        const spoiled = await printer.spoil(print.job, reason);
        if (!spoiled.ok) {
          set({ error: spoiled.error });
          return;
        }
        set({ print: { state: 'spoiled', job: spoiled.value } });
        if (order !== undefined) await load(order.id);
      },
    };
  });
}
