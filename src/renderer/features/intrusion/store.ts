/**
 * The blocks screen's state (operator staff, right intrusion.manage): the server-side filter (active
 * or all blocks, source address search), the open block with its recent signals, and lifting a block
 * with a reason. A factory over the API, no module-level state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BlockDetail, BlockListQuery, BlockView } from '../../../shared/api/intrusion.js';
import type { ApiError } from '../../../shared/api-client/errors.js';
import { createAct } from '../../lib/store-action.js';
import type { IntrusionApi } from './api.js';

export type BlockState = 'active' | 'all';
export type IntrusionLocalError = 'SOURCE_TOO_SHORT' | 'REASON_TOO_SHORT';
export type IntrusionFailure = { readonly code: IntrusionLocalError } | ApiError;

export interface IntrusionState {
  readonly state: BlockState;
  readonly source: string;
  readonly rows: readonly BlockView[];
  readonly loading: boolean;
  readonly error: IntrusionFailure | null;
  readonly selectedId: string | null;
  readonly detail: BlockDetail | null;
  readonly detailLoading: boolean;
  readonly detailError: ApiError | null;
  readonly busy: boolean;
  readonly liftError: IntrusionFailure | null;
  /** The block last lifted here (for the confirmation text). */
  readonly liftedId: string | null;
  setFilter(patch: Partial<Pick<IntrusionState, 'state' | 'source'>>): void;
  search(): Promise<void>;
  open(blockId: string | null): Promise<void>;
  /** Lifts the open block; false when refused (locally or by the server). */
  lift(reason: string): Promise<boolean>;
}

export type IntrusionStore = StoreApi<IntrusionState>;

export const LIST_LIMIT = 200;
const REASON_MIN = 3;
const SOURCE_MIN = 2;

export function toQuery(state: BlockState, source: string): BlockListQuery | IntrusionLocalError {
  const trimmed = source.trim();
  if (trimmed !== '' && trimmed.length < SOURCE_MIN) return 'SOURCE_TOO_SHORT';
  return { state, limit: LIST_LIMIT, ...(trimmed === '' ? {} : { source: trimmed }) };
}

export function createIntrusionStore({ api }: { api: IntrusionApi }): IntrusionStore {
  return createStore<IntrusionState>()((set, get) => ({
    state: 'active',
    source: '',
    rows: [],
    loading: false,
    error: null,
    selectedId: null,
    detail: null,
    detailLoading: false,
    detailError: null,
    busy: false,
    liftError: null,
    liftedId: null,

    setFilter(patch) {
      set(patch);
    },

    async search() {
      const query = toQuery(get().state, get().source);
      if (typeof query === 'string') {
        set({ error: { code: query } });
        return;
      }
      set({ loading: true, error: null });
      const result = await api.list(query);
      set(result.ok ? { loading: false, rows: result.value } : { loading: false, error: result.error });
    },

    async open(blockId) {
      set({ selectedId: blockId, detail: null, detailError: null, liftError: null, liftedId: null, detailLoading: blockId !== null });
      if (blockId === null) return;
      const result = await api.detail(blockId);
      // A later click may have opened another block meanwhile.
      if (get().selectedId !== blockId) return;
      set(result.ok ? { detailLoading: false, detail: result.value } : { detailLoading: false, detailError: result.error });
    },

    async lift(reason) {
      const detail = get().detail;
      if (detail === null || get().busy) return false;
      const trimmed = reason.trim();
      if (trimmed.length < REASON_MIN) {
        set({ liftError: { code: 'REASON_TOO_SHORT' } });
        return false;
      }
      const act = createAct<IntrusionState>(set, { liftError: null, liftedId: null }, (error) => ({ liftError: error }));
      return act(
        () => api.lift(detail.block.id, trimmed),
        async (lifted) => {
          set({ liftedId: lifted.id, detail: { ...detail, block: lifted }, rows: get().rows.map((row) => (row.id === lifted.id ? lifted : row)) });
          // The active list no longer holds the lifted block: ask the server again.
          await get().search();
        },
      );
    },
  }));
}
