/**
 * The counter sale: event search, the chosen event with its seat map, the cart (general-admission
 * quantities by price type, seats with price variants, best-available holds), payment and the print
 * that follows at once. A factory over the sales API and the ticket printer; no globals.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CategoryView, EventDetail, EventSummary, SeatMap } from '../../../shared/api/events.js';
import type { PrintJobView, SpoilReason, TrayView } from '../../../shared/api/printing.js';
import type { CreateOrderRequest, OrderView } from '../../../shared/api/sales.js';
import type { CodedError } from '../../lib/error-messages.js';
import type { SalesApi } from './api.js';
import { changeCents } from './cash.js';
import type { TicketPrinter } from './print.js';

/** F1…F8: one key per price type. */
export const MAX_PRICE_TYPES = 8;

/** A general-admission price: a category at its own price or at one of its variants. */
export interface PriceType {
  readonly categoryId: string;
  readonly variantId: string | null;
  readonly name: string;
  readonly priceCents: number;
  readonly remaining: number;
}

export interface GaLine {
  readonly categoryId: string;
  readonly variantId: string | null;
  readonly quantity: number;
}

export interface SeatLine {
  readonly seatId: string;
  readonly block: string;
  readonly row: string;
  readonly number: number;
  readonly categoryId: string;
  readonly variantId: string | null;
}

export type Payment = { readonly method: 'cash'; readonly givenCents: number } | { readonly method: 'card'; readonly reference: string };

export type PrintState =
  | { readonly state: 'idle' }
  | { readonly state: 'printing' }
  | { readonly state: 'printed'; readonly blankNumbers: readonly number[] }
  | { readonly state: 'confirm'; readonly job: PrintJobView; readonly document: Blob }
  | { readonly state: 'spoiled'; readonly job: PrintJobView }
  | { readonly state: 'failed'; readonly error: CodedError };

export interface CompletedSale {
  readonly order: OrderView;
  readonly givenCents: number | null;
  readonly changeCents: number | null;
}

export type TillState = 'unknown' | 'open' | 'closed';

/** The reason recorded with an undone sale (the server's cancel needs one; UX.md 5). */
export const UNDO_REASON = 'Sofortstorno an der Kasse';

/**
 * "Undo last sale" (UX.md 5): one inline confirmation, then the order is cancelled on the server, which
 * refunds it into this till and voids the barcodes of its printed tickets.
 */
export type UndoState =
  | { readonly state: 'idle' }
  | { readonly state: 'confirm'; readonly sale: CompletedSale; readonly printedBlanks: readonly number[] }
  | { readonly state: 'cancelling'; readonly sale: CompletedSale; readonly printedBlanks: readonly number[] }
  | { readonly state: 'done'; readonly order: OrderView; readonly refundCents: number; readonly refundMethod: string | null };

export interface SalesState {
  readonly query: string;
  readonly results: readonly EventSummary[];
  readonly searching: boolean;
  readonly event: EventDetail | undefined;
  readonly seatMap: SeatMap | undefined;
  readonly gaLines: readonly GaLine[];
  readonly seats: readonly SeatLine[];
  /** Best-available seats reserved on the server; sold with the order, released when dropped. */
  readonly hold: { readonly id: string; readonly seatIds: readonly string[]; readonly categoryId: string; readonly quantity: number } | undefined;
  readonly till: TillState;
  /** The printer's paper as the server counts it; undefined when unknown or not this user's business. */
  readonly tray: TrayView | undefined;
  readonly busy: boolean;
  readonly error: CodedError | undefined;
  /** The last sale: stays on screen (change!) until the next sale starts. */
  readonly lastSale: CompletedSale | undefined;
  readonly print: PrintState;
  readonly undo: UndoState;

  readonly search: (query: string) => Promise<void>;
  readonly chooseEvent: (eventId: string) => Promise<void>;
  readonly checkTill: () => Promise<void>;
  readonly checkTray: () => Promise<void>;
  readonly addPriceType: (index: number) => void;
  readonly removePriceType: (index: number) => void;
  readonly toggleSeat: (seatId: string) => void;
  readonly setSeatVariant: (seatId: string, variantId: string | null) => void;
  readonly setGaVariant: (line: GaLine, variantId: string | null) => void;
  readonly bestAvailable: (categoryId: string, quantity: number) => Promise<void>;
  /** Releases the current best-available seats and reserves the next best ones. */
  readonly nextBest: () => Promise<void>;
  readonly clearCart: () => Promise<void>;
  readonly pay: (payment: Payment) => Promise<boolean>;
  readonly confirmPrinted: () => Promise<void>;
  readonly spoilPrint: (reason: SpoilReason) => Promise<void>;
  readonly retryPrint: () => Promise<void>;
  /** Asks to undo the last sale (Ctrl+Z); false when there is nothing to undo now. */
  readonly askUndo: () => boolean;
  readonly abortUndo: () => void;
  /** Cancels the last sale after the confirmation. */
  readonly undoLastSale: () => Promise<void>;
}

/** Blanks the last sale's tickets were (or are being) printed on: the sheets that stop admitting. */
function blanksOf(print: PrintState): number[] {
  if (print.state === 'printed') return [...print.blankNumbers];
  if (print.state === 'confirm') return print.job.prints.map((entry) => entry.blankNumber);
  return [];
}

export type SalesStore = StoreApi<SalesState>;

/** F-key price types of an event: general-admission categories, each at its price and its variants. */
export function priceTypes(event: EventDetail | undefined): PriceType[] {
  if (event === undefined) return [];
  const types: PriceType[] = [];
  const ga = [...event.categories].filter((category) => !category.seated).sort((a, b) => a.sortOrder - b.sortOrder);
  for (const category of ga) {
    types.push({ categoryId: category.id, variantId: null, name: category.name, priceCents: category.priceCents, remaining: category.remaining });
    for (const variant of category.variants) {
      types.push({ categoryId: category.id, variantId: variant.id, name: `${category.name} – ${variant.name}`, priceCents: variant.priceCents, remaining: category.remaining });
    }
  }
  return types.slice(0, MAX_PRICE_TYPES);
}

export function linePrice(category: CategoryView | undefined, variantId: string | null): number {
  if (category === undefined) return 0;
  if (variantId === null) return category.priceCents;
  return category.variants.find((variant) => variant.id === variantId)?.priceCents ?? category.priceCents;
}

export function cartTotalCents(state: Pick<SalesState, 'event' | 'gaLines' | 'seats'>): number {
  const categories = new Map((state.event?.categories ?? []).map((category) => [category.id, category]));
  let total = 0;
  for (const line of state.gaLines) total += line.quantity * linePrice(categories.get(line.categoryId), line.variantId);
  for (const seat of state.seats) total += linePrice(categories.get(seat.categoryId), seat.variantId);
  return total;
}

export function cartCount(state: Pick<SalesState, 'gaLines' | 'seats'>): number {
  return state.gaLines.reduce((sum, line) => sum + line.quantity, 0) + state.seats.length;
}

function seatFromMap(map: SeatMap | undefined, seatId: string): SeatLine | undefined {
  if (map === undefined) return undefined;
  for (const block of map.blocks) {
    for (const row of block.rows) {
      for (const [id, number, categoryIndex] of row.seats) {
        if (id !== seatId) continue;
        const category = map.categories[categoryIndex];
        if (category === undefined) return undefined;
        return { seatId: id, block: block.name, row: row.label, number, categoryId: category.id, variantId: null };
      }
    }
  }
  return undefined;
}

export interface SalesStoreDeps {
  readonly api: SalesApi;
  readonly printer: TicketPrinter;
}

export function createSalesStore({ api, printer }: SalesStoreDeps): SalesStore {
  let searchSeq = 0;

  return createStore<SalesState>()((set, get) => {
    /** A new sale starts with its first ticket: the last sale's change and print state leave the screen. */
    const startSale = () => {
      if (get().lastSale !== undefined || get().print.state !== 'idle' || get().undo.state !== 'idle') set({ lastSale: undefined, print: { state: 'idle' }, undo: { state: 'idle' }, error: undefined });
    };

    const refreshEvent = async (eventId: string) => {
      const [event, map] = await Promise.all([api.event(eventId), api.seatMap(eventId)]);
      if (!event.ok) {
        set({ error: event.error });
        return;
      }
      set({ event: event.value, seatMap: event.value.seated && map.ok ? map.value : undefined });
    };

    const print = async (orderId: string) => {
      set({ print: { state: 'printing' } });
      const outcome = await printer.printOrder(orderId);
      if (outcome.kind === 'printed') set({ print: { state: 'printed', blankNumbers: outcome.blankNumbers } });
      else if (outcome.kind === 'confirm') set({ print: { state: 'confirm', job: outcome.job, document: outcome.document } });
      else set({ print: { state: 'failed', error: outcome.error } });
      await get().checkTray();
    };

    return {
      query: '',
      results: [],
      searching: false,
      event: undefined,
      seatMap: undefined,
      gaLines: [],
      seats: [],
      hold: undefined,
      till: 'unknown',
      tray: undefined,
      busy: false,
      error: undefined,
      lastSale: undefined,
      print: { state: 'idle' },
      undo: { state: 'idle' },

      async search(query) {
        const seq = ++searchSeq;
        set({ query, searching: true });
        const trimmed = query.trim();
        const result = await api.searchEvents(trimmed === '' ? { limit: 20 } : { q: trimmed, limit: 20 });
        // A slower answer to an older query must not overwrite the newer one.
        if (seq !== searchSeq) return;
        set(result.ok ? { results: result.value, searching: false, error: undefined } : { results: [], searching: false, error: result.error });
      },

      async chooseEvent(eventId) {
        await get().clearCart();
        set({ busy: true, error: undefined, event: undefined, seatMap: undefined });
        await refreshEvent(eventId);
        set({ busy: false });
      },

      async checkTill() {
        const result = await api.currentTill();
        if (result.ok) set({ till: 'open' });
        else if (result.error.code === 'TILL_NOT_OPEN') set({ till: 'closed', error: result.error });
        else set({ till: 'unknown', error: result.error });
      },

      async checkTray() {
        const result = await api.tray();
        set({ tray: result.ok ? result.value : undefined });
      },

      addPriceType(index) {
        const type = priceTypes(get().event)[index];
        if (type === undefined) return;
        startSale();
        const lines = [...get().gaLines];
        const at = lines.findIndex((line) => line.categoryId === type.categoryId && line.variantId === type.variantId);
        if (at === -1) lines.push({ categoryId: type.categoryId, variantId: type.variantId, quantity: 1 });
        else lines[at] = { ...lines[at]!, quantity: lines[at]!.quantity + 1 };
        set({ gaLines: lines });
      },

      removePriceType(index) {
        const type = priceTypes(get().event)[index];
        if (type === undefined) return;
        const lines = get()
          .gaLines.map((line) => (line.categoryId === type.categoryId && line.variantId === type.variantId ? { ...line, quantity: line.quantity - 1 } : line))
          .filter((line) => line.quantity > 0);
        set({ gaLines: lines });
      },

      toggleSeat(seatId) {
        const { seats, seatMap, hold } = get();
        if (seats.some((seat) => seat.seatId === seatId)) {
          set({ seats: seats.filter((seat) => seat.seatId !== seatId) });
          return;
        }
        const seat = seatFromMap(seatMap, seatId);
        if (seat === undefined) return;
        // Free seats only; seats of our own best-available hold are already in the cart.
        const status = seatStatus(seatMap, seatId);
        if (status !== 'available' && !(hold?.seatIds.includes(seatId) ?? false)) return;
        startSale();
        set({ seats: [...seats, seat] });
      },

      setSeatVariant(seatId, variantId) {
        set({ seats: get().seats.map((seat) => (seat.seatId === seatId ? { ...seat, variantId } : seat)) });
      },

      setGaVariant(line, variantId) {
        const others = get().gaLines.filter((other) => other !== line);
        const merged = others.find((other) => other.categoryId === line.categoryId && other.variantId === variantId);
        set({
          gaLines: merged === undefined ? get().gaLines.map((other) => (other === line ? { ...line, variantId } : other)) : others.map((other) => (other === merged ? { ...other, quantity: other.quantity + line.quantity } : other)),
        });
      },

      async bestAvailable(categoryId, quantity) {
        const { event } = get();
        if (event === undefined) return;
        startSale();
        set({ busy: true, error: undefined });
        const previous = get().hold;
        // The new hold is taken while the old one still blocks its seats, so "next best" really is the next.
        const held = await api.holdBestAvailable(event.id, categoryId, quantity);
        if (!held.ok) {
          set({ busy: false, error: held.error });
          return;
        }
        if (previous !== undefined) await api.releaseHold(previous.id);
        const previousIds = new Set(previous?.seatIds ?? []);
        const kept = get().seats.filter((seat) => !previousIds.has(seat.seatId));
        const added = held.value.seats.map((seat) => ({ seatId: seat.id, block: seat.block, row: seat.row, number: seat.number, categoryId: seat.categoryId, variantId: null }));
        set({ hold: { id: held.value.id, seatIds: added.map((seat) => seat.seatId), categoryId, quantity }, seats: [...kept, ...added] });
        await refreshEvent(event.id);
        set({ busy: false });
      },

      async nextBest() {
        const { hold } = get();
        if (hold === undefined) return;
        await get().bestAvailable(hold.categoryId, hold.quantity);
      },

      async clearCart() {
        const { hold, event } = get();
        set({ gaLines: [], seats: [], hold: undefined });
        if (hold !== undefined) {
          await api.releaseHold(hold.id);
          if (event !== undefined) await refreshEvent(event.id);
        }
      },

      async pay(payment) {
        const state = get();
        if (state.event === undefined || cartCount(state) === 0 || state.busy) return false;
        const total = cartTotalCents(state);
        if (payment.method === 'cash' && changeCents(total, payment.givenCents) === undefined) {
          set({ error: { code: 'CASH_NOT_ENOUGH' } });
          return false;
        }
        if (state.till === 'closed') {
          // Opened meanwhile on the till screen? Ask again before refusing.
          await get().checkTill();
          if (get().till === 'closed') return false;
        }
        set({ busy: true, error: undefined });
        const request: CreateOrderRequest = {
          eventId: state.event.id,
          channel: 'counter',
          ...(state.gaLines.length === 0
            ? {}
            : { items: state.gaLines.map((line) => ({ categoryId: line.categoryId, quantity: line.quantity, ...(line.variantId === null ? {} : { variantId: line.variantId }) })) }),
          ...(state.seats.length === 0 ? {} : { seats: state.seats.map((seat) => ({ seatId: seat.seatId, ...(seat.variantId === null ? {} : { variantId: seat.variantId }) })) }),
          ...(state.hold === undefined ? {} : { holdId: state.hold.id }),
          payment: payment.method === 'cash' ? { method: 'cash', givenCents: payment.givenCents } : { method: 'card', reference: payment.reference },
        };
        const sold = await api.sell(request);
        if (!sold.ok) {
          set({ busy: false, error: sold.error, ...(sold.error.code === 'TILL_NOT_OPEN' ? { till: 'closed' as const } : {}) });
          return false;
        }
        const cash = sold.value.payments.find((entry) => entry.method === 'cash');
        set({
          busy: false,
          gaLines: [],
          seats: [],
          hold: undefined,
          till: 'open',
          lastSale: { order: sold.value, givenCents: cash?.givenCents ?? null, changeCents: cash?.changeCents ?? null },
        });
        // Print at once (UX: no extra step); the figures refresh meanwhile.
        await Promise.all([print(sold.value.id), refreshEvent(state.event.id)]);
        return true;
      },

      async confirmPrinted() {
        const current = get().print;
        if (current.state !== 'confirm') return;
        const confirmed = await printer.confirm(current.job);
        if (!confirmed.ok) set({ error: confirmed.error });
        else set({ print: { state: 'printed', blankNumbers: confirmed.value.prints.map((entry) => entry.blankNumber) } });
        await get().checkTray();
      },

      async spoilPrint(reason) {
        const current = get().print;
        if (current.state !== 'confirm') return;
        const spoiled = await printer.spoil(current.job, reason);
        if (!spoiled.ok) set({ error: spoiled.error });
        else set({ print: { state: 'spoiled', job: spoiled.value } });
      },

      async retryPrint() {
        const sale = get().lastSale;
        if (sale === undefined) return;
        await print(sale.order.id);
      },

      askUndo() {
        const { lastSale, print: printState, undo, busy, till } = get();
        // Only the sale still on screen, in the till session it was paid into, and not mid-print.
        if (lastSale === undefined || lastSale.order.status !== 'paid' || undo.state !== 'idle' || busy || till !== 'open' || printState.state === 'printing') return false;
        set({ undo: { state: 'confirm', sale: lastSale, printedBlanks: blanksOf(printState) }, error: undefined });
        return true;
      },

      abortUndo() {
        if (get().undo.state === 'confirm') set({ undo: { state: 'idle' } });
      },

      async undoLastSale() {
        const undo = get().undo;
        if (undo.state !== 'confirm') return;
        set({ undo: { ...undo, state: 'cancelling' }, busy: true });
        const cancelled = await api.cancelOrder(undo.sale.order.id, { reason: UNDO_REASON });
        if (!cancelled.ok) {
          set({ undo: { state: 'idle' }, busy: false, error: cancelled.error });
          return;
        }
        const refunds = cancelled.value.payments.filter((payment) => payment.amountCents < 0);
        set({
          busy: false,
          lastSale: undefined,
          print: { state: 'idle' },
          undo: { state: 'done', order: cancelled.value, refundCents: -refunds.reduce((sum, payment) => sum + payment.amountCents, 0), refundMethod: refunds[0]?.method ?? null },
        });
        // The freed seats and capacity show at once.
        const event = get().event;
        if (event !== undefined) await refreshEvent(event.id);
      },
    };
  });
}

export function seatStatus(map: SeatMap | undefined, seatId: string): string | undefined {
  if (map === undefined) return undefined;
  for (const block of map.blocks) {
    for (const row of block.rows) {
      const seat = row.seats.find(([id]) => id === seatId);
      if (seat !== undefined) return map.statuses[seat[3]];
    }
  }
  return undefined;
}
