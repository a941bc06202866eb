/**
 * The verdict for a scan while the server is out of reach, from the scan list and the station's own
 * check-ins. Same names and order of checks as the server (server/src/modules/entry/service.ts), so the
 * gate shows the same thing online and offline: check digits first (no lookup for a misread), then the
 * list (unknown, cancelled, voided), the list's time window, then admission and exit.
 *
 * What offline cannot know: admissions at other stations since the last sync (the server reconciles
 * them on upload: first scan wins, the later one is reported as a conflict) and tickets of other entry
 * lists or events, which are not on this list and so read as unknown.
 */
import type { Verdict } from '../../../shared/api/entry.js';
import { isValidBarcode } from '../../../shared/barcode.js';
import type { Direction } from './scan-journal.js';
import type { ScanList } from './scan-list-store.js';

/** What this station recorded for one ticket (by keyed hash) on one entry list. */
export interface OwnAdmission {
  readonly firstAdmittedAt: string;
  readonly firstGate: string;
  readonly inside: boolean;
  readonly lastChangeAt: string;
  readonly lastGate: string;
}

export interface OfflineDecision {
  readonly verdict: Verdict;
  /** Green light: admitted or checked out. */
  readonly ok: boolean;
  /** The keyed hash of the code; null when it was not looked up (malformed). */
  readonly hash: string | null;
  /** For already_admitted: when and where (the first admission, or the last one with re-entry). */
  readonly admittedAt?: string;
  readonly admittedGate?: string;
}

const decision = (verdict: Verdict, hash: string | null, extra: Partial<OfflineDecision> = {}): OfflineDecision => ({
  verdict,
  ok: verdict === 'admitted' || verdict === 'checked_out',
  hash,
  ...extra,
});

export function decideOffline(input: { readonly code: string; readonly direction: Direction; readonly now: Date }, list: ScanList, own: (hash: string) => OwnAdmission | undefined): OfflineDecision {
  // Check digits first: a misread never reaches the list.
  if (!isValidBarcode(input.code)) return decision('malformed', null);
  const hash = list.hashOf(input.code);
  const state = list.stateOf(hash);
  if (state === undefined) return decision('unknown', hash);
  if (state === 'cancelled') return decision('cancelled', hash);
  if (state === 'voided') return decision('voided', hash);
  if (list.validFrom !== null && input.now < list.validFrom) return decision('not_yet_valid', hash);
  if (list.validUntil !== null && input.now > list.validUntil) return decision('no_longer_valid', hash);

  const admission = own(hash);
  if (input.direction === 'out') return decision(admission?.inside === true ? 'checked_out' : 'not_inside', hash);
  if (admission === undefined) return decision('admitted', hash);
  // Re-entry: a guest who checked out comes in again; without the option the first admission stands.
  if (!admission.inside && list.allowReentry) return decision('admitted', hash);
  const at = list.allowReentry ? { admittedAt: admission.lastChangeAt, admittedGate: admission.lastGate } : { admittedAt: admission.firstAdmittedAt, admittedGate: admission.firstGate };
  return decision('already_admitted', hash, at);
}

/** Folds one recorded scan into the own-admissions view (only admissions and exits change it). */
export function recordOwnScan(
  admissions: Map<string, OwnAdmission>,
  scan: { readonly listId: string; readonly hash: string | null; readonly verdict: Verdict; readonly scannedAt: string; readonly gate: string },
): void {
  if (scan.hash === null || (scan.verdict !== 'admitted' && scan.verdict !== 'checked_out')) return;
  const key = ownKey(scan.listId, scan.hash);
  const before = admissions.get(key);
  if (scan.verdict === 'admitted') {
    admissions.set(key, {
      firstAdmittedAt: before?.firstAdmittedAt ?? scan.scannedAt,
      firstGate: before?.firstGate ?? scan.gate,
      inside: true,
      lastChangeAt: scan.scannedAt,
      lastGate: scan.gate,
    });
  } else if (before !== undefined) {
    admissions.set(key, { ...before, inside: false, lastChangeAt: scan.scannedAt, lastGate: scan.gate });
  }
}

export const ownKey = (listId: string, hash: string): string => `${listId}\u0000${hash}`;
