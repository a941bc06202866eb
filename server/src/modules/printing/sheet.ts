/**
 * The browser's print path: the ticket sheet of a print job as PDF, rendered by the same code the
 * station prints with (src/sheet-render). Only the job's pending prints are rendered, and only for the
 * workstation the job was issued to: once the clerk has confirmed (or spoiled) the blanks, the sheet is
 * gone, so a download cannot become a second copy of a live barcode. Rendering is no state change; the
 * print is recorded (and audited) when the job is issued and when it is confirmed or spoiled.
 */
import type { PrintJobView } from '../../../../src/shared/api/printing.js';
import { NO_CALIBRATION, slotOfBlank } from '../../../../src/shared/ticket-sheet/layout.js';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR, type TicketSheetRenderer } from '../../../../src/sheet-render/ticket-sheet-pdf.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../identity/users-service.js';

export const SheetErrorCode = {
  /** The job was issued at another workstation: its paper is in that printer. */
  otherWorkstation: 'PRINT_JOB_OTHER_WORKSTATION',
  /** No blank of the job is waiting for its print any more. */
  nothingPending: 'PRINT_ALREADY_CONFIRMED',
  /** Some blanks of the job were spoiled in between: the rest is not one run of paper. */
  notConsecutive: 'BLANK_SEQUENCE_INVALID',
  fontMissing: 'PRINT_FONT_MISSING',
} as const;

export interface SheetRenderer {
  render(actor: Actor, job: PrintJobView): Promise<Buffer>;
}

/** The sheet font is looked up on first use; a server without it answers 503 PRINT_FONT_MISSING. */
export function createSheetRenderer(fontDirs: readonly string[] = [SYSTEM_FONT_DIR], now: () => Date = () => new Date()): SheetRenderer {
  let renderer: TicketSheetRenderer | undefined;
  const sheetRenderer = (): TicketSheetRenderer => {
    if (renderer !== undefined) return renderer;
    try {
      renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir(fontDirs) });
      return renderer;
    } catch (error) {
      throw new AppError(503, SheetErrorCode.fontMissing, `The ticket font is not installed on the server (${String(error)}).`);
    }
  };
  return {
    async render(actor, job) {
      if (job.workstationId !== actor.workstation.id) throw new AppError(403, SheetErrorCode.otherWorkstation, 'This print job belongs to another workstation; its blanks are in that printer.');
      const pending = new Set(job.prints.filter((print) => print.status === 'pending').map((print) => print.printId));
      const faces = job.tickets.filter((face) => pending.has(face.printId));
      const first = faces[0];
      if (first === undefined) throw new AppError(409, SheetErrorCode.nothingPending, 'No blank of this print job is waiting to be printed.');
      if (faces.some((face, index) => face.blankNumber !== first.blankNumber + index)) {
        throw new AppError(409, SheetErrorCode.notConsecutive, 'Blanks of this job were spoiled in between; spoil the rest and print again.');
      }
      // The browser knows no printer offsets: the sheet is drawn uncalibrated (the station applies its own).
      return sheetRenderer().renderTickets({ faces, calibration: NO_CALIBRATION, startPosition: slotOfBlank(first.blankNumber) }, { creationDate: now() });
    },
  };
}
