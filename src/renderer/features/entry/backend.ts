/**
 * What the entry screen needs from the backend, as a small port: the desktop station answers through
 * the preload bridge (IPC area `entry`, offline-capable with its scan list and journal), a browser
 * through the API (online check-ins only). The store never knows which one it talks to.
 */
import { Type } from 'typebox';
import { CheckInVerdict, EntryListView, EntryStats, type Verdict } from '../../../shared/api/entry.js';
import type { GateStatusView, GateVerdictView } from '../../../shared/ipc/entry.js';
import type { Backend } from '../../lib/backend.js';

export interface CodedFailure {
  readonly code: string;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CodedFailure };

export type GateMode = 'online' | 'offline';

/** One verdict as the gate shows it, from either path. */
export interface GateVerdict {
  readonly verdict: Verdict;
  readonly ok: boolean;
  readonly mode: GateMode;
  readonly scannedAt: string;
  readonly admittedAt?: string;
  readonly admittedGate?: string;
  /** The workstation that made the first admission. */
  readonly admittedDevice?: string;
  /** For voided: reprinted (the paper was replaced), cancelled or spoiled. */
  readonly voidReason?: string;
  readonly ticket?: { readonly categoryName: string; readonly seat: string | null };
  readonly validFrom?: string;
  readonly validUntil?: string;
}

export interface GateStatus {
  readonly mode: GateMode;
  /** Age of the offline scan list; null when there is none (a browser never holds one). */
  readonly listAgeMs: number | null;
  /** Scans decided offline and not yet on the server. */
  readonly pendingUploads: number;
}

export interface EntryBackend {
  /** Whether this path can decide without the server (the desktop station with its scan list). */
  readonly offlineCapable: boolean;
  lists(): Promise<Outcome<EntryListView[]>>;
  open(list: EntryListView, gate: string): Promise<Outcome<GateStatus>>;
  scan(code: string): Promise<Outcome<GateVerdict>>;
  stats(entryListId: string): Promise<Outcome<EntryStats>>;
  close(): Promise<void>;
  /** Status changes the backend learns by itself (sync rounds, lost connection). */
  onStatus(listener: (status: GateStatus) => void): () => void;
  /** Codes read by a HID scanner in main (desktop); a keyboard-wedge scanner types into the page instead. */
  onHardwareScan?(listener: (code: string) => void): () => void;
}

/** Live figures of an entry list, over the API on both paths. */
export function fetchEntryStats(backend: Pick<Backend, 'request'>, entryListId: string): Promise<Outcome<EntryStats>> {
  return backend.request({ method: 'GET', path: `/api/v1/entry-lists/${encodeURIComponent(entryListId)}/stats`, response: EntryStats });
}

/** Transport failures: the scan may or may not have reached the server. */
const UNREACHABLE = new Set(['SERVER_UNREACHABLE', 'SERVER_TIMEOUT', 'CONNECTION_LOST', 'DATABASE_UNAVAILABLE', 'SERVER_ERROR']);

export interface WebEntryDeps {
  readonly backend: Pick<Backend, 'request'>;
  /** 16–100 characters of [A-Za-z0-9_-] (a UUID fits). */
  readonly newNonce: () => string;
}

/**
 * The browser's path: every scan is a POST /api/v1/check-ins with a nonce. When the answer is lost, the
 * same code scanned again is sent with the same nonce, so the server answers with the first verdict
 * instead of "already admitted" for a guest it let in a moment ago.
 */
export function createWebEntryBackend(deps: WebEntryDeps): EntryBackend {
  let open: { list: EntryListView; gate: string } | undefined;
  let unanswered: { code: string; nonce: string } | undefined;
  let mode: GateMode = 'online';
  const listeners = new Set<(status: GateStatus) => void>();
  const status = (): GateStatus => ({ mode, listAgeMs: null, pendingUploads: 0 });
  const setMode = (next: GateMode) => {
    if (next === mode) return;
    mode = next;
    for (const listener of listeners) listener(status());
  };

  return {
    offlineCapable: false,
    lists: () => deps.backend.request({ method: 'GET', path: '/api/v1/entry-lists', response: Type.Array(EntryListView) }),
    async open(list, gate) {
      open = { list, gate };
      unanswered = undefined;
      return { ok: true, value: status() };
    },
    async scan(code) {
      if (open === undefined) return { ok: false, error: { code: 'ENTRY_NOT_OPEN' } };
      const nonce = unanswered?.code === code ? unanswered.nonce : deps.newNonce();
      const answer = await deps.backend.request({
        method: 'POST',
        path: '/api/v1/check-ins',
        body: { entryListId: open.list.id, gate: open.gate, code, nonce },
        response: CheckInVerdict,
      });
      if (!answer.ok) {
        if (UNREACHABLE.has(answer.error.code)) {
          unanswered = { code, nonce };
          setMode('offline');
        }
        return answer;
      }
      unanswered = undefined;
      setMode('online');
      const v = answer.value;
      return {
        ok: true,
        value: {
          verdict: v.verdict,
          ok: v.ok,
          mode: 'online',
          scannedAt: v.scannedAt,
          ...(v.admittedAt === undefined ? {} : { admittedAt: v.admittedAt }),
          ...(v.admittedGate === undefined ? {} : { admittedGate: v.admittedGate }),
          ...(v.admittedDevice === undefined ? {} : { admittedDevice: v.admittedDevice }),
          ...(v.voidReason === undefined ? {} : { voidReason: v.voidReason }),
          ...(v.ticket === undefined ? {} : { ticket: { categoryName: v.ticket.categoryName, seat: v.ticket.seat } }),
          ...(v.validFrom === undefined ? {} : { validFrom: v.validFrom }),
          ...(v.validUntil === undefined ? {} : { validUntil: v.validUntil }),
        },
      };
    },
    stats: (entryListId) => fetchEntryStats(deps.backend, entryListId),
    async close() {
      open = undefined;
      unanswered = undefined;
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The part of the preload bridge the desktop path uses. */
export interface EntryBridge {
  readonly entry: {
    lists(args: { eventId?: string }): Promise<Outcome<EntryListView[]>>;
    open(args: { entryListId: string; gate: string }): Promise<Outcome<GateStatusView>>;
    scan(args: { code: string }): Promise<Outcome<GateVerdictView>>;
    close(): Promise<Outcome<GateStatusView>>;
  };
  readonly events: {
    entryStatus(listener: (status: GateStatusView) => void): () => void;
    scannerScan(listener: (scan: { code: string }) => void): () => void;
  };
}

const fromStatusView = (s: GateStatusView): GateStatus => ({ mode: s.mode, listAgeMs: s.listAgeMs, pendingUploads: s.pendingUploads });

/**
 * The desktop station's path: main decides (online first, offline from the scan list) and journals;
 * live figures come over the API, which the station's backend port provides.
 */
export function createDesktopEntryBackend(bridge: EntryBridge, stats: EntryBackend['stats']): EntryBackend {
  return {
    offlineCapable: true,
    lists: () => bridge.entry.lists({}),
    async open(list, gate) {
      const opened = await bridge.entry.open({ entryListId: list.id, gate });
      return opened.ok ? { ok: true, value: fromStatusView(opened.value) } : opened;
    },
    async scan(code) {
      const answer = await bridge.entry.scan({ code });
      if (!answer.ok) return answer;
      const { listAgeMs: _age, ...verdict } = answer.value;
      return { ok: true, value: verdict };
    },
    stats,
    async close() {
      await bridge.entry.close();
    },
    onStatus: (listener) => bridge.events.entryStatus((s) => listener(fromStatusView(s))),
    onHardwareScan: (listener) => bridge.events.scannerScan((scan) => listener(scan.code)),
  };
}
