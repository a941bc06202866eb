/**
 * Entry mode of the station: binds it to one entry list and gate name, keeps the scan list and the
 * durable journal under the station's data directory, and runs the gate (online first, offline when the
 * server is away, back by itself). One journal per station, whatever list it serves, so that a change of
 * list never strands offline scans: they carry their list and are uploaded in order.
 */
import path from 'node:path';
import { Type } from 'typebox';
import type { ApiResult } from '../../shared/api-client/errors.js';
import type { HttpClient } from '../../shared/api-client/http-client.js';
import { EntryListView } from '../../shared/api/entry.js';
import type { GateStatusView, GateVerdictView } from '../../shared/ipc/entry.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { Timers } from '../ports/timers.js';
import type { UiEvents } from '../ports/ui-events.js';
import { createEntryGate, type EntryGate, type GateStatus } from './entry/entry-gate.js';
import { createHttpEntrySyncBackend } from './entry/entry-sync-http.js';
import { createOfflineEntry } from './entry/offline-entry.js';
import { openScanJournal, type ScanJournal } from './entry/scan-journal.js';
import { openScanListStore, type ScanListStore } from './entry/scan-list-store.js';
import type { Direction } from './entry/scan-journal.js';

export type EntryResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

export interface StationEntry {
  lists(eventId?: string): Promise<ApiResult<EntryListView[]>>;
  open(entryListId: string, gate: string): Promise<EntryResult<GateStatusView>>;
  scan(code: string, direction?: Direction): Promise<EntryResult<GateVerdictView>>;
  status(): GateStatusView;
  close(): Promise<GateStatusView>;
  /** Quit: a last upload attempt (bounded by the caller), then the files are closed. */
  shutdown(): Promise<void>;
}

interface OpenGate {
  view: EntryListView;
  gate: string;
  entry: EntryGate;
  scanList: ScanListStore;
}

const notOpen = { code: 'ENTRY_NOT_OPEN', message: 'no entry list opened at this station' } as const;

export function createStationEntry(deps: {
  /** The logged-in backend's HTTP client, or undefined before setup/login. */
  readonly http: () => HttpClient | undefined;
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly events: UiEvents;
  readonly log: Logger;
  readonly syncEveryMs?: number;
}): StationEntry {
  let journal: ScanJournal | undefined;
  let current: OpenGate | undefined;

  const view = (status: GateStatus | undefined): GateStatusView => ({
    entryListId: current?.view.id ?? null,
    gate: current?.gate ?? null,
    mode: status?.mode ?? 'online',
    listAgeMs: status?.listAgeMs === null || status?.listAgeMs === undefined ? null : Math.max(0, Math.round(status.listAgeMs)),
    pendingUploads: status?.pendingUploads ?? (journal?.pendingUpload(Number.MAX_SAFE_INTEGER).length ?? 0),
    lastError: status?.lastError ?? null,
  });

  async function openJournal(): Promise<ScanJournal> {
    journal ??= await openScanJournal({ dir: path.join(deps.dataDir, 'entry', 'journal') });
    return journal;
  }

  async function closeGate(): Promise<void> {
    const open = current;
    if (open === undefined) return;
    await open.entry.stop();
    await open.scanList.close();
    current = undefined;
  }

  return {
    async lists(eventId) {
      const http = deps.http();
      if (http === undefined) return { ok: false, error: { code: 'SESSION_REQUIRED', status: undefined, message: 'not logged in' } };
      return http.request({ method: 'GET', path: '/api/v1/entry-lists', query: { eventId }, response: Type.Array(EntryListView), auth: 'session' });
    },

    async open(entryListId, gate) {
      const http = deps.http();
      if (http === undefined) return { ok: false, error: { code: 'ENTRY_NOT_AVAILABLE', message: 'log in first' } };
      const lists = await this.lists();
      if (!lists.ok) return { ok: false, error: { code: lists.error.code, message: lists.error.message } };
      const found = lists.value.find((l) => l.id === entryListId);
      if (found === undefined) return { ok: false, error: { code: 'NOT_FOUND', message: 'entry list not found' } };
      await closeGate();
      const journalNow = await openJournal();
      const scanList = await openScanListStore({ dir: path.join(deps.dataDir, 'entry', `list-${found.id}`), secrets: deps.secrets, clock: deps.clock });
      const sync = createHttpEntrySyncBackend(http);
      const offline = createOfflineEntry({ scanList, journal: journalNow, clock: deps.clock, gate });
      const entry = createEntryGate({
        view: found,
        gate,
        online: sync,
        sync,
        offline,
        scanList,
        pendingUploads: () => journalNow.pendingUpload(Number.MAX_SAFE_INTEGER).length,
        clock: deps.clock,
        timers: deps.timers,
        onStatus: (s) => deps.events.emit('entryStatus', view(s)),
        ...(deps.syncEveryMs === undefined ? {} : { syncEveryMs: deps.syncEveryMs }),
      });
      current = { view: found, gate, entry, scanList };
      await entry.tick();
      entry.start();
      deps.log.info('entry gate opened', { entryListId: found.id, gate });
      return { ok: true, value: view(entry.status()) };
    },

    async scan(code, direction = 'in') {
      const open = current;
      if (open === undefined) return { ok: false, error: notOpen };
      const decided = await open.entry.scan(code, direction);
      if (!decided.ok) return decided;
      const v = decided.value;
      return {
        ok: true,
        value: {
          mode: v.mode,
          verdict: v.verdict,
          ok: v.ok,
          scannedAt: v.scannedAt,
          ...(v.admittedAt === undefined ? {} : { admittedAt: v.admittedAt }),
          ...(v.admittedGate === undefined ? {} : { admittedGate: v.admittedGate }),
          ...(v.admittedDevice === undefined ? {} : { admittedDevice: v.admittedDevice }),
          ...(v.voidReason === undefined ? {} : { voidReason: v.voidReason }),
          ...(v.listAgeMs === undefined ? {} : { listAgeMs: Math.max(0, Math.round(v.listAgeMs)) }),
        },
      };
    },

    status() {
      return view(current?.entry.status());
    },

    async close() {
      const open = current;
      if (open !== undefined) await open.entry.tick();
      const last = open?.entry.status();
      await closeGate();
      return { ...view(last), entryListId: null, gate: null };
    },

    async shutdown() {
      const open = current;
      if (open !== undefined) {
        await open.entry.tick().catch((error: unknown) => deps.log.warn('entry: last upload failed', { error: String(error) }));
      }
      await closeGate();
      await journal?.close();
      journal = undefined;
    },
  };
}
