/**
 * The till screen's state. Closing is a blind count (UX.md 16): the clerk types what is in the drawer
 * before any expected amount is shown — the interim report is hidden while counting — and only a
 * difference asks for a reason. The closing report (Z) is the server's, numbered and frozen.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError } from '../../../shared/api-client/errors.js';
import { TillErrorCode, type TillClosingSummary, type TillReport } from '../../../shared/api/till.js';
import type { TillBackend } from './backend.js';
import { centsToInput, parseCashInput } from './money.js';

export type TillPhase = 'loading' | 'closed' | 'open' | 'counting' | 'reason' | 'done';

/** Input problems found before anything is sent. */
export type TillInputError = 'AMOUNT_INVALID' | 'REASON_TOO_SHORT';

export interface TillState {
  readonly phase: TillPhase;
  readonly busy: boolean;
  readonly error: ApiError | TillInputError | null;
  /** The open till's latest report (X); shown only when asked for, never while counting. */
  readonly interim: TillReport | null;
  readonly interimShown: boolean;
  readonly closings: readonly TillClosingSummary[];
  /** The closing just made (Z). */
  readonly closing: TillReport | null;
  readonly floatText: string;
  /** What the server takes when the float is left empty (the last closing here), if known. */
  readonly suggestedFloatCents: number | null;
  readonly countText: string;
  readonly countedCents: number | null;
  readonly reasonText: string;
}

export interface TillActions {
  load(): Promise<void>;
  setFloat(text: string): void;
  openTill(): Promise<void>;
  showInterim(): Promise<void>;
  hideInterim(): void;
  startClosing(): void;
  setCount(text: string): void;
  submitCount(): Promise<void>;
  setReason(text: string): void;
  submitReason(): Promise<void>;
  cancelClosing(): void;
  finish(): void;
  reloadClosings(): Promise<void>;
}

export type TillStore = StoreApi<TillState & TillActions>;

export const MIN_REASON_LENGTH = 3;

export function createTillStore(deps: { backend: TillBackend; workstationId: () => string | undefined }): TillStore {
  return createStore<TillState & TillActions>()((set, get) => {
    async function close(differenceReason: string | undefined): Promise<void> {
      const counted = get().countedCents;
      if (counted === null) return;
      set({ busy: true, error: null });
      const answer = await deps.backend.close(counted, differenceReason);
      if (answer.ok) {
        set({ busy: false, phase: 'done', closing: answer.value, interim: null, interimShown: false, reasonText: '', countText: '' });
        await get().reloadClosings();
        return;
      }
      if (answer.error.code === TillErrorCode.differenceReasonRequired) {
        // The count stays as typed; the amount of the difference is shown only with the closing report.
        set({ busy: false, phase: 'reason', error: differenceReason === undefined ? null : answer.error });
        return;
      }
      set({ busy: false, error: answer.error });
    }

    return {
      phase: 'loading',
      busy: false,
      error: null,
      interim: null,
      interimShown: false,
      closings: [],
      closing: null,
      floatText: '',
      suggestedFloatCents: null,
      countText: '',
      countedCents: null,
      reasonText: '',

      async load() {
        set({ phase: 'loading', error: null });
        const [current] = await Promise.all([deps.backend.current(), get().reloadClosings()]);
        if (current.ok) {
          set({ phase: 'open', interim: current.value });
          return;
        }
        if (current.error.code === TillErrorCode.tillNotOpen) {
          const suggested = get().suggestedFloatCents;
          set({ phase: 'closed', floatText: suggested === null ? '' : centsToInput(suggested) });
          return;
        }
        set({ phase: 'closed', error: current.error });
      },

      setFloat(text) {
        set({ floatText: text, error: null });
      },

      async openTill() {
        const text = get().floatText.trim();
        const cents = text === '' ? undefined : parseCashInput(text);
        if (cents === undefined && text !== '') {
          set({ error: 'AMOUNT_INVALID' });
          return;
        }
        set({ busy: true, error: null });
        const answer = await deps.backend.open(cents);
        if (answer.ok) set({ busy: false, phase: 'open', interim: answer.value, interimShown: false, closing: null });
        else if (answer.error.code === TillErrorCode.tillAlreadyOpen) await get().load();
        else set({ busy: false, error: answer.error });
        set({ busy: false });
      },

      async showInterim() {
        set({ busy: true, error: null });
        const answer = await deps.backend.current();
        if (answer.ok) set({ busy: false, interim: answer.value, interimShown: true });
        else set({ busy: false, error: answer.error });
      },

      hideInterim() {
        set({ interimShown: false });
      },

      startClosing() {
        if (get().phase !== 'open') return;
        set({ phase: 'counting', interimShown: false, countText: '', countedCents: null, reasonText: '', error: null });
      },

      setCount(text) {
        set({ countText: text, error: null });
      },

      async submitCount() {
        const cents = parseCashInput(get().countText);
        if (cents === undefined) {
          set({ error: 'AMOUNT_INVALID' });
          return;
        }
        set({ countedCents: cents });
        await close(undefined);
      },

      setReason(text) {
        set({ reasonText: text, error: null });
      },

      async submitReason() {
        const reason = get().reasonText.trim();
        if (reason.length < MIN_REASON_LENGTH) {
          set({ error: 'REASON_TOO_SHORT' });
          return;
        }
        await close(reason);
      },

      cancelClosing() {
        set({ phase: 'open', countText: '', countedCents: null, reasonText: '', error: null });
      },

      finish() {
        const suggested = get().closing?.closing?.countedCashCents ?? get().suggestedFloatCents;
        set({ phase: 'closed', closing: null, floatText: suggested === null || suggested === undefined ? '' : centsToInput(suggested), error: null });
      },

      async reloadClosings() {
        const answer = await deps.backend.closings();
        if (!answer.ok) return;
        const here = deps.workstationId();
        const last = answer.value.find((c) => c.workstation.id === here);
        set({ closings: answer.value, suggestedFloatCents: last?.countedCashCents ?? null });
      },
    };
  });
}
