import type { BlankCounts, StockReport } from '../../../../shared/api/printing.js';
import { useI18n } from '../../../i18n/context.js';
import type { StockMessageKey } from '../messages.js';

const COUNTS: ReadonlyArray<readonly [keyof BlankCounts, StockMessageKey]> = [
  ['registered', 'stock.report.registered'],
  ['inStock', 'stock.report.inStock'],
  ['pending', 'stock.report.pending'],
  ['printed', 'stock.report.printed'],
  ['spoiled', 'stock.report.spoiled'],
  ['voided', 'stock.report.voided'],
];

/** The outlet's blank stock: totals, per batch, spoiled blanks, and whether it balances. */
export function StockReportPanel({ report, formatDateTime, onPdf }: { report: StockReport; formatDateTime: (iso: string) => string; onPdf: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <section className="floor-panel" aria-labelledby="stock-report-heading" data-testid="stock-report">
      <h2 id="stock-report-heading">
        {t('stock.report.heading')} – {report.outlet.name}
      </h2>
      <p className={report.balanced ? 'stock-ok' : 'floor-error'} role={report.balanced ? undefined : 'alert'}>
        <span aria-hidden="true">{report.balanced ? '✓ ' : '✕ '}</span>
        {t(report.balanced ? 'stock.report.balanced' : 'stock.report.unbalanced')}
      </p>
      <table className="floor-table">
        <thead>
          <tr>
            <td />
            {COUNTS.map(([field, key]) => (
              <th key={field} scope="col" className="floor-num">
                {t(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.batches.map((b) => (
            <tr key={b.id}>
              <th scope="row">{t('stock.report.batch', { first: b.firstNumber, last: b.lastNumber })}</th>
              {COUNTS.map(([field]) => (
                <td key={field} className="floor-num">
                  {b.counts[field]}
                </td>
              ))}
            </tr>
          ))}
          <tr className="stock-report__total">
            <th scope="row">Σ</th>
            {COUNTS.map(([field]) => (
              <td key={field} className="floor-num" data-testid={`stock-total-${field}`}>
                {report.totals[field]}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {report.spoiled.length > 0 && (
        <>
          <h3>{t('stock.report.spoiledList')}</h3>
          <ul className="stock-spoiled">
            {report.spoiled.map((s) => (
              <li key={s.blankNumber}>
                {s.blankNumber} · {s.reason} · {formatDateTime(s.at)}
                {s.workstation === null ? '' : ` · ${s.workstation.name}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {onPdf === undefined ? (
        <p className="floor-field__hint">{t('stock.report.webOnlyPdf')}</p>
      ) : (
        <button type="button" className="button" onClick={onPdf}>
          {t('stock.report.pdf')}
        </button>
      )}
    </section>
  );
}
