/**
 * Printing tickets from the screens, one port with two honest paths:
 * - desktop station: main issues the job, prints silently on the security paper and confirms it
 *   (IPC printing.printOrder / printing.reprintTicket); the screen learns the outcome;
 * - browser: the server issues the job (blank numbers, barcodes) and renders its ticket sheet as PDF;
 *   the clerk prints that PDF and then says "printed" or "spoiled". Only that confirmation makes the
 *   tickets count as printed (UX.md 8) — producing the PDF does not.
 */
import type { PrintJobView, ReprintReason, SpoilReason } from '../../../shared/api/printing.js';
import { PrintJobView as PrintJobViewSchema } from '../../../shared/api/printing.js';
import type { ApiError, ApiResult } from '../../../shared/api-client/errors.js';
import type { BoxofficeApi } from '../../app/bridge.js';
import type { Backend } from '../../lib/backend.js';
import type { CodedError } from '../../lib/error-messages.js';

export type PrintOutcome =
  | { readonly kind: 'printed'; readonly blankNumbers: readonly number[] }
  /** Browser: the sheet is ready as a PDF; the tickets count once the clerk confirms. */
  | { readonly kind: 'confirm'; readonly job: PrintJobView; readonly document: Blob }
  | { readonly kind: 'failed'; readonly error: CodedError };

export interface TicketPrinter {
  /** true at the station (silent print, confirmed by main); false in the browser. */
  readonly confirmsItself: boolean;
  printOrder(orderId: string): Promise<PrintOutcome>;
  reprintTicket(ticketId: string, reason: ReprintReason, note?: string): Promise<PrintOutcome>;
  confirm(job: PrintJobView): Promise<ApiResult<PrintJobView>>;
  spoil(job: PrintJobView, reason: SpoilReason): Promise<ApiResult<PrintJobView>>;
}

function asCoded(error: ApiError | { code: string; reason?: string }): CodedError {
  return { code: error.code, ...(error.reason === undefined ? {} : { reason: error.reason }) };
}

/** The PDF of a print job's ticket sheet (GET /api/v1/print-jobs/:id/sheet.pdf). */
export function sheetPath(printJobId: string): string {
  return `/api/v1/print-jobs/${printJobId}/sheet.pdf`;
}

export function createWebTicketPrinter(backend: Backend): TicketPrinter {
  const withDocument = async (issued: ApiResult<PrintJobView>): Promise<PrintOutcome> => {
    if (!issued.ok) return { kind: 'failed', error: asCoded(issued.error) };
    if (backend.fetchDocument === undefined) return { kind: 'failed', error: { code: 'PRINT_BACKEND_UNAVAILABLE' } };
    const document = await backend.fetchDocument(sheetPath(issued.value.id));
    // The job stays pending on the server: the print-queue screen can fetch the sheet again or spoil it.
    if (!document.ok) return { kind: 'failed', error: asCoded(document.error) };
    return { kind: 'confirm', job: issued.value, document: document.value };
  };
  return {
    confirmsItself: false,
    printOrder: async (orderId) =>
      withDocument(await backend.request({ method: 'POST', path: `/api/v1/orders/${orderId}/print-jobs`, body: {}, response: PrintJobViewSchema, idempotent: true })),
    reprintTicket: async (ticketId, reason, note) =>
      withDocument(
        await backend.request({
          method: 'POST',
          path: `/api/v1/tickets/${ticketId}/reprint`,
          body: note === undefined ? { reason } : { reason, note },
          response: PrintJobViewSchema,
          idempotent: true,
        }),
      ),
    confirm: (job) => backend.request({ method: 'POST', path: `/api/v1/print-jobs/${job.id}/confirm`, body: {}, response: PrintJobViewSchema }),
    spoil: (job, reason) =>
      backend.request({
        method: 'POST',
        path: `/api/v1/print-jobs/${job.id}/spoil`,
        body: { blankNumbers: job.prints.map((print) => print.blankNumber), reason },
        response: PrintJobViewSchema,
      }),
  };
}

type BridgePrintOutcome = Awaited<ReturnType<BoxofficeApi['printing']['printOrder']>>;

function fromStation(result: BridgePrintOutcome): PrintOutcome {
  if (!result.ok) return { kind: 'failed', error: asCoded(result.error) };
  const { report } = result.value;
  if (!report.ok) return { kind: 'failed', error: { code: report.error?.code ?? 'PRINT_FAILED' } };
  return { kind: 'printed', blankNumbers: report.blanks.filter((blank) => blank.outcome === 'printed').map((blank) => blank.blankNumber) };
}

const STATION_CONFIRMS: ApiResult<never> = { ok: false, error: { code: 'PRINT_JOB_UNKNOWN', status: undefined, message: 'the station confirms its own jobs' } };

export function createStationTicketPrinter(bridge: BoxofficeApi): TicketPrinter {
  return {
    confirmsItself: true,
    printOrder: async (orderId) => fromStation(await bridge.printing.printOrder({ orderId })),
    reprintTicket: async (ticketId, reason, note) => fromStation(await bridge.printing.reprintTicket(note === undefined ? { ticketId, reason } : { ticketId, reason, note })),
    // Failed station jobs are retried or spoiled on the printing screen (IPC retryJob / spoilJob).
    confirm: async () => STATION_CONFIRMS,
    spoil: async () => STATION_CONFIRMS,
  };
}

export function createTicketPrinter(backend: Backend, bridge: BoxofficeApi | undefined): TicketPrinter {
  return bridge === undefined ? createWebTicketPrinter(backend) : createStationTicketPrinter(bridge);
}
