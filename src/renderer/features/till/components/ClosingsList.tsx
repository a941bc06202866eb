import type { TillClosingSummary } from '../../../../shared/api/till.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';

export function ClosingsList({ closings, formatDateTime, onPdf }: { closings: readonly TillClosingSummary[]; formatDateTime: (iso: string) => string; onPdf: ((c: TillClosingSummary) => void) | undefined }) {
  const { t } = useI18n();
  return (
    <section className="floor-panel" aria-labelledby="till-closings-heading">
      <h2 id="till-closings-heading">{t('till.closings.heading')}</h2>
      {closings.length === 0 ? (
        <p>{t('till.closings.empty')}</p>
      ) : (
        <table className="floor-table" data-testid="till-closings">
          <thead>
            <tr>
              <th scope="col">{t('till.closings.number')}</th>
              <th scope="col">{t('till.closings.closedAt')}</th>
              <th scope="col">{t('till.closings.user')}</th>
              <th scope="col">{t('till.closings.workstation')}</th>
              <th scope="col" className="floor-num">
                {t('till.done.expected')}
              </th>
              <th scope="col" className="floor-num">
                {t('till.done.counted')}
              </th>
              <th scope="col" className="floor-num">
                {t('till.done.difference')}
              </th>
              <th scope="col">{t('till.done.reason')}</th>
              {onPdf !== undefined && <th scope="col">PDF</th>}
            </tr>
          </thead>
          <tbody>
            {closings.map((c) => (
              <tr key={c.tillSessionId}>
                <th scope="row">{c.closingLabel}</th>
                <td>{formatDateTime(c.closedAt)}</td>
                <td>{c.user.displayName}</td>
                <td>{c.workstation.name}</td>
                <td className="floor-num">{formatEuro(c.expectedCashCents)}</td>
                <td className="floor-num">{formatEuro(c.countedCashCents)}</td>
                <td className="floor-num">{formatEuro(c.differenceCents)}</td>
                <td>{c.differenceReason ?? ''}</td>
                {onPdf !== undefined && (
                  <td>
                    <button type="button" className="button" onClick={() => onPdf(c)} aria-label={`${t('till.pdf')} ${c.closingLabel}`}>
                      {t('till.pdf')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
