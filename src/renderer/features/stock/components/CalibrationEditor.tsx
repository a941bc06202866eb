/**
 * The x/y offset editor: 0.1 mm per step (arrow keys or buttons, Shift for 1 mm), a preview of where the
 * print lands on the sheet, save. Offsets are integers in tenths of a millimetre.
 */
import type { KeyboardEvent } from 'react';
import { BLANK_HEIGHT_MM, BLANKS_PER_SHEET, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, PERFORATION_X_MM, SAFE_MARGIN_MM } from '../../../../shared/ticket-sheet/layout.js';
import { useI18n } from '../../../i18n/context.js';
import { formatMillimetres, type Axis, type Offsets } from '../offsets.js';

export interface CalibrationEditorProps {
  readonly offsets: Offsets;
  readonly saved: Offsets;
  readonly busy: boolean;
  readonly onNudge: (axis: Axis, deltaTenths: number) => void;
  readonly onSave: () => void;
  readonly onPrintSheet: () => void;
}

/** The preview exaggerates the offset tenfold so that 0.1 mm is visible (1 mm on the drawing). */
const EXAGGERATION = 10;
const SCALE = 1.2;

export function CalibrationPreview({ offsets }: { offsets: Offsets }) {
  const { t } = useI18n();
  const dx = (offsets.x / 10) * EXAGGERATION;
  const dy = (offsets.y / 10) * EXAGGERATION;
  const blanks = Array.from({ length: BLANKS_PER_SHEET }, (_, i) => i);
  return (
    <svg
      className="stock-preview"
      width={PAGE_WIDTH_MM * SCALE}
      height={PAGE_HEIGHT_MM * SCALE}
      viewBox={`-20 -20 ${PAGE_WIDTH_MM + 40} ${PAGE_HEIGHT_MM + 40}`}
      role="img"
      aria-label={t('stock.calibration.preview')}
      data-testid="calibration-preview"
    >
      <rect x="0" y="0" width={PAGE_WIDTH_MM} height={PAGE_HEIGHT_MM} className="stock-preview__paper" />
      {blanks.map((i) => (
        <g key={i}>
          <line x1="0" y1={i * BLANK_HEIGHT_MM} x2={PAGE_WIDTH_MM} y2={i * BLANK_HEIGHT_MM} className="stock-preview__edge" />
          <line x1={PERFORATION_X_MM} y1={i * BLANK_HEIGHT_MM} x2={PERFORATION_X_MM} y2={(i + 1) * BLANK_HEIGHT_MM} className="stock-preview__perforation" />
        </g>
      ))}
      <g transform={`translate(${dx} ${dy})`} data-testid="calibration-print" data-dx={dx.toFixed(1)} data-dy={dy.toFixed(1)}>
        {blanks.map((i) => (
          <g key={i}>
            <rect
              x={SAFE_MARGIN_MM}
              y={i * BLANK_HEIGHT_MM + SAFE_MARGIN_MM}
              width={PERFORATION_X_MM - 2 * SAFE_MARGIN_MM}
              height={BLANK_HEIGHT_MM - 2 * SAFE_MARGIN_MM}
              className="stock-preview__print"
            />
            <path d={`M ${SAFE_MARGIN_MM} ${i * BLANK_HEIGHT_MM + SAFE_MARGIN_MM + 6} h 12 M ${SAFE_MARGIN_MM + 6} ${i * BLANK_HEIGHT_MM + SAFE_MARGIN_MM} v 12`} className="stock-preview__cross" />
          </g>
        ))}
      </g>
    </svg>
  );
}

function AxisControl({ axis, value, onNudge }: { axis: Axis; value: number; onNudge: (axis: Axis, delta: number) => void }) {
  const { t, language } = useI18n();
  const label = t(axis === 'x' ? 'stock.calibration.x' : 'stock.calibration.y');
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 10 : 1;
    const forward = axis === 'x' ? 'ArrowRight' : 'ArrowDown';
    const back = axis === 'x' ? 'ArrowLeft' : 'ArrowUp';
    if (event.key === forward || event.key === (axis === 'x' ? 'ArrowUp' : 'ArrowRight')) onNudge(axis, step);
    else if (event.key === back || event.key === (axis === 'x' ? 'ArrowDown' : 'ArrowLeft')) onNudge(axis, -step);
    else return;
    event.preventDefault();
  };
  const text = t('stock.calibration.value', { value: formatMillimetres(value, language === 'de' ? ',' : '.') });
  return (
    <div className="stock-axis">
      <span className="floor-field__label" id={`stock-axis-${axis}`}>
        {label}
      </span>
      <button type="button" className="button" onClick={() => onNudge(axis, -1)} aria-label={`${label}: ${t('stock.calibration.minus')}`}>
        {t('stock.calibration.minus')}
      </button>
      <output
        className="stock-axis__value"
        tabIndex={0}
        role="spinbutton"
        aria-labelledby={`stock-axis-${axis}`}
        aria-valuenow={value / 10}
        aria-valuemin={-20}
        aria-valuemax={20}
        aria-valuetext={text}
        onKeyDown={onKeyDown}
        data-testid={`offset-${axis}`}
      >
        {text}
      </output>
      <button type="button" className="button" onClick={() => onNudge(axis, 1)} aria-label={`${label}: ${t('stock.calibration.plus')}`}>
        {t('stock.calibration.plus')}
      </button>
    </div>
  );
}

export function CalibrationEditor({ offsets, saved, busy, onNudge, onSave, onPrintSheet }: CalibrationEditorProps) {
  const { t } = useI18n();
  const dirty = offsets.x !== saved.x || offsets.y !== saved.y;
  return (
    <section className="floor-panel" aria-labelledby="stock-calibration-heading">
      <h2 id="stock-calibration-heading">{t('stock.calibration.heading')}</h2>
      <p>{t('stock.calibration.note')}</p>
      <div className="stock-calibration">
        <div className="stock-calibration__controls">
          <button type="button" className="button" onClick={onPrintSheet} disabled={busy}>
            {t('stock.calibration.print')}
          </button>
          <AxisControl axis="x" value={offsets.x} onNudge={onNudge} />
          <AxisControl axis="y" value={offsets.y} onNudge={onNudge} />
          <button type="button" className="button floor-button--primary" onClick={onSave} disabled={busy || !dirty}>
            {t('stock.calibration.save')}
          </button>
          {dirty && <p className="floor-field__hint">{t('stock.calibration.unsaved')}</p>}
        </div>
        <CalibrationPreview offsets={offsets} />
      </div>
    </section>
  );
}
