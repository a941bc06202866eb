/**
 * What the printing and stock screen needs: the server's tray, pending print jobs, spoilage and stock
 * report over the backend port, and — at the desktop station only — the printer, the station's own
 * unresolved jobs and the calibration through the preload bridge.
 */
import { Type, type Static } from 'typebox';
import type { ApiResult } from '../../../shared/api-client/errors.js';
import { PendingPrintJob, PrintJobView, StockReport, TrayView, type SpoilReason } from '../../../shared/api/printing.js';
import type { PrinterInfoView, UnresolvedJobSchema } from '../../../shared/ipc/printing.js';
import type { StationSettings } from '../../../shared/ipc/station-settings.js';
import type { BoxofficeApi } from '../../app/bridge.js';
import type { Backend } from '../../lib/backend.js';

export type UnresolvedJob = Static<typeof UnresolvedJobSchema>;
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly code: string } };

export interface StockBackend {
  tray(): Promise<ApiResult<TrayView>>;
  loadPaper(nextBlankNumber: number): Promise<ApiResult<TrayView>>;
  pendingJobs(): Promise<ApiResult<PendingPrintJob[]>>;
  spoil(printJobId: string, blankNumbers: number[], reason: SpoilReason, note: string | undefined): Promise<ApiResult<PrintJobView>>;
  report(): Promise<ApiResult<StockReport>>;
  readonly reportPdf: (() => Promise<ApiResult<Blob>>) | undefined;
}

export function createStockBackend(backend: Pick<Backend, 'request' | 'fetchDocument'>): StockBackend {
  const fetchDocument = backend.fetchDocument;
  return {
    tray: () => backend.request({ method: 'GET', path: '/api/v1/printing/tray', response: TrayView }),
    loadPaper: (nextBlankNumber) => backend.request({ method: 'PUT', path: '/api/v1/printing/tray', body: { nextBlankNumber }, response: TrayView }),
    pendingJobs: () => backend.request({ method: 'GET', path: '/api/v1/print-jobs/pending', response: Type.Array(PendingPrintJob) }),
    spoil: (printJobId, blankNumbers, reason, note) =>
      backend.request({
        method: 'POST',
        path: `/api/v1/print-jobs/${encodeURIComponent(printJobId)}/spoil`,
        body: note === undefined ? { blankNumbers, reason } : { blankNumbers, reason, note },
        response: PrintJobView,
      }),
    report: () => backend.request({ method: 'GET', path: '/api/v1/stock/report', response: StockReport }),
    reportPdf: fetchDocument === undefined ? undefined : () => fetchDocument('/api/v1/stock/report.pdf'),
  };
}

/** The station's printer and its own print jobs (desktop only). */
export interface StationPrinting {
  printerStatus(): Promise<Outcome<PrinterInfoView>>;
  unresolvedJobs(): Promise<Outcome<UnresolvedJob[]>>;
  retryJob(jobId: string): Promise<Outcome<unknown>>;
  spoilJob(jobId: string, reason: SpoilReason, note: string | undefined): Promise<Outcome<null>>;
  printCalibrationSheet(): Promise<Outcome<unknown>>;
  settings(): Promise<Outcome<StationSettings>>;
  saveSettings(settings: StationSettings): Promise<Outcome<unknown>>;
}

export function createStationPrinting(bridge: Pick<BoxofficeApi, 'printing' | 'setup'>): StationPrinting {
  return {
    printerStatus: () => bridge.printing.printerStatus(),
    unresolvedJobs: () => bridge.printing.unresolvedJobs(),
    retryJob: (jobId) => bridge.printing.retryJob({ jobId }),
    spoilJob: (jobId, reason, note) => bridge.printing.spoilJob(note === undefined ? { jobId, reason } : { jobId, reason, note }),
    printCalibrationSheet: () => bridge.printing.printCalibrationSheet(),
    async settings() {
      const state = await bridge.setup.getState();
      if (!state.ok) return state;
      const station = state.value.station;
      return station === undefined ? { ok: false, error: { code: 'STATION_NOT_CONFIGURED' } } : { ok: true, value: station.settings };
    },
    saveSettings: (settings) => bridge.setup.saveSettings(settings),
  };
}
