/**
 * Offline entry at one gate: verdict from the scan list and the station's own check-ins, journalled
 * durably before it is returned; upload of the journal in order once the server is reachable.
 *
 * Scans are handled one at a time (a second scanner on the same station waits a millisecond): the
 * verdict of a scan depends on the scans before it, and the journal keeps their order.
 */
import { randomBytes } from 'node:crypto';
import type { Verdict } from '../../../shared/api/entry.js';
import { isValidBarcode } from '../../../shared/barcode.js';
import type { Clock } from '../../ports/clock.js';
import { decideOffline, ownKey, recordOwnScan, type OwnAdmission } from './offline-verdict.js';
import { DuplicateNonceError, type Direction, type JournalScan, type ScanJournal } from './scan-journal.js';
import type { ScanListStore } from './scan-list-store.js';

/** The server's limit for a scanned code (CheckInRequest.code). */
const MAX_CODE_LENGTH = 200;

export const OfflineEntryErrorCode = {
  /** No scan list on this station: offline entry is impossible until one is downloaded. */
  noScanList: 'SCAN_LIST_MISSING',
  /** The journal could not be written: no verdict may be shown (the scan would not be kept). */
  journalFailed: 'JOURNAL_FAILED',
  /** An empty scan. */
  emptyCode: 'CODE_EMPTY',
} as const;
export type OfflineEntryErrorCode = (typeof OfflineEntryErrorCode)[keyof typeof OfflineEntryErrorCode];

export interface OfflineScanVerdict {
  readonly seq: number;
  readonly nonce: string;
  readonly verdict: Verdict;
  readonly ok: boolean;
  readonly scannedAt: string;
  readonly admittedAt?: string;
  readonly admittedGate?: string;
  /** How old the list was that decided (ms since its last sync), for the display. */
  readonly listAgeMs: number;
}

export interface OfflineEntryError {
  readonly code: OfflineEntryErrorCode;
  readonly message: string;
}
export type OfflineScanResult = { readonly ok: true; readonly value: OfflineScanVerdict } | { readonly ok: false; readonly error: OfflineEntryError };
export type RecordResult = { readonly ok: true } | { readonly ok: false; readonly error: OfflineEntryError };

/** Sends one batch of scans of one entry list (in order, with their nonces); ok when the server has all of them. */
export type UploadBatch = (listId: string, scans: readonly JournalScan[]) => Promise<{ readonly ok: true } | { readonly ok: false; readonly code: string }>;

export interface OfflineEntry {
  /**
   * Decides offline and journals the scan. `nonce`: the nonce of an online attempt that failed in
   * transit, so that the server counts the scan once if that attempt did reach it after all.
   */
  scan(code: string, direction?: Direction, nonce?: string): Promise<OfflineScanResult>;
  /**
   * Uploads everything pending, batch by batch in journal order (a batch holds scans of one entry list;
   * at most 500, the server's limit); stops at the first failed batch.
   */
  uploadPending(upload: UploadBatch, batchSize?: number): Promise<{ readonly uploaded: number; readonly pending: number; readonly error?: string }>;
  /**
   * Records a verdict the server gave this gate online (admitted, checked out, …), by keyed hash only, so
   * that the gate still knows whom it let in when it goes offline. Use the nonce of the online request.
   */
  recordOnline(scan: { readonly code: string; readonly nonce: string; readonly direction: Direction; readonly verdict: Verdict; readonly scannedAt: string }): Promise<RecordResult>;
  ownAdmission(listId: string, hash: string): OwnAdmission | undefined;
}

/** 16 random bytes as base64url (22 characters), inside the server's nonce pattern. */
export const randomNonce = (): string => randomBytes(16).toString('base64url');

export function createOfflineEntry(deps: {
  readonly scanList: ScanListStore;
  readonly journal: ScanJournal;
  readonly clock: Clock;
  readonly gate: string;
  readonly newNonce?: () => string;
}): OfflineEntry {
  const newNonce = deps.newNonce ?? randomNonce;
  const admissions = new Map<string, OwnAdmission>();
  for (const scan of deps.journal.scans()) recordOwnScan(admissions, scan);
  let queue: Promise<unknown> = Promise.resolve();

  async function scanNow(code: string, direction: Direction, nonce: string | undefined): Promise<OfflineScanResult> {
    const list = deps.scanList.current();
    if (list === undefined) return { ok: false, error: { code: OfflineEntryErrorCode.noScanList, message: 'no scan list on this station' } };
    if (code.length === 0) return { ok: false, error: { code: OfflineEntryErrorCode.emptyCode, message: 'empty scan' } };
    const now = deps.clock.now();
    const decided = decideOffline({ code, direction, now }, list, (hash) => admissions.get(ownKey(list.listId, hash)));
    let stored: JournalScan;
    try {
      stored = await deps.journal.append({
        nonce: nonce ?? newNonce(),
        listId: list.listId,
        gate: deps.gate,
        direction,
        scannedAt: now.toISOString(),
        verdict: decided.verdict,
        hash: decided.hash,
        code: code.slice(0, MAX_CODE_LENGTH),
      });
    } catch (error) {
      return { ok: false, error: { code: OfflineEntryErrorCode.journalFailed, message: (error as Error).message } };
    }
    recordOwnScan(admissions, stored);
    return {
      ok: true,
      value: {
        seq: stored.seq,
        nonce: stored.nonce,
        verdict: decided.verdict,
        ok: decided.ok,
        scannedAt: stored.scannedAt,
        ...(decided.admittedAt === undefined ? {} : { admittedAt: decided.admittedAt, admittedGate: decided.admittedGate as string }),
        listAgeMs: now.getTime() - list.syncedAt.getTime(),
      },
    };
  }

  return {
    scan(code, direction = 'in', nonce) {
      const next = queue.then(() => scanNow(code, direction, nonce));
      queue = next.catch(() => undefined);
      return next;
    },
    async uploadPending(upload, batchSize = 500) {
      let uploaded = 0;
      for (;;) {
        const pending = deps.journal.pendingUpload(batchSize);
        const first = pending[0];
        if (first === undefined) return { uploaded, pending: 0 };
        const otherList = pending.findIndex((s) => s.listId !== first.listId);
        const batch = otherList < 0 ? pending : pending.slice(0, otherList);
        const answer = await upload(first.listId, batch);
        if (!answer.ok) return { uploaded, pending: deps.journal.pendingUpload(Number.MAX_SAFE_INTEGER).length, error: answer.code };
        try {
          await deps.journal.acknowledge((batch.at(-1) as JournalScan).seq);
        } catch {
          // The server has the batch; the journal will not take the acknowledgement (JOURNAL_FAILED).
          // Uploading it again after a restart is harmless: the nonces make it idempotent.
          return { uploaded, pending: deps.journal.pendingUpload(Number.MAX_SAFE_INTEGER).length, error: OfflineEntryErrorCode.journalFailed };
        }
        uploaded += batch.length;
      }
    },
    recordOnline(scan) {
      const next = queue.then(async (): Promise<RecordResult> => {
        const list = deps.scanList.current();
        if (list === undefined) return { ok: false, error: { code: OfflineEntryErrorCode.noScanList, message: 'no scan list on this station' } };
        // Only what changes the offline verdicts is kept: admissions and exits of well-formed codes.
        if ((scan.verdict !== 'admitted' && scan.verdict !== 'checked_out') || !isValidBarcode(scan.code)) return { ok: true };
        try {
          const stored = await deps.journal.appendDecided({ nonce: scan.nonce, listId: list.listId, gate: deps.gate, direction: scan.direction, scannedAt: scan.scannedAt, verdict: scan.verdict, hash: list.hashOf(scan.code) });
          recordOwnScan(admissions, stored);
          return { ok: true };
        } catch (error) {
          // Recorded before (a retried call with the same nonce): nothing more to do.
          if (error instanceof DuplicateNonceError) return { ok: true };
          return { ok: false, error: { code: OfflineEntryErrorCode.journalFailed, message: (error as Error).message } };
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    ownAdmission: (listId, hash) => admissions.get(ownKey(listId, hash)),
  };
}
