import type { EventSalesStats } from '../../../../shared/api/reports.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { formatDay } from '../../../lib/office-format.js';

const DAY_CHART = { width: 640, height: 200, top: 20, bottom: 40, left: 40, right: 10 } as const;
const BAR_HEIGHT = 28;
const LABEL_WIDTH = 160;
const CATEGORY_WIDTH = 640;

/** Largest tick value ≤ max on a 1-2-5 scale, so the axis reads in round numbers. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * Sales of one event as two small SVG charts: tickets per German sales day (columns) and per category
 * against its capacity (bars). Every bar carries its number as text, so nothing depends on colour,
 * and a title for screen readers.
 */
export function SalesCharts({ stats }: { stats: EventSalesStats }) {
  const { t } = useI18n();
  if (stats.totalTickets === 0) {
    return (
      <section className="office-panel" aria-labelledby="chart-heading">
        <h4 id="chart-heading">{t('admin.chart.heading')}</h4>
        <p>{t('admin.chart.none')}</p>
      </section>
    );
  }
  return (
    <section className="office-panel" aria-labelledby="chart-heading">
      <h4 id="chart-heading">{t('admin.chart.heading')}</h4>
      <p>{t('admin.chart.total', { tickets: stats.totalTickets, amount: formatEuro(stats.totalGrossCents) })}</p>
      <DayChart stats={stats} />
      <CategoryChart stats={stats} />
    </section>
  );
}

function DayChart({ stats }: { stats: EventSalesStats }) {
  const { t } = useI18n();
  const { width, height, top, bottom, left, right } = DAY_CHART;
  const plotHeight = height - top - bottom;
  const plotWidth = width - left - right;
  const max = niceMax(Math.max(...stats.days.map((d) => d.tickets)));
  const slot = plotWidth / stats.days.length;
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  // Label every n-th day so the dates never overlap.
  const labelEvery = Math.max(1, Math.ceil(stats.days.length / 8));
  return (
    <figure className="office-chart">
      <figcaption>{t('admin.chart.perDay')}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('admin.chart.perDay')} className="office-chart__svg">
        <line x1={left} y1={top + plotHeight} x2={width - right} y2={top + plotHeight} className="office-chart__axis" />
        <text x={left - 6} y={top + 4} textAnchor="end" className="office-chart__tick">
          {max}
        </text>
        <text x={left - 6} y={top + plotHeight} textAnchor="end" className="office-chart__tick">
          0
        </text>
        {stats.days.map((d, i) => {
          const h = (d.tickets / max) * plotHeight;
          const x = left + i * slot + (slot - barWidth) / 2;
          const y = top + plotHeight - h;
          return (
            <g key={d.day} data-testid="day-bar">
              <title>{t('admin.chart.dayBar', { day: formatDay(d.day), tickets: d.tickets, amount: formatEuro(d.grossCents) })}</title>
              <rect x={x} y={y} width={barWidth} height={h} className="office-chart__bar" />
              {stats.days.length <= 31 ? (
                <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" className="office-chart__value">
                  {d.tickets}
                </text>
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={x + barWidth / 2} y={top + plotHeight + 16} textAnchor="middle" className="office-chart__tick">
                  {formatDay(d.day).slice(0, 6)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function CategoryChart({ stats }: { stats: EventSalesStats }) {
  const { t } = useI18n();
  const height = stats.categories.length * (BAR_HEIGHT + 8) + 8;
  const plotWidth = CATEGORY_WIDTH - LABEL_WIDTH - 70;
  return (
    <figure className="office-chart">
      <figcaption>{t('admin.chart.perCategory')}</figcaption>
      <svg viewBox={`0 0 ${CATEGORY_WIDTH} ${height}`} role="img" aria-label={t('admin.chart.perCategory')} className="office-chart__svg">
        {stats.categories.map((c, i) => {
          const y = 8 + i * (BAR_HEIGHT + 8);
          const share = c.capacity === 0 ? 0 : Math.min(1, c.tickets / c.capacity);
          const percent = Math.round(share * 100);
          return (
            <g key={c.categoryId} data-testid="category-bar">
              <title>{t('admin.chart.categoryBar', { name: c.name, tickets: c.tickets, capacity: c.capacity, percent })}</title>
              <text x={0} y={y + BAR_HEIGHT / 2 + 5} className="office-chart__label">
                {c.name.length > 22 ? `${c.name.slice(0, 21)}…` : c.name}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={plotWidth} height={BAR_HEIGHT} className="office-chart__track" />
              <rect x={LABEL_WIDTH} y={y} width={plotWidth * share} height={BAR_HEIGHT} className="office-chart__bar" />
              <text x={LABEL_WIDTH + plotWidth + 6} y={y + BAR_HEIGHT / 2 + 5} className="office-chart__value">
                {`${c.tickets}/${c.capacity}`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
