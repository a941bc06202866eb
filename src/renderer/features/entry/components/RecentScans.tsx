import { useI18n } from '../../../i18n/context.js';
import type { ShownScan } from '../store.js';
import { ToneIcon } from './VerdictPanel.js';

export function RecentScans({ scans, formatClock }: { scans: readonly ShownScan[]; formatClock: (at: number) => string }) {
  const { t } = useI18n();
  return (
    <section className="entry-recent" aria-labelledby="entry-recent-heading">
      <h2 id="entry-recent-heading" className="entry-side__heading">
        {t('entry.recent.heading')}
      </h2>
      {scans.length === 0 ? (
        <p>{t('entry.recent.empty')}</p>
      ) : (
        <ol className="entry-recent__list" data-testid="entry-recent">
          {scans.map((s) => (
            <li key={s.id} className={`entry-recent__item entry-recent__item--${s.display.tone}`} data-verdict={s.display.word}>
              <ToneIcon tone={s.display.tone} size={20} />
              <span className="entry-recent__time">{formatClock(s.at)}</span>
              <span className="entry-recent__word">{t(s.display.wordKey)}</span>
              <span className="entry-recent__code">…{s.codeTail}</span>
              {s.display.offline && <span className="entry-badge">{t('entry.offlineChecked')}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
