import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/context.js';
import type { BoxofficeApi } from './bridge.js';
import { CheckIcon, CrossIcon, HourglassIcon } from './icons.js';
import type { Reachability } from './readiness.js';

export interface StatusPanelProps {
  /** Present inside Electron; then the shell reports itself (backend calls go through the bridge). */
  readonly bridge: BoxofficeApi | undefined;
  /** Injected by the composition root so this component touches no globals. */
  readonly checkServer: () => Promise<Reachability>;
}

export function StatusPanel({ bridge, checkServer }: StatusPanelProps) {
  const { t } = useI18n();
  return (
    <section className="status-panel" aria-labelledby="status-heading">
      <h2 id="status-heading">{t('status.heading')}</h2>
      {bridge === undefined ? (
        <>
          <ServerStatus checkServer={checkServer} />
          <WebModeNote />
        </>
      ) : (
        <p className="status status--ok" role="status">
          <CheckIcon />
          <span>{t('status.shellReady')}</span>
          <span className="status__detail">{t('status.version', { version: bridge.versions.app })}</span>
        </p>
      )}
    </section>
  );
}

/** Web mode says what works here and what only the desktop station does (issue 8, item 6). */
function WebModeNote() {
  const { t } = useI18n();
  return (
    <section className="mode-note" aria-labelledby="mode-note-heading">
      <h3 id="mode-note-heading">{t('mode.web.heading')}</h3>
      <p>{t('mode.web.note')}</p>
    </section>
  );
}

type ServerState = 'checking' | Reachability;

function ServerStatus({ checkServer }: { checkServer: () => Promise<Reachability> }) {
  const { t } = useI18n();
  const [state, setState] = useState<ServerState>('checking');
  // Only the newest check may set the state; an older, slower answer must not overwrite it.
  const latestCheck = useRef(0);

  const runCheck = useCallback(() => {
    const id = ++latestCheck.current;
    setState('checking');
    void checkServer().then((result) => {
      if (latestCheck.current === id) setState(result);
    });
  }, [checkServer]);

  useEffect(() => {
    runCheck();
    return () => {
      latestCheck.current++; // unmounted: ignore the pending answer
    };
  }, [runCheck]);

  return (
    <div className="server-status">
      {/* role=status announces each change to screen readers without moving focus. */}
      <p className={`status status--${state}`} role="status">
        {state === 'checking' ? <HourglassIcon /> : state === 'reachable' ? <CheckIcon /> : <CrossIcon />}
        <span>
          {state === 'checking'
            ? t('status.checking')
            : state === 'reachable'
              ? t('status.reachable')
              : t('status.unreachable')}
        </span>
      </p>
      {state === 'unreachable' && <p className="status__hint">{t('status.unreachableHint')}</p>}
      <button type="button" className="button" onClick={runCheck} disabled={state === 'checking'}>
        {t('status.retry')}
      </button>
    </div>
  );
}
