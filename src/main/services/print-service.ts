/**
 * The station's print path, plain Node behind ports: a print job (ticket faces with their blank
 * numbers, the calibration, the start position) is rendered to the A4 sheet PDF and handed to the
 * printer; the answer says for every blank whether it was printed, so the caller can confirm or spoil
 * it with the server. With a backend (`printOrder`) the whole round trip runs here: issue → render →
 * print → confirm, or keep the job for a retry on the same blanks or for spoiling them.
 *
 * Nothing is lost: a job stays in `unresolved()` until the server has heard whether its blanks were
 * printed or spoiled. A crash before that leaves the server's prints pending (the server flags them in
 * the stock report), never silently active.
 */
import type { ApiError } from '../../shared/api-client/errors.js';
import { SheetPlanError, type Calibration, type StartPosition } from '../../shared/ticket-sheet/layout.js';
import type { TicketFace } from '../../shared/ticket-sheet/ticket-face.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { IssuedPrintJob, PrintJobBackend, ReprintReason, SpoilReason } from '../ports/print-jobs.js';
import { PrinterErrorCode, stateError, type Printer, type PrinterErrorCode as PrinterCode, type PrinterInfo, type PrinterResult } from '../ports/printer.js';

/** What renders the sheets (src/main/printing/ticket-sheet-pdf.ts). */
export interface SheetRenderer {
  renderTickets(job: { faces: readonly TicketFace[]; calibration: Calibration; startPosition: StartPosition }, options?: { creationDate?: Date }): Promise<Buffer>;
}

export interface PrinterSetup {
  /** The workstation's printer queue; null until one is chosen in the settings. */
  readonly printerName: string | null;
  readonly calibration: Calibration;
}

/** Codes of the print path besides the printer's own (ports/printer.ts). */
export const PrintServiceErrorCode = {
  printerNotConfigured: 'PRINTER_NOT_CONFIGURED',
  /** The blank numbers of the job do not fit the paper (not consecutive, or the start position differs). */
  blankSequenceInvalid: 'BLANK_SEQUENCE_INVALID',
  startPositionMismatch: 'START_POSITION_MISMATCH',
  /** The PDF could not be made (font missing, bad barcode); nothing reached the printer. */
  renderFailed: 'PRINT_RENDER_FAILED',
  /** The ticket font is not installed (src/main/printing/ticket-sheet-pdf.ts). */
  fontMissing: 'PRINT_FONT_MISSING',
  jobUnknown: 'PRINT_JOB_UNKNOWN',
} as const;

export type BlankOutcome = 'printed' | 'not-printed';

export interface BlankReport {
  readonly blankNumber: number;
  readonly printId: string;
  readonly ticketId: string;
  readonly outcome: BlankOutcome;
}

export interface PrintReport {
  readonly jobId: string;
  readonly ok: boolean;
  /** Spooler job id when the printer accepted the job (null where the print helper gives none). */
  readonly spoolerJobId: string | null;
  readonly blanks: readonly BlankReport[];
  /** With ok=false: why, as a code the clerk gets a text for. */
  readonly error?: { readonly code: string; readonly message: string };
  /**
   * With ok=false: the same job can be sent again on the same blanks (nothing reached the paper, and
   * the cause may pass: printer offline, paper out). Otherwise the blanks must be spoiled.
   */
  readonly retryable: boolean;
}

export interface PrintJobInput {
  readonly jobId: string;
  readonly startPosition: StartPosition;
  readonly tickets: readonly TicketFace[];
}

/** Printer failures that leave the paper untouched and may pass by themselves or by the clerk's hand. */
const RETRYABLE: ReadonlySet<string> = new Set<PrinterCode>([PrinterErrorCode.offline, PrinterErrorCode.paperOut, PrinterErrorCode.unknown, PrinterErrorCode.failed]);

export type UnresolvedState =
  /** The printer did not take the job; retry or spoil. */
  | 'failed'
  /** Printed, but the server has not heard it yet (network); `resolvePending` confirms again. */
  | 'printed-unconfirmed'
  /** The clerk gave the job up, but the server has not heard of the spoiled blanks yet. */
  | 'spoil-unreported';

export interface UnresolvedJob {
  readonly job: PrintJobInput;
  readonly state: UnresolvedState;
  readonly report: PrintReport;
  readonly spoilReason?: SpoilReason;
}

export type OrderPrintResult =
  | { readonly ok: true; readonly report: PrintReport; readonly confirmed: boolean }
  | { readonly ok: false; readonly stage: 'issue'; readonly error: ApiError }
  | { readonly ok: false; readonly stage: 'print'; readonly report: PrintReport };

export interface PrintServiceDeps {
  readonly printer: Printer;
  readonly renderer: SheetRenderer;
  readonly clock: Clock;
  readonly log: Logger;
  /** The server's print-job API; without it only `printJob` (render and print) is available. */
  readonly backend?: PrintJobBackend;
}

export interface PrintService {
  /** Renders and prints one job; reports per blank. Does not talk to the server. */
  printJob(job: PrintJobInput, setup: PrinterSetup): Promise<PrintReport>;
  /** Issue → render → print → confirm with the server. */
  printOrder(orderId: string, setup: PrinterSetup, ticketIds?: readonly string[]): Promise<OrderPrintResult>;
  /** Reprint of one ticket: the server voids its barcode and issues a new one on the next blank; then as printOrder. */
  reprintTicket(ticketId: string, reason: ReprintReason, setup: PrinterSetup, note?: string): Promise<OrderPrintResult>;
  /** Sends a failed job again, on the same blanks. */
  retry(jobId: string, setup: PrinterSetup): Promise<OrderPrintResult>;
  /** Gives a failed job up: its blanks are reported spoiled (the server voids the prints; a new job prints on new blanks). */
  spoil(jobId: string, reason: SpoilReason, note?: string): Promise<{ ok: true } | { ok: false; error: ApiError }>;
  /** Reports to the server what it has not heard yet (after a network fault). */
  resolvePending(): Promise<void>;
  unresolved(): UnresolvedJob[];
}

function allBlanks(job: PrintJobInput, outcome: BlankOutcome): BlankReport[] {
  return job.tickets.map((face) => ({ blankNumber: face.blankNumber, printId: face.printId, ticketId: face.ticketId, outcome }));
}

/** The server's answers to a repeated confirm or spoil (src/shared/api/printing.ts). */
const ALREADY_CONFIRMED = 'PRINT_ALREADY_CONFIRMED';
const ALREADY_SPOILED = 'PRINT_ALREADY_SPOILED';

const noBackend: ApiError = { code: 'PRINT_BACKEND_UNAVAILABLE', status: undefined, message: 'this station has no print-job backend' };
/** Refused before the server issues anything: a job without a printer would only leave pending blanks. */
const noPrinter: ApiError = { code: PrintServiceErrorCode.printerNotConfigured, status: undefined, message: 'no printer chosen for this workstation' };

export function createPrintService(deps: PrintServiceDeps): PrintService {
  const journal = new Map<string, UnresolvedJob>();

  /**
   * `state` is the printer's state, asked for while the job was issued or rendered (lpstat or PowerShell
   * take longer than rendering a sheet); a known offline or paper-less printer gets nothing.
   */
  async function printJob(job: PrintJobInput, setup: PrinterSetup, state?: Promise<PrinterResult<PrinterInfo>>): Promise<PrintReport> {
    const failed = (code: string, message: string, retryable: boolean): PrintReport => ({
      jobId: job.jobId,
      ok: false,
      spoolerJobId: null,
      blanks: allBlanks(job, 'not-printed'),
      error: { code, message: message.slice(0, 500) },
      retryable,
    });
    if (setup.printerName === null) return failed(PrintServiceErrorCode.printerNotConfigured, 'no printer chosen for this workstation', true);
    const printerState = state ?? deps.printer.status(setup.printerName);
    let pdf: Buffer;
    try {
      pdf = await deps.renderer.renderTickets({ faces: job.tickets, calibration: setup.calibration, startPosition: job.startPosition }, { creationDate: deps.clock.now() });
    } catch (error) {
      if (error instanceof SheetPlanError) {
        const code = error.code === 'START_POSITION_MISMATCH' ? PrintServiceErrorCode.startPositionMismatch : PrintServiceErrorCode.blankSequenceInvalid;
        return failed(code, error.message, false);
      }
      deps.log.error('ticket sheet rendering failed', { jobId: job.jobId, error: String(error) });
      // A missing font is an installation problem: the same job prints once it is fixed.
      if ((error as { code?: unknown }).code === PrintServiceErrorCode.fontMissing) return failed(PrintServiceErrorCode.fontMissing, String(error), true);
      return failed(PrintServiceErrorCode.renderFailed, String(error), false);
    }
    const current = await printerState;
    // Without a state (the query itself failed) the adapter checks again and decides.
    const checked = current.ok || current.error.code !== PrinterErrorCode.failed;
    if (!current.ok && checked) return failed(current.error.code, current.error.message, RETRYABLE.has(current.error.code));
    const blocked = current.ok ? stateError(current.value) : undefined;
    if (blocked !== undefined) return failed(blocked.code, blocked.message, true);
    const printed = await deps.printer.print({ printer: setup.printerName, pdf, title: `Tickets ${job.tickets[0]?.orderNumber ?? job.jobId}`, stateChecked: checked });
    if (!printed.ok) {
      deps.log.warn('printer refused the ticket job', { jobId: job.jobId, code: printed.error.code, message: printed.error.message });
      return failed(printed.error.code, printed.error.message, RETRYABLE.has(printed.error.code) && printed.error.mayHavePrinted !== true);
    }
    deps.log.info('ticket job accepted by the printer', { jobId: job.jobId, spoolerJobId: printed.value.jobId, blanks: job.tickets.length });
    return { jobId: job.jobId, ok: true, spoolerJobId: printed.value.jobId, blanks: allBlanks(job, 'printed'), retryable: false };
  }

  async function confirm(entry: { job: PrintJobInput; report: PrintReport }): Promise<boolean> {
    const backend = deps.backend;
    if (backend === undefined) return false;
    const result = await backend.confirm(entry.job.jobId, entry.report.blanks.map((blank) => blank.blankNumber));
    // A repeated confirmation whose first answer was lost finds the job confirmed already.
    if (result.ok || result.error.code === ALREADY_CONFIRMED) {
      journal.delete(entry.job.jobId);
      return true;
    }
    deps.log.warn('print confirmation not delivered; kept for later', { jobId: entry.job.jobId, code: result.error.code });
    journal.set(entry.job.jobId, { job: entry.job, report: entry.report, state: 'printed-unconfirmed' });
    return false;
  }

  async function printAndConfirm(job: PrintJobInput, setup: PrinterSetup, state?: Promise<PrinterResult<PrinterInfo>>): Promise<OrderPrintResult> {
    const report = await printJob(job, setup, state);
    if (!report.ok) {
      journal.set(job.jobId, { job, report, state: 'failed' });
      return { ok: false, stage: 'print', report };
    }
    // Recorded before confirming: if the confirmation is lost, the job must still be known as printed.
    journal.set(job.jobId, { job, report, state: 'printed-unconfirmed' });
    return { ok: true, report, confirmed: await confirm({ job, report }) };
  }

  async function reportSpoiled(entry: UnresolvedJob, reason: SpoilReason, note?: string): Promise<{ ok: true } | { ok: false; error: ApiError }> {
    const backend = deps.backend;
    if (backend === undefined) return { ok: false, error: noBackend };
    const result = await backend.spoil(entry.job.jobId, entry.job.tickets.map((face) => face.blankNumber), reason, note);
    if (!result.ok && result.error.code !== ALREADY_SPOILED) {
      journal.set(entry.job.jobId, { ...entry, state: 'spoil-unreported', spoilReason: reason });
      return { ok: false, error: result.error };
    }
    journal.delete(entry.job.jobId);
    return { ok: true };
  }

  return {
    printJob: (job, setup) => printJob(job, setup),

    async printOrder(orderId, setup, ticketIds) {
      const backend = deps.backend;
      if (backend === undefined) return { ok: false, stage: 'issue', error: noBackend };
      if (setup.printerName === null) return { ok: false, stage: 'issue', error: noPrinter };
      // The printer's state is asked for while the server issues the job.
      const state = deps.printer.status(setup.printerName);
      const issued = await backend.issue(orderId, ticketIds);
      if (!issued.ok) {
        await state;
        return { ok: false, stage: 'issue', error: issued.error };
      }
      const job: IssuedPrintJob = issued.value;
      return printAndConfirm({ jobId: job.id, startPosition: job.startPosition, tickets: job.tickets }, setup, state);
    },

    async reprintTicket(ticketId, reason, setup, note) {
      const backend = deps.backend;
      if (backend === undefined) return { ok: false, stage: 'issue', error: noBackend };
      if (setup.printerName === null) return { ok: false, stage: 'issue', error: noPrinter };
      const state = deps.printer.status(setup.printerName);
      const issued = await backend.reprint(ticketId, reason, note);
      if (!issued.ok) {
        await state;
        return { ok: false, stage: 'issue', error: issued.error };
      }
      return printAndConfirm({ jobId: issued.value.id, startPosition: issued.value.startPosition, tickets: issued.value.tickets }, setup, state);
    },

    async retry(jobId, setup) {
      const entry = journal.get(jobId);
      if (entry === undefined || entry.state !== 'failed') {
        const report: PrintReport = { jobId, ok: false, spoolerJobId: null, blanks: [], error: { code: PrintServiceErrorCode.jobUnknown, message: 'no failed job with this id' }, retryable: false };
        return { ok: false, stage: 'print', report };
      }
      return printAndConfirm(entry.job, setup);
    },

    async spoil(jobId, reason, note) {
      const entry = journal.get(jobId);
      if (entry === undefined || entry.state === 'printed-unconfirmed') {
        return { ok: false, error: { code: PrintServiceErrorCode.jobUnknown, status: undefined, message: 'no failed job with this id' } };
      }
      return reportSpoiled(entry, reason, note);
    },

    async resolvePending() {
      for (const entry of [...journal.values()]) {
        if (entry.state === 'printed-unconfirmed') await confirm(entry);
        else if (entry.state === 'spoil-unreported') await reportSpoiled(entry, entry.spoilReason ?? 'not_printed');
      }
    },

    unresolved: () => [...journal.values()],
  };
}
