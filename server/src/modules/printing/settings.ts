import { randomBytes } from 'node:crypto';
import type { RandomBytes } from '../../../../src/shared/barcode.js';

export interface PrintingSettings {
  /** IANA zone in which ticket faces and the stock report show times (outlets of this network are in Germany). */
  timeZone: string;
  /** A print job neither confirmed nor spoiled after this long is flagged unresolved in the stock report. */
  unresolvedAfterMinutes: number;
  /** Longest wait for a row lock before a print job is refused as busy (the station retries). */
  lockTimeoutMs: number;
  /** Cryptographic random source for barcodes; tests inject a scripted one to provoke collisions. */
  randomBytes: RandomBytes;
}

export const DEFAULT_PRINTING_SETTINGS: PrintingSettings = {
  timeZone: 'Europe/Berlin',
  unresolvedAfterMinutes: 15,
  lockTimeoutMs: 5000,
  randomBytes: (n) => randomBytes(n),
};
