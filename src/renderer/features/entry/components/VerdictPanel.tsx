import { useI18n } from '../../../i18n/context.js';
import { errorText } from '../../../lib/error-messages.js';
import type { ShownScan } from '../store.js';
import type { VerdictTone } from '../verdict-display.js';

/** Icon per tone: the shape differs too, not only the colour (UX.md 17, 23). */
export function ToneIcon({ tone, size }: { tone: VerdictTone; size: number }) {
  return (
    <svg className="entry-icon" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      {tone === 'admit' && <path d="M10 25 L20 35 L38 13" fill="none" stroke="currentColor" strokeWidth="6" strokeLinecap="round" strokeLinejoin="round" />}
      {tone === 'refuse' && <path d="M13 13 L35 35 M35 13 L13 35" fill="none" stroke="currentColor" strokeWidth="6" strokeLinecap="round" />}
      {tone === 'warn' && (
        <>
          <path d="M24 6 L44 42 L4 42 Z" fill="none" stroke="currentColor" strokeWidth="4" strokeLinejoin="round" />
          <path d="M24 18 L24 30" stroke="currentColor" strokeWidth="5" strokeLinecap="round" />
          <circle cx="24" cy="36" r="2.6" fill="currentColor" />
        </>
      )}
    </svg>
  );
}

export interface VerdictPanelProps {
  readonly current: ShownScan | null;
  readonly countdown: number;
  readonly checking: boolean;
  readonly onDismiss: () => void;
}

/** The huge verdict area a gate glances at: icon + word + colour, the reason in plain words. */
export function VerdictPanel({ current, countdown, checking, onDismiss }: VerdictPanelProps) {
  const { t } = useI18n();
  if (current === null) {
    return (
      <section className="entry-verdict entry-verdict--idle" aria-live="polite" aria-atomic="true" data-testid="entry-verdict" data-tone="idle">
        <p className="entry-verdict__waiting">{checking ? t('entry.scan.checking') : t('entry.waiting')}</p>
      </section>
    );
  }
  const d = current.display;
  const reason = 'errorCode' in d.reason ? (() => {
    const e = errorText({ code: d.reason.errorCode });
    return t(e.key, e.params);
  })() : t(d.reason.key, d.reason.params);
  const ticket = current.verdict?.ticket;
  return (
    <section
      className={`entry-verdict entry-verdict--${d.tone}`}
      aria-live="assertive"
      aria-atomic="true"
      data-testid="entry-verdict"
      data-tone={d.tone}
      data-verdict={d.word}
    >
      <div className="entry-verdict__head">
        <ToneIcon tone={d.tone} size={120} />
        <p className="entry-verdict__word" data-testid="entry-verdict-word">
          {t(d.wordKey)}
        </p>
      </div>
      <p className="entry-verdict__reason" data-testid="entry-verdict-reason">
        {reason}
      </p>
      {ticket !== undefined && (
        <p className="entry-verdict__ticket">
          {ticket.categoryName}
          {ticket.seat === null ? '' : ` · ${ticket.seat}`}
        </p>
      )}
      <p className="entry-verdict__meta">
        <span>…{current.codeTail}</span>
        {d.offline && <span className="entry-badge">{t('entry.offlineChecked')}</span>}
        {current.manual && <span className="entry-badge">{t('entry.manual')}</span>}
        <span className="entry-verdict__countdown" data-testid="entry-countdown">
          {t('entry.countdown', { seconds: countdown })}
        </span>
        <button type="button" className="button entry-verdict__dismiss" onClick={onDismiss}>
          {t('entry.dismiss')}
        </button>
      </p>
    </section>
  );
}
