import { useI18n } from '../../../i18n/context.js';
import type { GateStatus } from '../backend.js';

export function formatAge(ms: number, t: ReturnType<typeof useI18n>['t']): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return t('entry.age.seconds', { n: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return t('entry.age.minutes', { n: minutes });
  return t('entry.age.hours', { n: Math.round(minutes / 60) });
}

/** Online/offline with a word and a symbol, the scan list's age and the queued scans (UX.md 19). */
export function GateStatusBar({ status, offlineCapable }: { status: GateStatus | null; offlineCapable: boolean }) {
  const { t } = useI18n();
  const mode = status?.mode ?? 'online';
  return (
    <ul className="entry-status" aria-label={t('entry.counters.heading')} data-testid="entry-status">
      <li className={`entry-status__mode entry-status__mode--${mode}`} data-mode={mode}>
        <span aria-hidden="true">{mode === 'online' ? '●' : '○'}</span> {t(mode === 'online' ? 'entry.status.online' : 'entry.status.offline')}
      </li>
      {offlineCapable ? (
        <>
          <li>{status?.listAgeMs === null || status === null ? t('entry.status.noList') : t('entry.status.listAge', { age: formatAge(status.listAgeMs, t) })}</li>
          <li data-testid="entry-queued">{t('entry.status.queued', { count: status?.pendingUploads ?? 0 })}</li>
        </>
      ) : (
        <li>{t('entry.status.browserOnly')}</li>
      )}
    </ul>
  );
}
