import type { EntryStats } from '../../../../shared/api/entry.js';
import { useI18n } from '../../../i18n/context.js';
import type { CodedFailure } from '../backend.js';

/** Scanned / inside / expected, and per gate (UX.md 19). */
export function EntryCounters({ stats, error, gate }: { stats: EntryStats | null; error: CodedFailure | null; gate: string }) {
  const { t } = useI18n();
  if (stats === null) return error === null ? null : <p role="status">{t('entry.counters.unavailable')}</p>;
  const scanned = stats.admitted + stats.refused;
  return (
    <section className="entry-counters" aria-labelledby="entry-counters-heading">
      <h2 id="entry-counters-heading" className="entry-side__heading">
        {t('entry.counters.heading')}
      </h2>
      <dl className="entry-counters__totals">
        <div>
          <dt>{t('entry.counters.scanned')}</dt>
          <dd data-testid="entry-count-scanned">{scanned}</dd>
        </div>
        <div>
          <dt>{t('entry.counters.inside')}</dt>
          <dd data-testid="entry-count-inside">{stats.inside}</dd>
        </div>
        <div>
          <dt>{t('entry.counters.expected')}</dt>
          <dd data-testid="entry-count-expected">{stats.expected}</dd>
        </div>
      </dl>
      {stats.perGate.length > 0 && (
        <table className="entry-counters__gates">
          <thead>
            <tr>
              <th scope="col">{t('entry.counters.gate')}</th>
              <th scope="col">{t('entry.counters.admitted')}</th>
              <th scope="col">{t('entry.counters.refused')}</th>
              <th scope="col">{t('entry.counters.lastMinute')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.perGate.map((g) => (
              <tr key={g.gate} className={g.gate === gate ? 'entry-counters__own' : undefined}>
                <th scope="row">{g.gate}</th>
                <td>{g.admitted}</td>
                <td>{g.refused}</td>
                <td>{g.lastMinute}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error !== null && <p role="status">{t('entry.counters.unavailable')}</p>}
    </section>
  );
}
