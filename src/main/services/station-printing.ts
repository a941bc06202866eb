/**
 * The print path as the station's IPC handlers use it: the print service with the backend of the
 * current setup (which changes when the station is set up again), the workstation's printer settings,
 * and the calibration sheet. The renderer is made on first use, so a station without the ticket font
 * still starts and says PRINT_FONT_MISSING when it prints.
 */
import type { ApiResult } from '../../shared/api-client/errors.js';
import { calibrationFromTenths } from '../../shared/ticket-sheet/layout.js';
import { StationErrorCode } from '../../shared/ipc/result.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { PrintJobBackend } from '../ports/print-jobs.js';
import { printerFail, PrinterErrorCode, type Printer, type PrintAccepted } from '../ports/printer.js';
import type { TicketSheetRenderer } from '../printing/ticket-sheet-pdf.js';
import { createHttpPrintJobBackend } from './print-jobs-http.js';
import { createPrintService, PrintServiceErrorCode, type PrinterSetup, type PrintService } from './print-service.js';
import type { Station } from './station.js';

export interface StationPrinting {
  readonly printer: Printer;
  readonly service: PrintService;
  /** Printer name and calibration from the saved settings. */
  setup(): PrinterSetup;
  printCalibrationSheet(): Promise<{ ok: true; value: PrintAccepted } | { ok: false; error: { code: string; message: string } }>;
}

export interface StationPrintingDeps {
  readonly station: Station;
  readonly printer: Printer;
  /** Loads the fonts on first call; throws TicketFontMissingError when they are not installed. */
  readonly renderer: () => TicketSheetRenderer;
  readonly clock: Clock;
  readonly log: Logger;
}

export function createStationPrinting(deps: StationPrintingDeps): StationPrinting {
  const notConfigured = <T>(): ApiResult<T> => ({ ok: false, error: { code: StationErrorCode.notConfigured, status: undefined, message: 'the station is not set up yet' } });
  const current = () => {
    const backend = deps.station.backend();
    return backend === undefined ? undefined : createHttpPrintJobBackend(backend.http);
  };
  const backend: PrintJobBackend = {
    issue: async (orderId, ticketIds) => (await readyBackend())?.issue(orderId, ticketIds) ?? notConfigured(),
    reprint: async (ticketId, reason, note) => (await readyBackend())?.reprint(ticketId, reason, note) ?? notConfigured(),
    confirm: async (jobId, blanks) => (await readyBackend())?.confirm(jobId, blanks) ?? notConfigured(),
    spoil: async (jobId, blanks, reason, note) => (await readyBackend())?.spoil(jobId, blanks, reason, note) ?? notConfigured(),
  };
  async function readyBackend(): Promise<PrintJobBackend | undefined> {
    await deps.station.ready();
    return current();
  }

  const setup = (): PrinterSetup => {
    const printer = deps.station.setupState().station?.settings.printer;
    if (printer === undefined) return { printerName: null, calibration: { offsetXMm: 0, offsetYMm: 0 } };
    return { printerName: printer.name, calibration: calibrationFromTenths(printer.offsetXTenthMm, printer.offsetYTenthMm) };
  };

  const service = createPrintService({ printer: deps.printer, renderer: { renderTickets: (job, options) => deps.renderer().renderTickets(job, options) }, clock: deps.clock, log: deps.log, backend });

  return {
    printer: deps.printer,
    service,
    setup,
    async printCalibrationSheet() {
      await deps.station.ready();
      const { printerName, calibration } = setup();
      if (printerName === null) return printerFail(PrinterErrorCode.unknown, 'no printer chosen for this workstation');
      let pdf: Buffer;
      try {
        const workstation = deps.station.setupState().station?.workstation.name;
        pdf = await deps.renderer().renderCalibration({ calibration, printerName, ...(workstation === undefined ? {} : { workstationName: workstation }), creationDate: deps.clock.now() });
      } catch (error) {
        const code = (error as { code?: unknown }).code === PrintServiceErrorCode.fontMissing ? PrintServiceErrorCode.fontMissing : PrintServiceErrorCode.renderFailed;
        return { ok: false, error: { code, message: String(error).slice(0, 500) } };
      }
      return deps.printer.print({ printer: printerName, pdf, title: 'Kalibrierblatt' });
    },
  };
}
