import type { PrintReportView } from '../../../shared/ipc/printing.js';
import { ipcErrorFromApi, ipcFail, ipcOk, type IpcResult } from '../../../shared/ipc/result.js';
import type { OrderPrintResult, PrintReport } from '../../services/print-service.js';
import type { StationPrinting } from '../../services/station-printing.js';
import type { IpcHandlers } from '../register.js';

function reportView(report: PrintReport): PrintReportView {
  return {
    jobId: report.jobId,
    ok: report.ok,
    spoolerJobId: report.spoolerJobId,
    blanks: report.blanks.map((blank) => ({ blankNumber: blank.blankNumber, printId: blank.printId, ticketId: blank.ticketId, outcome: blank.outcome })),
    ...(report.error === undefined ? {} : { error: { code: report.error.code, message: report.error.message.slice(0, 500) } }),
    retryable: report.retryable,
  };
}

/** A print that failed is an answer with its report (the clerk retries or spoils); a job the server refused is an error. */
function outcome(result: OrderPrintResult): IpcResult<{ report: PrintReportView; confirmed: boolean }> {
  if (result.ok) return ipcOk({ report: reportView(result.report), confirmed: result.confirmed });
  if (result.stage === 'issue') return { ok: false, error: ipcErrorFromApi(result.error) };
  if (result.report.blanks.length === 0 && result.report.error !== undefined) return ipcFail(result.report.error.code, result.report.error.message);
  return ipcOk({ report: reportView(result.report), confirmed: false });
}

export function printingHandlers(printing: StationPrinting): IpcHandlers['printing'] {
  return {
    listPrinters: async () => {
      const listed = await printing.printer.list();
      return listed.ok ? ipcOk(listed.value.map((info) => ({ ...info }))) : ipcFail(listed.error.code, listed.error.message);
    },
    printerStatus: async () => {
      const { printerName } = printing.setup();
      if (printerName === null) return ipcFail('PRINTER_NOT_CONFIGURED', 'no printer chosen for this workstation');
      const status = await printing.printer.status(printerName);
      return status.ok ? ipcOk({ ...status.value }) : ipcFail(status.error.code, status.error.message);
    },
    printCalibrationSheet: async () => {
      const printed = await printing.printCalibrationSheet();
      return printed.ok ? ipcOk({ spoolerJobId: printed.value.jobId }) : ipcFail(printed.error.code, printed.error.message);
    },
    printOrder: async (args) => outcome(await printing.service.printOrder(args.orderId, printing.setup(), args.ticketIds)),
    reprintTicket: async (args) => outcome(await printing.service.reprintTicket(args.ticketId, args.reason, printing.setup(), args.note)),
    retryJob: async (args) => outcome(await printing.service.retry(args.jobId, printing.setup())),
    spoilJob: async (args) => {
      const spoiled = await printing.service.spoil(args.jobId, args.reason, args.note);
      return spoiled.ok ? ipcOk(null) : { ok: false, error: ipcErrorFromApi(spoiled.error) };
    },
    unresolvedJobs: async () =>
      ipcOk(
        printing.service.unresolved().map((entry) => ({
          jobId: entry.job.jobId,
          state: entry.state,
          blankNumbers: entry.job.tickets.map((face) => face.blankNumber),
          report: reportView(entry.report),
        })),
      ),
  };
}
