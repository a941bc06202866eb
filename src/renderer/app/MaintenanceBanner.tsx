import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/context.js';
import { ErrorNotice } from '../lib/ErrorNotice.js';
import type { CodedError } from '../lib/error-messages.js';
import { MAINTENANCE_POLL_MS, maintenanceApi, maintenanceToShow, type MaintenanceNoticeData } from './maintenance.js';
import { useServices } from './services.js';

/** The window asked from the server, once or every `pollMs`; the last known one stays while the server cannot be asked. */
function useMaintenance(pollMs: number | undefined): MaintenanceNoticeData | undefined | null {
  const { backend } = useServices();
  const api = useMemo(() => maintenanceApi(backend), [backend]);
  // null: not known yet.
  const [notice, setNotice] = useState<MaintenanceNoticeData | undefined | null>(null);
  useEffect(() => {
    let alive = true;
    const ask = async () => {
      const result = await api.status();
      if (alive && result.ok) setNotice(maintenanceToShow(result.value));
      if (alive && !result.ok) setNotice((known) => (known === null ? undefined : known));
    };
    void ask();
    const timer = pollMs === undefined ? undefined : window.setInterval(() => void ask(), pollMs);
    return () => {
      alive = false;
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [api, pollMs]);
  return notice;
}

/** "Wartung läuft: <text> Voraussichtlich bis 04.12., 22:00 Uhr." and the scheduled variant. */
function useMaintenanceText(): (notice: MaintenanceNoticeData) => string {
  const { t, language } = useI18n();
  const format = useMemo(() => new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }), [language]);
  return (notice) => {
    const until = notice.until === null ? t('maintenance.openEnd') : t('maintenance.until', { until: format.format(notice.until) });
    return notice.active ? t('maintenance.active', { message: notice.message, until }) : t('maintenance.scheduled', { from: format.format(notice.from), message: notice.message, until });
  };
}

/** The shell's lasting banner (polled every 60 s) while a window is active or starts within the hour. */
export function MaintenanceBanner({ pollMs = MAINTENANCE_POLL_MS }: { readonly pollMs?: number }) {
  const notice = useMaintenance(pollMs);
  const text = useMaintenanceText();
  if (notice === null || notice === undefined) return null;
  return (
    <div className={notice.active ? 'notice notice--error maintenance-banner' : 'notice notice--warning maintenance-banner'} role="status" data-testid="maintenance-banner" data-active={notice.active}>
      {text(notice)}
    </div>
  );
}

/**
 * A screen's MAINTENANCE (503) answer: the same text as the banner, asked from the server once; the
 * general maintenance message when the window cannot be read.
 */
export function MaintenanceError({ error }: { readonly error: CodedError }) {
  const notice = useMaintenance(undefined);
  const text = useMaintenanceText();
  if (notice === null || notice === undefined) return <ErrorNotice error={error} />;
  return (
    <p className="notice notice--error" role="alert" data-code={error.code}>
      {text(notice)}
    </p>
  );
}
