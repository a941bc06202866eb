/**
 * Printing and stock: the paper tray with its blank counter, loading paper, the print queue with each
 * job's state, spoiling a blank after a printer fault (blank number + reason, Enter), the printer and its
 * calibration (desktop), and the stock report. A factory receives the backend, the station's printing
 * port (undefined in a browser) and where the warning level is kept.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError } from '../../../shared/api-client/errors.js';
import type { PendingPrintJob, SpoilReason, StockReport, TrayView } from '../../../shared/api/printing.js';
import type { PrinterInfoView } from '../../../shared/ipc/printing.js';
import type { StationSettings } from '../../../shared/ipc/station-settings.js';
import type { StationPrinting, StockBackend, UnresolvedJob } from './backend.js';
import { nudge, type Axis, type Offsets } from './offsets.js';

/** Problems found before anything is sent, each with a text. */
export type StockInputError = 'BLANK_NUMBER_INVALID' | 'BLANK_NOT_PENDING' | 'WARN_LEVEL_INVALID' | 'NOTE_MISSING';
export type StockError = { readonly code: string } | ApiError;

export type StockNotice =
  | { readonly kind: 'loaded'; readonly tray: TrayView }
  | { readonly kind: 'spoiled'; readonly blanks: readonly number[] }
  | { readonly kind: 'retried'; readonly ok: boolean }
  | { readonly kind: 'offsetsSaved' }
  | { readonly kind: 'calibrationPrinted' };

export interface WarnLevelStorage {
  get(): number | undefined;
  set(level: number): void;
}

export const DEFAULT_WARN_LEVEL = 30;

export interface StockState {
  readonly canPrint: boolean;
  readonly canManage: boolean;
  readonly desktop: boolean;
  readonly tray: TrayView | null;
  readonly warnLevel: number;
  readonly loadText: string;
  readonly pending: readonly PendingPrintJob[];
  readonly stationJobs: readonly UnresolvedJob[];
  readonly printer: PrinterInfoView | null;
  readonly spoilText: string;
  readonly spoilReason: SpoilReason;
  readonly spoilNote: string;
  readonly report: StockReport | null;
  readonly settings: StationSettings | null;
  readonly offsets: Offsets | null;
  readonly busy: boolean;
  readonly error: StockError | null;
  readonly notice: StockNotice | null;
}

export interface StockActions {
  refresh(): Promise<void>;
  setLoadText(text: string): void;
  loadPaper(): Promise<void>;
  setWarnLevel(text: string): void;
  setSpoil(fields: { text?: string; reason?: SpoilReason; note?: string }): void;
  spoilBlank(): Promise<void>;
  retryStationJob(jobId: string): Promise<void>;
  nudgeOffset(axis: Axis, deltaTenths: number): void;
  saveOffsets(): Promise<void>;
  printCalibration(): Promise<void>;
}

export type StockStore = StoreApi<StockState & StockActions>;

export interface StockStoreDeps {
  readonly backend: StockBackend;
  readonly station: StationPrinting | undefined;
  readonly canPrint: boolean;
  readonly canManage: boolean;
  readonly warnLevel: WarnLevelStorage;
}

const BLANK_NUMBER = /^\d{1,12}$/;

export function createStockStore(deps: StockStoreDeps): StockStore {
  return createStore<StockState & StockActions>()((set, get) => {
    const failWith = (error: StockError) => set({ busy: false, error, notice: null });

    return {
      canPrint: deps.canPrint,
      canManage: deps.canManage,
      desktop: deps.station !== undefined,
      tray: null,
      warnLevel: deps.warnLevel.get() ?? DEFAULT_WARN_LEVEL,
      loadText: '',
      pending: [],
      stationJobs: [],
      printer: null,
      spoilText: '',
      spoilReason: 'paper_jam',
      spoilNote: '',
      report: null,
      settings: null,
      offsets: null,
      busy: false,
      error: null,
      notice: null,

      async refresh() {
        const station = deps.station;
        const [tray, pending, report, printer, jobs, settings] = await Promise.all([
          deps.canPrint ? deps.backend.tray() : undefined,
          deps.canPrint ? deps.backend.pendingJobs() : undefined,
          deps.canManage ? deps.backend.report() : undefined,
          station?.printerStatus(),
          station?.unresolvedJobs(),
          get().settings === null ? station?.settings() : undefined,
        ]);
        const firstError = [tray, pending, report].find((r) => r !== undefined && !r.ok);
        set({
          ...(tray?.ok === true ? { tray: tray.value } : {}),
          ...(pending?.ok === true ? { pending: pending.value } : {}),
          ...(report?.ok === true ? { report: report.value } : {}),
          ...(printer?.ok === true ? { printer: printer.value } : {}),
          ...(jobs?.ok === true ? { stationJobs: jobs.value } : {}),
          ...(settings?.ok === true ? { settings: settings.value, offsets: { x: settings.value.printer.offsetXTenthMm, y: settings.value.printer.offsetYTenthMm } } : {}),
          ...(firstError !== undefined && !firstError.ok ? { error: firstError.error } : {}),
        });
      },

      setLoadText(text) {
        set({ loadText: text, error: null });
      },

      async loadPaper() {
        const text = get().loadText.trim();
        if (!BLANK_NUMBER.test(text) || Number(text) < 1) {
          set({ error: { code: 'BLANK_NUMBER_INVALID' }, notice: null });
          return;
        }
        set({ busy: true, error: null, notice: null });
        const answer = await deps.backend.loadPaper(Number(text));
        if (!answer.ok) return failWith(answer.error);
        set({ busy: false, tray: answer.value, loadText: '', notice: { kind: 'loaded', tray: answer.value } });
        await get().refresh();
      },

      setWarnLevel(text) {
        const level = Number(text);
        if (!/^\d{1,5}$/.test(text.trim())) {
          set({ error: { code: 'WARN_LEVEL_INVALID' } });
          return;
        }
        deps.warnLevel.set(level);
        set({ warnLevel: level, error: null });
      },

      setSpoil(fields) {
        set((s) => ({
          spoilText: fields.text ?? s.spoilText,
          spoilReason: fields.reason ?? s.spoilReason,
          spoilNote: fields.note ?? s.spoilNote,
          error: null,
        }));
      },

      async spoilBlank() {
        const { spoilText, spoilReason, spoilNote, stationJobs, pending } = get();
        const text = spoilText.trim();
        if (!BLANK_NUMBER.test(text)) {
          set({ error: { code: 'BLANK_NUMBER_INVALID' }, notice: null });
          return;
        }
        const note = spoilNote.trim() === '' ? undefined : spoilNote.trim();
        if (spoilReason === 'other' && note === undefined) {
          set({ error: { code: 'NOTE_MISSING' }, notice: null });
          return;
        }
        const blank = Number(text);
        set({ busy: true, error: null, notice: null });
        // A job that failed at this station: main reports all its blanks (none was printed).
        const local = stationJobs.find((j) => j.blankNumbers.includes(blank));
        if (local !== undefined && deps.station !== undefined) {
          const done = await deps.station.spoilJob(local.jobId, spoilReason, note);
          if (!done.ok) return failWith(done.error);
          set({ busy: false, spoilText: '', spoilNote: '', notice: { kind: 'spoiled', blanks: local.blankNumbers } });
          await get().refresh();
          return;
        }
        const job = pending.find((j) => j.pendingBlanks.includes(blank));
        if (job === undefined) {
          set({ busy: false, error: { code: 'BLANK_NOT_PENDING' } });
          return;
        }
        const answer = await deps.backend.spoil(job.printJobId, [blank], spoilReason, note);
        if (!answer.ok) return failWith(answer.error);
        set({ busy: false, spoilText: '', spoilNote: '', notice: { kind: 'spoiled', blanks: [blank] } });
        await get().refresh();
      },

      async retryStationJob(jobId) {
        if (deps.station === undefined) return;
        set({ busy: true, error: null, notice: null });
        const answer = await deps.station.retryJob(jobId);
        if (!answer.ok) return failWith(answer.error);
        set({ busy: false, notice: { kind: 'retried', ok: true } });
        await get().refresh();
      },

      nudgeOffset(axis, deltaTenths) {
        const offsets = get().offsets;
        if (offsets === null) return;
        set({ offsets: nudge(offsets, axis, deltaTenths), notice: null });
      },

      async saveOffsets() {
        const { settings, offsets } = get();
        if (deps.station === undefined || settings === null || offsets === null) return;
        const next: StationSettings = { ...settings, printer: { ...settings.printer, offsetXTenthMm: offsets.x, offsetYTenthMm: offsets.y } };
        set({ busy: true, error: null, notice: null });
        const answer = await deps.station.saveSettings(next);
        if (!answer.ok) return failWith(answer.error);
        set({ busy: false, settings: next, notice: { kind: 'offsetsSaved' } });
      },

      async printCalibration() {
        if (deps.station === undefined) return;
        set({ busy: true, error: null, notice: null });
        const answer = await deps.station.printCalibrationSheet();
        if (!answer.ok) return failWith(answer.error);
        set({ busy: false, notice: { kind: 'calibrationPrinted' } });
      },
    };
  });
}
