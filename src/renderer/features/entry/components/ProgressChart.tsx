/**
 * Entry progress (admitted against expected over time) as a small inline SVG: two polylines and a few
 * labels, no chart framework. The figures are also given as text, so the chart is never the only way
 * to read them.
 */
import { useId } from 'react';
import { useI18n } from '../../../i18n/context.js';
import type { ProgressSample } from '../store.js';

export interface ChartGeometry {
  readonly admitted: string;
  readonly expected: string;
  readonly yMax: number;
  readonly fromMs: number;
  readonly toMs: number;
}

const PAD = { left: 36, right: 8, top: 8, bottom: 20 } as const;

/** Polyline points for the samples in a width × height box; null with fewer than two samples. */
export function chartGeometry(samples: readonly ProgressSample[], width: number, height: number): ChartGeometry | null {
  if (samples.length < 2) return null;
  const first = samples[0] as ProgressSample;
  const last = samples[samples.length - 1] as ProgressSample;
  const span = Math.max(1, last.at - first.at);
  const yMax = Math.max(1, ...samples.map((s) => Math.max(s.admitted, s.expected)));
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const x = (at: number) => (PAD.left + ((at - first.at) / span) * w).toFixed(1);
  const y = (n: number) => (PAD.top + h - (n / yMax) * h).toFixed(1);
  const line = (pick: (s: ProgressSample) => number) => samples.map((s) => `${x(s.at)},${y(pick(s))}`).join(' ');
  return { admitted: line((s) => s.admitted), expected: line((s) => s.expected), yMax, fromMs: first.at, toMs: last.at };
}

export function ProgressChart({ samples, formatClock, width = 320, height = 140 }: { samples: readonly ProgressSample[]; formatClock: (at: number) => string; width?: number; height?: number }) {
  const { t } = useI18n();
  const titleId = useId();
  const last = samples[samples.length - 1];
  const geometry = chartGeometry(samples, width, height);
  const summary =
    last === undefined
      ? t('entry.chart.empty')
      : t('entry.chart.summary', { admitted: last.admitted, expected: last.expected, percent: last.expected === 0 ? 0 : Math.round((last.admitted / last.expected) * 100) });
  return (
    <figure className="entry-chart">
      <figcaption className="entry-side__heading" id={titleId}>
        {t('entry.chart.title')}
      </figcaption>
      <p className="entry-chart__summary" data-testid="entry-chart-summary">
        {summary}
      </p>
      {geometry !== null && (
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} data-testid="entry-chart">
          <line x1={PAD.left} y1={height - PAD.bottom} x2={width - PAD.right} y2={height - PAD.bottom} className="entry-chart__axis" />
          <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={height - PAD.bottom} className="entry-chart__axis" />
          <text x={PAD.left - 4} y={PAD.top + 10} textAnchor="end" className="entry-chart__label">
            {geometry.yMax}
          </text>
          <text x={PAD.left - 4} y={height - PAD.bottom} textAnchor="end" className="entry-chart__label">
            0
          </text>
          <text x={PAD.left} y={height - 4} className="entry-chart__label">
            {formatClock(geometry.fromMs)}
          </text>
          <text x={width - PAD.right} y={height - 4} textAnchor="end" className="entry-chart__label">
            {formatClock(geometry.toMs)}
          </text>
          <polyline points={geometry.expected} className="entry-chart__expected" fill="none" data-series="expected" />
          <polyline points={geometry.admitted} className="entry-chart__admitted" fill="none" data-series="admitted" />
        </svg>
      )}
      {geometry !== null && (
        <p className="entry-chart__legend">
          <span className="entry-chart__key entry-chart__key--admitted">━ {t('entry.chart.admitted')}</span>{' '}
          <span className="entry-chart__key entry-chart__key--expected">┅ {t('entry.chart.expected')}</span>
        </p>
      )}
    </figure>
  );
}
