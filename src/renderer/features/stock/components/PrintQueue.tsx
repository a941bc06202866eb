import type { PendingPrintJob } from '../../../../shared/api/printing.js';
import { useI18n } from '../../../i18n/context.js';
import type { UnresolvedJob } from '../backend.js';

/** Jobs the server has no outcome for, and (desktop) the station's own failed jobs with a retry. */
export function PrintQueue({
  pending,
  stationJobs,
  formatDateTime,
  onRetry,
  busy,
}: {
  pending: readonly PendingPrintJob[];
  stationJobs: readonly UnresolvedJob[];
  formatDateTime: (iso: string) => string;
  onRetry: ((jobId: string) => void) | undefined;
  busy: boolean;
}) {
  const { t } = useI18n();
  return (
    <section className="floor-panel" aria-labelledby="stock-queue-heading">
      <h2 id="stock-queue-heading">{t('stock.queue.heading')}</h2>
      {onRetry !== undefined && stationJobs.length > 0 && (
        <>
          <h3>{t('stock.station.heading')}</h3>
          <ul className="stock-jobs" data-testid="station-jobs">
            {stationJobs.map((j) => (
              <li key={j.jobId} className={`stock-job stock-job--${j.state}`}>
                <span aria-hidden="true">{j.state === 'failed' ? '✕' : '…'}</span> {t(`stock.station.${j.state}`)} · {t('stock.queue.blanks')} {j.blankNumbers.join(', ')}
                {j.report.error !== undefined && ` · ${j.report.error.code}`}
                {j.state === 'failed' && j.report.retryable && (
                  <button type="button" className="button" onClick={() => onRetry(j.jobId)} disabled={busy}>
                    {t('stock.station.retry')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {pending.length === 0 ? (
        <p>{t('stock.queue.empty')}</p>
      ) : (
        <table className="floor-table" data-testid="print-queue">
          <thead>
            <tr>
              <th scope="col">{t('stock.queue.order')}</th>
              <th scope="col">{t('stock.queue.created')}</th>
              <th scope="col">{t('stock.queue.workstation')}</th>
              <th scope="col">{t('stock.queue.blanks')}</th>
              <th scope="col">{t('stock.queue.state')}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((j) => (
              <tr key={j.printJobId}>
                <th scope="row">{j.orderNumber}</th>
                <td>{formatDateTime(j.createdAt)}</td>
                <td>{j.workstation.name}</td>
                <td>{j.pendingBlanks.join(', ')}</td>
                <td>
                  <span aria-hidden="true">{j.unresolved ? '! ' : '… '}</span>
                  {t(j.unresolved ? 'stock.queue.unresolved' : 'stock.queue.pending')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
