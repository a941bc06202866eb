/**
 * One gate in entry mode: online while the server answers, offline (scan list + durable journal) when it
 * does not, and back online by itself. The clerk always sees which mode decided a scan and how old the
 * list is.
 *
 * - A scan goes to the server first (one round trip, its own nonce). If it fails in transit (unreachable,
 *   timeout, connection lost, the database away), the gate switches to offline and decides the same scan
 *   from the list with the same nonce: if the online attempt reached the server after all, the later upload
 *   is recognised as the same scan and counted once.
 * - Refusals by the server that are not about reachability (unknown entry list, no exit on this list,
 *   session ended) are passed on as errors; they would not go away offline.
 * - Every `syncEveryMs` the gate syncs its scan list (incremental from its cursor). A successful sync
 *   while offline switches back to online; then the journal is uploaded in order. A sync that fails in
 *   transit switches to offline.
 * - Online verdicts are recorded by keyed hash in the offline store, so that after a switch the gate still
 *   knows whom it let in.
 */
import type { ApiResult } from '../../../shared/api-client/errors.js';
import { isTransientTransportCode } from '../../../shared/api-client/transport.js';
import type { CheckInRequest, CheckInVerdict, EntryListView, Verdict } from '../../../shared/api/entry.js';
import type { Clock } from '../../ports/clock.js';
import type { Timers } from '../../ports/timers.js';
import { syncScanList, uploadThrough, type EntrySyncBackend } from './entry-sync-http.js';
import { randomNonce, type OfflineEntry } from './offline-entry.js';
import type { Direction } from './scan-journal.js';
import type { ScanListStore } from './scan-list-store.js';

export type GateMode = 'online' | 'offline';

export interface GateStatus {
  readonly mode: GateMode;
  /** Ms since the scan list was last synced; null when the station holds none. */
  readonly listAgeMs: number | null;
  /** Offline scans not yet on the server. */
  readonly pendingUploads: number;
  /** The last sync or upload problem (a code), cleared by the next success. */
  readonly lastError: string | null;
}

export interface GateVerdict {
  readonly mode: GateMode;
  readonly nonce: string;
  readonly verdict: Verdict;
  readonly ok: boolean;
  readonly scannedAt: string;
  readonly admittedAt?: string;
  readonly admittedGate?: string;
  /** Online only: the server knows the device of the first admission and why a voided code died. */
  readonly admittedDevice?: string;
  readonly voidReason?: string;
  /** Offline only: the age of the list that decided. */
  readonly listAgeMs?: number;
}

export type GateScanResult = { readonly ok: true; readonly value: GateVerdict } | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

export interface EntryGate {
  scan(code: string, direction?: Direction): Promise<GateScanResult>;
  /** One sync (and upload) round now; also what the timer runs. */
  tick(): Promise<void>;
  start(): void;
  /** Stops the timer and waits for a round in progress (the journal is durable anyway). */
  stop(): Promise<void>;
  status(): GateStatus;
}

export interface OnlineCheckIn {
  checkIn(request: CheckInRequest): Promise<ApiResult<CheckInVerdict>>;
}

/** Server answers that mean "not reachable right now" rather than "no". */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['DATABASE_UNAVAILABLE', 'SERVER_ERROR', 'BAD_RESPONSE']);

export function isUnreachable(code: string): boolean {
  return isTransientTransportCode(code) || UNAVAILABLE_CODES.has(code);
}

export function createEntryGate(deps: {
  readonly view: EntryListView;
  readonly gate: string;
  readonly online: OnlineCheckIn;
  readonly sync: EntrySyncBackend;
  readonly offline: OfflineEntry;
  readonly scanList: ScanListStore;
  readonly pendingUploads: () => number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onStatus?: (status: GateStatus) => void;
  readonly syncEveryMs?: number;
  readonly newNonce?: () => string;
}): EntryGate {
  const syncEveryMs = deps.syncEveryMs ?? 5_000;
  const newNonce = deps.newNonce ?? randomNonce;
  let mode: GateMode = 'online';
  let lastError: string | null = null;
  let timer: unknown;
  let stopped = true;
  let round: Promise<void> = Promise.resolve();

  const status = (): GateStatus => {
    const list = deps.scanList.current();
    return {
      mode,
      listAgeMs: list === undefined ? null : deps.clock.now().getTime() - list.syncedAt.getTime(),
      pendingUploads: deps.pendingUploads(),
      lastError,
    };
  };
  const publish = () => deps.onStatus?.(status());
  const setMode = (next: GateMode) => {
    if (mode === next) return;
    mode = next;
    publish();
  };

  async function offlineScan(code: string, direction: Direction, nonce: string): Promise<GateScanResult> {
    const decided = await deps.offline.scan(code, direction, nonce);
    if (!decided.ok) return { ok: false, error: decided.error };
    const v = decided.value;
    publish();
    return {
      ok: true,
      value: {
        mode: 'offline',
        nonce: v.nonce,
        verdict: v.verdict,
        ok: v.ok,
        scannedAt: v.scannedAt,
        listAgeMs: v.listAgeMs,
        ...(v.admittedAt === undefined ? {} : { admittedAt: v.admittedAt, admittedGate: v.admittedGate as string }),
      },
    };
  }

  async function runRound(): Promise<void> {
    const synced = await syncScanList(deps.scanList, deps.sync, deps.view);
    if (!synced.ok) {
      lastError = synced.code;
      if (isUnreachable(synced.code)) setMode('offline');
      publish();
      return;
    }
    setMode('online');
    lastError = null;
    if (deps.pendingUploads() > 0) {
      const uploaded = await deps.offline.uploadPending(uploadThrough(deps.sync));
      if (uploaded.error !== undefined) {
        lastError = uploaded.error;
        if (isUnreachable(uploaded.error)) setMode('offline');
      }
    }
    publish();
  }

  const schedule = () => {
    if (stopped) return;
    timer = deps.timers.setTimeout(() => {
      void gate.tick().finally(schedule);
    }, syncEveryMs);
  };

  const gate: EntryGate = {
    async scan(code, direction = 'in') {
      const nonce = newNonce();
      if (mode === 'online') {
        const scannedAt = deps.clock.now().toISOString();
        const answer = await deps.online.checkIn({ entryListId: deps.view.id, gate: deps.gate, code, nonce, direction });
        if (answer.ok) {
          const v = answer.value;
          // Kept by hash so that the gate still knows whom it let in if it goes offline; the server has
          // the scan already, so a failure here does not change the verdict.
          const kept = await deps.offline.recordOnline({ code, nonce, direction, verdict: v.verdict, scannedAt: v.scannedAt ?? scannedAt });
          if (!kept.ok) lastError = kept.error.code;
          return {
            ok: true,
            value: {
              mode: 'online',
              nonce,
              verdict: v.verdict,
              ok: v.ok,
              scannedAt: v.scannedAt,
              ...(v.admittedAt === undefined ? {} : { admittedAt: v.admittedAt }),
              ...(v.admittedGate === undefined ? {} : { admittedGate: v.admittedGate }),
              ...(v.admittedDevice === undefined ? {} : { admittedDevice: v.admittedDevice }),
              ...(v.voidReason === undefined ? {} : { voidReason: v.voidReason }),
            },
          };
        }
        if (!isUnreachable(answer.error.code)) return { ok: false, error: { code: answer.error.code, message: answer.error.message } };
        lastError = answer.error.code;
        setMode('offline');
      }
      return offlineScan(code, direction, nonce);
    },
    tick() {
      const next = round.then(runRound);
      round = next.catch(() => undefined);
      return next;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) deps.timers.clearTimeout(timer);
      await round;
    },
    status,
  };
  return gate;
}
