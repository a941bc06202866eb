/**
 * The offline store's link to the server's entry routes (server/src/modules/entry/routes.ts): the scan
 * list download (in full, or what changed since the station's cursor) and the upload of the journal's
 * offline scans. Mapping notes:
 *
 * - The server's list has three kinds of entries, `valid`, `cancelled` and `invalid` (voided by reprint or
 *   spoiled, or unpaid); all are upserts, repeated entries in the overlap of two downloads are harmless.
 *   `invalid` is kept as 'voided' (offline an unpaid ticket is refused as voided, "Ungültig"); the upload
 *   gives the server the chance to record the exact reason.
 * - The list's re-entry option and validity come from the entry list itself (EntryListView); when they
 *   change, the list is downloaded in full.
 */
import type { ApiResult } from '../../../shared/api-client/errors.js';
import type { HttpClient } from '../../../shared/api-client/http-client.js';
import { CheckInVerdict, OfflineScansResult, ScanList, type CheckInRequest, type EntryListView, type OfflineScan } from '../../../shared/api/entry.js';
import type { UploadBatch } from './offline-entry.js';
import type { JournalScan } from './scan-journal.js';
import type { ScanListChanges, ScanListSnapshot, ScanListStore } from './scan-list-store.js';

export interface EntrySyncBackend {
  /** Online check-in: one attempt (the gate falls back to offline with the same nonce instead of retrying). */
  checkIn(request: CheckInRequest): Promise<ApiResult<CheckInVerdict>>;
  scanList(entryListId: string, since?: string): Promise<ApiResult<ScanList>>;
  uploadOfflineScans(entryListId: string, scans: readonly OfflineScan[]): Promise<ApiResult<OfflineScansResult>>;
}

const segment = (id: string): string => encodeURIComponent(id);

export function createHttpEntrySyncBackend(http: HttpClient): EntrySyncBackend {
  return {
    checkIn: (request) => http.request({ method: 'POST', path: '/api/v1/check-ins', body: request, response: CheckInVerdict, auth: 'session', attempts: 1 }),
    scanList: (entryListId, since) =>
      http.request({ method: 'GET', path: `/api/v1/entry-lists/${segment(entryListId)}/scan-list`, query: { since }, response: ScanList, auth: 'session' }),
    uploadOfflineScans: (entryListId, scans) =>
      http.request({
        method: 'POST',
        path: `/api/v1/entry-lists/${segment(entryListId)}/offline-scans`,
        body: { scans: [...scans] },
        response: OfflineScansResult,
        auth: 'session',
        // The nonces make the upload idempotent on the server; the key lets the client retry it.
        idempotencyKey: `offline-${scans[0]?.nonce ?? 'empty'}`,
      }),
  };
}

export function snapshotFromApi(list: ScanList, view: EntryListView): ScanListSnapshot {
  return {
    listId: list.entryListId,
    cursor: list.cursor,
    key: Buffer.from(list.key, 'base64'),
    allowReentry: view.allowReentry,
    validFrom: view.validFrom,
    validUntil: view.validUntil,
    valid: list.valid,
    voided: list.invalid,
    cancelled: list.cancelled,
  };
}

export function changesFromApi(list: ScanList, fromCursor: string): ScanListChanges {
  return {
    listId: list.entryListId,
    fromCursor,
    toCursor: list.cursor,
    changes: [
      ...list.valid.map((hash) => ({ hash, state: 'valid' as const })),
      ...list.invalid.map((hash) => ({ hash, state: 'voided' as const })),
      ...list.cancelled.map((hash) => ({ hash, state: 'cancelled' as const })),
    ],
  };
}

export type SyncResult = { readonly ok: true; readonly full: boolean; readonly entries: number } | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Brings the station's scan list for `view` up to date: incremental from the cursor it holds, in full
 * when it holds none, another list, or other list settings.
 */
export async function syncScanList(store: ScanListStore, backend: EntrySyncBackend, view: EntryListView): Promise<SyncResult> {
  const held = store.current();
  const sameSettings =
    held !== undefined &&
    held.listId === view.id &&
    held.allowReentry === view.allowReentry &&
    (held.validFrom?.toISOString() ?? null) === (view.validFrom === null ? null : new Date(view.validFrom).toISOString()) &&
    (held.validUntil?.toISOString() ?? null) === (view.validUntil === null ? null : new Date(view.validUntil).toISOString());
  const answer = await backend.scanList(view.id, sameSettings ? held.cursor : undefined);
  if (!answer.ok) return { ok: false, code: answer.error.code, message: answer.error.message };
  const list = answer.value;
  if (list.entryListId !== view.id) return { ok: false, code: 'SCAN_LIST_OTHER_LIST', message: `asked for ${view.id}, got ${list.entryListId}` };
  const entries = list.valid.length + list.invalid.length + list.cancelled.length;
  const stored = sameSettings && !list.full ? await store.applyChanges(changesFromApi(list, held.cursor)) : await store.replace(snapshotFromApi(list, view));
  return stored.ok ? { ok: true, full: !(sameSettings && !list.full), entries } : { ok: false, code: stored.code, message: stored.message };
}

export function toOfflineScan(scan: JournalScan): OfflineScan {
  if (scan.code === undefined) throw new Error(`scan ${scan.seq} has no code left to upload`);
  return { nonce: scan.nonce, code: scan.code, gate: scan.gate, direction: scan.direction, scannedAt: scan.scannedAt, shownVerdict: scan.verdict };
}

/** The journal's upload through the server: done when the server answers for every nonce of the batch. */
export function uploadThrough(backend: EntrySyncBackend): UploadBatch {
  return async (listId, scans) => {
    const answer = await backend.uploadOfflineScans(listId, scans.map(toOfflineScan));
    if (!answer.ok) return { ok: false, code: answer.error.code };
    const answered = new Set(answer.value.results.map((r) => r.nonce));
    return scans.every((s) => answered.has(s.nonce)) ? { ok: true } : { ok: false, code: 'UPLOAD_INCOMPLETE' };
  };
}
