/**
 * The server side of a print job as the station's print service needs it: issue a job (blank numbers
 * and fresh barcodes assigned by the server), confirm what the printer accepted, spoil what failed.
 * Implemented over HTTPS by the backend client once the server's print-job routes exist; tests use an
 * in-memory server.
 */
import type { ApiResult } from '../../shared/api-client/errors.js';
import type { StartPosition } from '../../shared/ticket-sheet/layout.js';
import type { TicketFace } from '../../shared/ticket-sheet/ticket-face.js';

export interface IssuedPrintJob {
  readonly id: string;
  /** Slot of the first blank on its sheet (2 or 3 when a partly used sheet is fed again). */
  readonly startPosition: StartPosition;
  /** In blank order. */
  readonly tickets: readonly TicketFace[];
}

/** Why a ticket is printed again (the server's reasons; `other` needs a note). */
export type ReprintReason = 'damaged' | 'lost' | 'printer_fault' | 'other';

/** Why blanks are reported spoiled (the server's reasons). */
export type SpoilReason = 'paper_jam' | 'misprint' | 'printer_error' | 'not_printed' | 'other';

export interface PrintJobBackend {
  /** Issues a job for the order's unprinted tickets, or the given ones; retried with the same idempotency key. */
  issue(orderId: string, ticketIds?: readonly string[]): Promise<ApiResult<IssuedPrintJob>>;
  /** Voids the ticket's active print (its barcode stops admitting) and issues a job with a new barcode on the next blank. */
  reprint(ticketId: string, reason: ReprintReason, note?: string): Promise<ApiResult<IssuedPrintJob>>;
  confirm(jobId: string, blankNumbers: readonly number[]): Promise<ApiResult<unknown>>;
  spoil(jobId: string, blankNumbers: readonly number[], reason: SpoilReason, note?: string): Promise<ApiResult<unknown>>;
}
