/**
 * The audit screen's state: server-side filters (period, action or action prefix, entity, entity id,
 * user), keyset paging ("load older"), the open entry and the chain status. A factory over the API.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Static } from 'typebox';
import type { AuditChainStatus, AuditEntry, AuditQuery } from '../../../shared/api/audit.js';
import type { ApiError } from '../../../shared/api-client/errors.js';
import type { AuditApi } from './api.js';

export type AuditRow = Static<typeof AuditEntry>;

export interface AuditFilters {
  /** YYYY-MM-DD, German local day; sent as the instant the day starts. */
  readonly from: string;
  readonly to: string;
  /** An action or a prefix ending in * ("invoice.*"). */
  readonly action: string;
  readonly entity: string;
  readonly entityId: string;
  readonly userId: string;
}

export type AuditLocalError = 'ACTION_INVALID' | 'USER_ID_INVALID';
export type AuditFailure = { readonly code: AuditLocalError } | ApiError;

export interface AuditState {
  readonly filters: AuditFilters;
  readonly rows: readonly AuditRow[];
  readonly nextBeforeSeq: number | null;
  readonly loading: boolean;
  readonly error: AuditFailure | null;
  readonly selectedSeq: number | null;
  readonly chain: AuditChainStatus | null;
  readonly chainState: 'idle' | 'checking' | 'done' | 'failed';
  readonly chainError: ApiError | null;
  setFilters(patch: Partial<AuditFilters>): void;
  search(): Promise<void>;
  loadOlder(): Promise<void>;
  select(seq: number | null): void;
  verify(): Promise<void>;
}

export type AuditStore = StoreApi<AuditState>;

export const PAGE_SIZE = 100;
const ACTION = /^[a-z][a-z0-9_.]{0,99}\*?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Midnight of a German local day as an ISO instant (the server filters by instants). */
export function startOfBerlinDay(day: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const utcMidnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Offset of Berlin at that moment (+1 h or +2 h), read from Intl rather than assumed.
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(new Date(utcMidnight)));
  return new Date(utcMidnight - hour * 3_600_000).toISOString();
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function toQuery(filters: AuditFilters): AuditQuery | AuditLocalError {
  const action = filters.action.trim();
  if (action !== '' && !ACTION.test(action)) return 'ACTION_INVALID';
  const userId = filters.userId.trim();
  if (userId !== '' && !UUID.test(userId)) return 'USER_ID_INVALID';
  const from = filters.from === '' ? undefined : startOfBerlinDay(filters.from);
  // "to" is inclusive for the clerk: up to the end of that day.
  const to = filters.to === '' ? undefined : startOfBerlinDay(nextDay(filters.to));
  return {
    limit: PAGE_SIZE,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(action === '' ? {} : { action }),
    ...(filters.entity.trim() === '' ? {} : { entity: filters.entity.trim() }),
    ...(filters.entityId.trim() === '' ? {} : { entityId: filters.entityId.trim() }),
    ...(userId === '' ? {} : { userId }),
  };
}

export function createAuditStore({ api }: { api: AuditApi }): AuditStore {
  return createStore<AuditState>()((set, get) => ({
    filters: { from: '', to: '', action: '', entity: '', entityId: '', userId: '' },
    rows: [],
    nextBeforeSeq: null,
    loading: false,
    error: null,
    selectedSeq: null,
    chain: null,
    chainState: 'idle',
    chainError: null,

    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
    },

    async search() {
      const query = toQuery(get().filters);
      if (typeof query === 'string') {
        set({ error: { code: query } });
        return;
      }
      set({ loading: true, error: null });
      const result = await api.page(query);
      set(result.ok ? { loading: false, rows: result.value.items, nextBeforeSeq: result.value.nextBeforeSeq, selectedSeq: null } : { loading: false, error: result.error });
    },

    async loadOlder() {
      const before = get().nextBeforeSeq;
      const query = toQuery(get().filters);
      if (before === null || typeof query === 'string') return;
      set({ loading: true, error: null });
      const result = await api.page({ ...query, beforeSeq: before });
      set(result.ok ? { loading: false, rows: [...get().rows, ...result.value.items], nextBeforeSeq: result.value.nextBeforeSeq } : { loading: false, error: result.error });
    },

    select(seq) {
      set({ selectedSeq: seq });
    },

    async verify() {
      set({ chainState: 'checking', chainError: null });
      const result = await api.verify();
      set(result.ok ? { chainState: 'done', chain: result.value } : { chainState: 'failed', chainError: result.error });
    },
  }));
}
