import { useEffect, useId, useRef, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { useI18n } from '../../../i18n/context.js';
import { errorText } from '../../../lib/error-messages.js';
import type { EntryStore } from '../store.js';

/** Entry list and gate name, chosen once at the start of a shift; Enter starts. */
export function EntrySetup({ store }: { store: EntryStore }) {
  const { t } = useI18n();
  const phase = useStore(store, (s) => s.phase);
  const lists = useStore(store, (s) => s.lists);
  const listsError = useStore(store, (s) => s.listsError);
  const selected = useStore(store, (s) => s.selectedListId);
  const gate = useStore(store, (s) => s.gate);
  const setupError = useStore(store, (s) => s.setupError);
  const gateRef = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    if (phase === 'setup') gateRef.current?.focus();
  }, [phase]);

  if (phase === 'loading') return <p role="status">{t('entry.setup.loading')}</p>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().start();
  };
  const errorMessage = (() => {
    if (setupError === 'GATE_REQUIRED') return t('entry.setup.gateRequired');
    const e = setupError ?? listsError;
    if (e === null) return null;
    const text = errorText(e);
    return t(text.key, text.params);
  })();

  return (
    <form className="entry-setup" onSubmit={submit} aria-labelledby="entry-setup-heading">
      <h2 id="entry-setup-heading">{t('entry.setup.heading')}</h2>
      {lists.length === 0 && listsError === null ? (
        <p>{t('entry.setup.noLists')}</p>
      ) : (
        <>
          <div className="floor-field">
            <label className="floor-field__label" htmlFor={`${id}-list`}>
              {t('entry.setup.list')}
            </label>
            <select id={`${id}-list`} className="floor-field__input" value={selected ?? ''} onChange={(e) => store.getState().selectList(e.target.value)} disabled={phase === 'opening'}>
              {lists.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.eventName} – {l.name}
                </option>
              ))}
            </select>
          </div>
          <div className="floor-field">
            <label className="floor-field__label" htmlFor={`${id}-gate`}>
              {t('entry.setup.gate')}
            </label>
            <input
              id={`${id}-gate`}
              ref={gateRef}
              className="floor-field__input"
              value={gate}
              maxLength={100}
              onChange={(e) => store.getState().setGate(e.target.value)}
              aria-describedby={`${id}-gate-hint`}
              aria-invalid={setupError === 'GATE_REQUIRED'}
              disabled={phase === 'opening'}
            />
            <span id={`${id}-gate-hint`} className="floor-field__hint">
              {t('entry.setup.gateHint')}
            </span>
          </div>
          <button type="submit" className="button floor-button--primary" disabled={phase === 'opening' || selected === null}>
            {t('entry.setup.start')}
          </button>
        </>
      )}
      {errorMessage !== null && (
        <p role="alert" className="entry-setup__error">
          {errorMessage}
        </p>
      )}
    </form>
  );
}
