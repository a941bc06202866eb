/**
 * Printing and stock: printer state (desktop), paper tray with blank counter and warning level, loading
 * paper, the print queue, spoiling a blank in three inputs (number, reason, Enter), calibration
 * (desktop) and the stock report. Alt+A refreshes.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { SpoilReason } from '../../../../shared/api/printing.js';
import { useI18n } from '../../../i18n/context.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import { useAltKeys } from '../../../lib/use-alt-keys.js';
import type { StockMessageKey } from '../messages.js';
import type { StockInputError, StockStore } from '../store.js';
import { CalibrationEditor } from './CalibrationEditor.js';
import { PrintQueue } from './PrintQueue.js';
import { StockReportPanel } from './StockReportPanel.js';
import '../../floor-forms.css';
import '../stock.css';

const SPOIL_REASONS: readonly SpoilReason[] = ['paper_jam', 'misprint', 'printer_error', 'not_printed', 'other'];
const INPUT_ERRORS: ReadonlySet<string> = new Set<StockInputError>(['BLANK_NUMBER_INVALID', 'BLANK_NOT_PENDING', 'WARN_LEVEL_INVALID', 'NOTE_MISSING']);

export interface StockScreenProps {
  readonly store: StockStore;
  readonly formatDateTime: (iso: string) => string;
  readonly onReportPdf: (() => void) | undefined;
}

function Feedback({ store }: { store: StockStore }) {
  const { t } = useI18n();
  const error = useStore(store, (s) => s.error);
  const notice = useStore(store, (s) => s.notice);
  if (error !== null) {
    if (INPUT_ERRORS.has(error.code))
      return (
        <p className="floor-error" role="alert">
          {t(`stock.error.${error.code as StockInputError}`)}
        </p>
      );
    return <ErrorNotice error={error} />;
  }
  if (notice === null) return null;
  let text: string;
  switch (notice.kind) {
    case 'loaded':
      text = t('stock.load.done', { number: notice.tray.nextBlankNumber ?? '–', count: notice.tray.available });
      if (notice.tray.voidedLeftovers.length > 0) text += ` ${t('stock.load.voided', { numbers: notice.tray.voidedLeftovers.join(', ') })}`;
      break;
    case 'spoiled':
      text = t('stock.spoil.done', { numbers: notice.blanks.join(', ') });
      break;
    case 'retried':
      text = t('stock.station.retried');
      break;
    case 'offsetsSaved':
      text = t('stock.calibration.saved');
      break;
    case 'calibrationPrinted':
      text = t('stock.calibration.printed');
      break;
  }
  return (
    <p className="stock-ok" role="status" data-testid="stock-notice">
      <span aria-hidden="true">✓ </span>
      {text}
    </p>
  );
}

export function StockScreen({ store, formatDateTime, onReportPdf }: StockScreenProps) {
  const { t } = useI18n();
  const s = useStore(store);
  const id = useId();
  const [warnText, setWarnText] = useState(String(s.warnLevel));
  const [savedOffsets, setSavedOffsets] = useState(s.offsets);

  useEffect(() => {
    void store.getState().refresh();
  }, [store]);
  useEffect(() => {
    if (s.settings !== null) setSavedOffsets({ x: s.settings.printer.offsetXTenthMm, y: s.settings.printer.offsetYTenthMm });
  }, [s.settings]);
  useAltKeys({ a: () => void store.getState().refresh() });

  const submit = (action: () => Promise<void> | void) => (event: FormEvent) => {
    event.preventDefault();
    void action();
  };
  const low = s.tray !== null && s.tray.nextBlankNumber !== null && s.tray.available < s.warnLevel;

  return (
    <div className="stock-screen">
      {/* The shell names the screen (its h1); the sections below are its h2s. */}
      <div className="stock-head">
        <button type="button" className="button" onClick={() => void store.getState().refresh()}>
          {t('stock.refresh')}
        </button>
      </div>
      <Feedback store={store} />

      <section className="floor-panel" aria-labelledby={`${id}-printer`}>
        <h2 id={`${id}-printer`}>{t('stock.printer.heading')}</h2>
        {s.desktop ? (
          s.printer !== null && (
            <p className={`stock-printer stock-printer--${s.printer.state}`} data-testid="printer-state">
              <span aria-hidden="true">{s.printer.state === 'idle' || s.printer.state === 'printing' ? '● ' : '○ '}</span>
              {s.printer.name}: {t(`stock.printer.state.${s.printer.state}` as StockMessageKey)}
            </p>
          )
        ) : (
          <p data-testid="printer-web-only">{t('stock.printer.webOnly')}</p>
        )}
      </section>

      {s.canPrint && (
        <section className="floor-panel" aria-labelledby={`${id}-tray`}>
          <h2 id={`${id}-tray`}>{t('stock.tray.heading')}</h2>
          {s.tray === null || s.tray.nextBlankNumber === null ? (
            <p className="stock-warn" data-testid="tray-state">
              <span aria-hidden="true">! </span>
              {t('stock.tray.empty')}
            </p>
          ) : (
            <div data-testid="tray-state">
              <p>{t('stock.tray.next', { number: s.tray.nextBlankNumber, sheet: s.tray.sheet ?? '–', position: s.tray.position ?? '–' })}</p>
              <p className={low ? 'stock-warn' : 'stock-ok'} data-level={low ? 'low' : 'ok'}>
                <span aria-hidden="true">{low ? '! ' : '✓ '}</span>
                {t('stock.tray.available', { count: s.tray.available })} – {low ? t('stock.tray.low', { count: s.tray.available, level: s.warnLevel }) : t('stock.tray.ok')}
              </p>
            </div>
          )}
          <form className="stock-row" onSubmit={submit(() => store.getState().loadPaper())}>
            <div className="floor-field">
              <label className="floor-field__label" htmlFor={`${id}-load`}>
                {t('stock.load.label')}
              </label>
              <input
                id={`${id}-load`}
                className="floor-field__input"
                inputMode="numeric"
                autoComplete="off"
                value={s.loadText}
                onChange={(e) => store.getState().setLoadText(e.target.value)}
                aria-describedby={`${id}-load-hint`}
              />
              <span id={`${id}-load-hint`} className="floor-field__hint">
                {t('stock.load.hint')}
              </span>
            </div>
            <button type="submit" className="button floor-button--primary" disabled={s.busy}>
              {t('stock.load.submit')}
            </button>
          </form>
          <form className="stock-row" onSubmit={submit(() => store.getState().setWarnLevel(warnText))}>
            <div className="floor-field">
              <label className="floor-field__label" htmlFor={`${id}-warn`}>
                {t('stock.warn.label')}
              </label>
              <input id={`${id}-warn`} className="floor-field__input" inputMode="numeric" value={warnText} onChange={(e) => setWarnText(e.target.value)} />
            </div>
            <button type="submit" className="button">
              {t('stock.warn.save')}
            </button>
          </form>
        </section>
      )}

      {s.canPrint && (
        <PrintQueue
          pending={s.pending}
          stationJobs={s.stationJobs}
          formatDateTime={formatDateTime}
          onRetry={s.desktop ? (jobId) => void store.getState().retryStationJob(jobId) : undefined}
          busy={s.busy}
        />
      )}

      {s.canPrint && (
        <form className="floor-panel stock-spoil" onSubmit={submit(() => store.getState().spoilBlank())} aria-labelledby={`${id}-spoil`}>
          <h2 id={`${id}-spoil`}>{t('stock.spoil.heading')}</h2>
          <p>{t('stock.spoil.note')}</p>
          <div className="stock-row">
            <div className="floor-field">
              <label className="floor-field__label" htmlFor={`${id}-spoil-blank`}>
                {t('stock.spoil.blank')}
              </label>
              <input
                id={`${id}-spoil-blank`}
                className="floor-field__input"
                inputMode="numeric"
                autoComplete="off"
                value={s.spoilText}
                onChange={(e) => store.getState().setSpoil({ text: e.target.value })}
              />
            </div>
            <div className="floor-field">
              <label className="floor-field__label" htmlFor={`${id}-spoil-reason`}>
                {t('stock.spoil.reason')}
              </label>
              <select id={`${id}-spoil-reason`} className="floor-field__input" value={s.spoilReason} onChange={(e) => store.getState().setSpoil({ reason: e.target.value as SpoilReason })}>
                {SPOIL_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`stock.spoil.reason.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            {s.spoilReason === 'other' && (
              <div className="floor-field">
                <label className="floor-field__label" htmlFor={`${id}-spoil-note`}>
                  {t('stock.spoil.noteLabel')}
                </label>
                <input id={`${id}-spoil-note`} className="floor-field__input" maxLength={500} value={s.spoilNote} onChange={(e) => store.getState().setSpoil({ note: e.target.value })} />
              </div>
            )}
            <button type="submit" className="button floor-button--primary" disabled={s.busy}>
              {t('stock.spoil.submit')}
            </button>
          </div>
        </form>
      )}

      {s.desktop && s.offsets !== null && savedOffsets !== null && (
        <CalibrationEditor
          offsets={s.offsets}
          saved={savedOffsets}
          busy={s.busy}
          onNudge={(axis, delta) => store.getState().nudgeOffset(axis, delta)}
          onSave={() => void store.getState().saveOffsets()}
          onPrintSheet={() => void store.getState().printCalibration()}
        />
      )}

      {s.canManage && s.report !== null && <StockReportPanel report={s.report} formatDateTime={formatDateTime} onPdf={onReportPdf} />}
    </div>
  );
}
