import { Suspense, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useI18n } from '../i18n/context.js';
import { errorText } from '../lib/error-messages.js';
import { formatTimeLeft } from './format.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { MaintenanceBanner } from './MaintenanceBanner.js';
import type { NavigationStore } from './navigation.js';
import { visibleScreens, type ScreenDefinition } from './screens.js';
import { useServices } from './services.js';

/** Below this the header warns that the session ends soon (sessions end after 8 h at the latest). */
const SESSION_WARNING_MS = 10 * 60_000;

export interface ShellProps {
  readonly screens: readonly ScreenDefinition[];
  readonly navigation: NavigationStore;
}

/** Header, rights-scoped navigation with Alt+digit shortcuts, and the open screen. */
export function Shell({ screens, navigation }: ShellProps) {
  const { t } = useI18n();
  const { session } = useServices();
  const info = useStore(session, (state) => state.session);
  const hasAny = useStore(session, (state) => state.hasAny);
  const current = useStore(navigation, (state) => state.current);
  // Recomputed when the session (and so its rights) changes.
  const allowed = useMemo(() => (info === undefined ? [] : visibleScreens(screens, hasAny)), [screens, hasAny, info]);
  const open = allowed.find((screen) => screen.id === current) ?? allowed[0];

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const digit = /^Digit([0-9])$/.exec(event.code)?.[1];
      const target = digit === undefined ? undefined : allowed.find((screen) => screen.shortcut === digit);
      if (target === undefined) return;
      event.preventDefault();
      navigation.getState().go(target.id);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [allowed, navigation]);

  return (
    <div className="shell">
      <ShellHeader />
      <MaintenanceBanner />
      <div className="shell__body">
        <nav className="shell__nav" aria-label={t('shell.navigation')}>
          <ul>
            {allowed.map((screen) => (
              <li key={screen.id}>
                <button
                  type="button"
                  className="shell__nav-button"
                  aria-current={screen.id === open?.id ? 'page' : undefined}
                  aria-keyshortcuts={`Alt+${screen.shortcut}`}
                  onClick={() => {
                    navigation.getState().go(screen.id);
                  }}
                >
                  <span>{t(screen.titleKey)}</span>
                  <kbd>{t('shell.shortcut', { digit: screen.shortcut })}</kbd>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="shell__main" id="main">
          {open === undefined ? (
            <p role="status">{t('shell.noScreens')}</p>
          ) : (
            <Suspense fallback={<p role="status">{t('shell.loading')}</p>}>
              <h1 className="visually-hidden">{t(open.titleKey)}</h1>
              <open.component key={open.id} />
            </Suspense>
          )}
        </main>
      </div>
    </div>
  );
}

function ShellHeader() {
  const { t } = useI18n();
  const { session, now } = useServices();
  const info = useStore(session, (state) => state.session);
  const workstation = useStore(session, (state) => state.workstation);
  const busy = useStore(session, (state) => state.busy);
  const [timeLeft, setTimeLeft] = useState(() => session.getState().timeLeftMs());

  useEffect(() => {
    const tick = () => {
      const left = session.getState().timeLeftMs();
      setTimeLeft(left);
      if (left <= 0) session.getState().sessionEnded({ code: 'SESSION_EXPIRED' });
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => {
      window.clearInterval(timer);
    };
  }, [session, now]);

  if (info === undefined) return null;
  const short = timeLeft <= SESSION_WARNING_MS;
  return (
    <header className="shell__header">
      <p className="shell__title">{t('app.title')}</p>
      <div className="shell__facts">
        <span>{t('shell.user', { name: info.user.displayName })}</span>
        {workstation.state === 'ok' ? (
          <span>
            {t('shell.tenant', { tenant: workstation.whoami.tenant.name })} · {t('shell.workstation', { workstation: workstation.whoami.workstation.name })}
          </span>
        ) : null}
        <span className={short ? 'shell__session shell__session--short' : 'shell__session'} data-testid="session-left" role="timer" aria-live="off">
          {t(short ? 'shell.sessionLeftShort' : 'shell.sessionLeft', { time: formatTimeLeft(timeLeft) })}
        </span>
      </div>
      <LanguageSwitch />
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          void session.getState().logout();
        }}
      >
        {t('shell.logout')}
      </button>
    </header>
  );
}

/** The text for why the last session ended, or undefined. */
export function useEndNotice(): string | undefined {
  const { t } = useI18n();
  const { session } = useServices();
  const ended = useStore(session, (state) => state.ended);
  if (ended === undefined) return undefined;
  const text = errorText({ code: ended.code, ...(ended.reason === undefined ? {} : { reason: ended.reason }) });
  return t(text.key, text.params);
}
