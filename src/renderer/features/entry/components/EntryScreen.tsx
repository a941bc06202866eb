/**
 * The gate: one huge verdict area, the scan field (a scanner works wherever the focus is), status,
 * figures, progress and the last scans. Built for a glance and for a scanner alone: no mouse needed.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { useI18n } from '../../../i18n/context.js';
import type { EntryStore } from '../store.js';
import { useWedgeScanner } from '../use-wedge-scanner.js';
import { EntryCounters } from './EntryCounters.js';
import { EntrySetup } from './EntrySetup.js';
import { GateStatusBar } from './GateStatusBar.js';
import { ProgressChart } from './ProgressChart.js';
import { RecentScans } from './RecentScans.js';
import { VerdictPanel } from './VerdictPanel.js';
import '../../floor-forms.css';
import '../entry.css';

export interface EntryScreenProps {
  readonly store: EntryStore;
  /** Key press times for the wedge detector; KeyboardEvent.timeStamp unless a test injects a clock. */
  readonly eventTime?: (event: KeyboardEvent) => number;
}

export function EntryScreen({ store, eventTime }: EntryScreenProps) {
  const { t, language } = useI18n();
  const phase = useStore(store, (s) => s.phase);
  const openList = useStore(store, (s) => s.openList);
  const gate = useStore(store, (s) => s.gate);
  const status = useStore(store, (s) => s.status);
  const offlineCapable = useStore(store, (s) => s.offlineCapable);
  const current = useStore(store, (s) => s.current);
  const countdown = useStore(store, (s) => s.countdown);
  const checking = useStore(store, (s) => s.checking);
  const recent = useStore(store, (s) => s.recent);
  const stats = useStore(store, (s) => s.stats);
  const statsError = useStore(store, (s) => s.statsError);
  const samples = useStore(store, (s) => s.samples);
  const inputRef = useRef<HTMLInputElement>(null);
  const clock = useMemo(() => new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }), [language]);
  const formatClock = useCallback((at: number) => clock.format(at), [clock]);

  useEffect(() => {
    void store.getState().loadLists();
    return () => store.getState().dispose();
  }, [store]);

  useEffect(() => {
    if (phase === 'open') inputRef.current?.focus();
  }, [phase, current]);

  const onScan = useCallback((code: string, manual: boolean) => void store.getState().scan(code, manual), [store]);
  const onKey = useCallback(
    (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        store.getState().dismiss();
        inputRef.current?.focus();
      } else if (event.key === 'F9') {
        event.preventDefault();
        void store.getState().end();
      }
    },
    [store],
  );
  useWedgeScanner({ onScan, onKey, inputRef, enabled: phase === 'open', ...(eventTime === undefined ? {} : { eventTime }) });

  if (phase !== 'open' || openList === null) {
    return (
      <div className="entry-screen entry-screen--setup">
        <EntrySetup store={store} />
      </div>
    );
  }

  return (
    <div className="entry-screen" data-testid="entry-screen">
      <div className="entry-topbar">
        <p className="entry-topbar__where">{t('entry.gateLine', { list: `${openList.eventName} – ${openList.name}`, gate })}</p>
        <GateStatusBar status={status} offlineCapable={offlineCapable} />
        <button type="button" className="button" onClick={() => void store.getState().end()}>
          {t('entry.end')}
        </button>
      </div>
      <div className="entry-main">
        <div className="entry-main__left">
          <VerdictPanel
            current={current}
            countdown={countdown}
            checking={checking > 0}
            onDismiss={() => {
              store.getState().dismiss();
              inputRef.current?.focus();
            }}
          />
          <div className="floor-field entry-scan">
            <label className="floor-field__label" htmlFor="entry-scan-input">
              {t('entry.scan.label')}
            </label>
            <input
              id="entry-scan-input"
              ref={inputRef}
              className="floor-field__input entry-scan__input"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              maxLength={200}
              aria-describedby="entry-scan-hint"
              data-testid="entry-scan-input"
            />
            <span id="entry-scan-hint" className="floor-field__hint">
              {t('entry.scan.hint')}
            </span>
          </div>
          <p className="entry-shortcuts">{t('entry.shortcuts')}</p>
        </div>
        <aside className="entry-main__side">
          <EntryCounters stats={stats} error={statsError} gate={gate} />
          <ProgressChart samples={samples} formatClock={formatClock} />
          <RecentScans scans={recent} formatClock={formatClock} />
        </aside>
      </div>
    </div>
  );
}
