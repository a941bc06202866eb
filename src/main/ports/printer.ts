/**
 * The ticket printer as the print service sees it. Adapters: CUPS (`lp`/`lpstat`, Linux and macOS) and
 * Windows (SumatraPDF for printing, PowerShell's Get-Printer for the queue list), in src/main/adapters.
 * Every failure is one of four codes that the clerk gets a German text for; an adapter never throws.
 */

export const PrinterErrorCode = {
  /** No printer queue of that name on this computer. */
  unknown: 'PRINTER_UNKNOWN',
  /** The queue exists but is paused, disabled, not accepting jobs or the device is unreachable. */
  offline: 'PRINTER_OFFLINE',
  /** The printer reports that the paper tray is empty. */
  paperOut: 'PAPER_OUT',
  /** Anything else: the spooler refused or the print helper failed. */
  failed: 'PRINT_FAILED',
} as const;
export type PrinterErrorCode = (typeof PrinterErrorCode)[keyof typeof PrinterErrorCode];

export interface PrinterError {
  readonly code: PrinterErrorCode;
  /** Technical English for the log; the clerk sees the code's text. */
  readonly message: string;
  /**
   * The print helper failed after it had started sending, so some blanks may carry print: the job must
   * not be sent again on the same blanks; the clerk checks the paper and spoils them.
   */
  readonly mayHavePrinted?: true;
}

export type PrinterState = 'idle' | 'printing' | 'offline' | 'paper-out' | 'unknown';

export interface PrinterInfo {
  readonly name: string;
  readonly state: PrinterState;
  readonly isDefault: boolean;
  /** The spooler's own words (state reasons, message), for the log and the settings screen. */
  readonly detail?: string;
}

export type PrinterResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PrinterError };

export interface PrintRequest {
  /** Name of the operating-system queue. */
  readonly printer: string;
  readonly pdf: Uint8Array;
  /** Shown in the spooler's queue; no personal data. */
  readonly title: string;
  /** The caller has just asked for the printer's state itself (while rendering); the adapter skips its own check. */
  readonly stateChecked?: boolean;
}

export interface PrintAccepted {
  /** The spooler's job id (CUPS: `PDF-12`); null where the print helper gives none (SumatraPDF). */
  readonly jobId: string | null;
}

export interface Printer {
  list(): Promise<PrinterResult<PrinterInfo[]>>;
  /** PRINTER_UNKNOWN when there is no such queue. */
  status(name: string): Promise<PrinterResult<PrinterInfo>>;
  /**
   * Hands an A4 PDF to the queue at 100 % (no scaling, no fit to page). Refuses before sending when
   * the printer is known to be offline or out of paper (unless the caller checked: `stateChecked`), so
   * no blank is spent on a job that cannot print. Success means the spooler has accepted the whole job.
   */
  print(request: PrintRequest): Promise<PrinterResult<PrintAccepted>>;
}

export const printerFail = (code: PrinterErrorCode, message: string): { ok: false; error: PrinterError } => ({ ok: false, error: { code, message: message.slice(0, 500) } });

/** Maps a known-bad state to the error a print attempt gets; undefined for states that can print. */
export function stateError(info: PrinterInfo): PrinterError | undefined {
  switch (info.state) {
    case 'offline':
      return { code: PrinterErrorCode.offline, message: `printer ${info.name} is offline${info.detail === undefined ? '' : `: ${info.detail}`}` };
    case 'paper-out':
      return { code: PrinterErrorCode.paperOut, message: `printer ${info.name} is out of paper${info.detail === undefined ? '' : `: ${info.detail}`}` };
    case 'idle':
    case 'printing':
    case 'unknown':
      return undefined;
  }
}
