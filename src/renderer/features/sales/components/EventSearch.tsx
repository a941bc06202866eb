import { forwardRef, useEffect, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { useI18n } from '../../../i18n/context.js';
import type { SalesStore } from '../store.js';
import { formatDateTime } from './format.js';

/** Wait this long after the last keystroke before asking the server (type-ahead). */
export const SEARCH_DEBOUNCE_MS = 200;

export interface EventSearchProps {
  readonly store: SalesStore;
  readonly onChosen: () => void;
}

/** Type-ahead event search: a combobox with the results as a listbox; ↓/↑ pick, Enter takes. */
export const EventSearch = forwardRef<HTMLInputElement, EventSearchProps>(function EventSearch({ store, onChosen }, ref) {
  const { t, language } = useI18n();
  const results = useStore(store, (state) => state.results);
  const searching = useStore(store, (state) => state.searching);
  const chosen = useStore(store, (state) => state.event?.id);
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      void store.getState().search(text);
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [text, store]);

  useEffect(() => {
    setActive(0);
  }, [results]);

  const choose = (eventId: string) => {
    void store
      .getState()
      .chooseEvent(eventId)
      .then(() => {
        onChosen();
      });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      setActive((index) => Math.min(results.length - 1, index + 1));
      event.preventDefault();
    } else if (event.key === 'ArrowUp') {
      setActive((index) => Math.max(0, index - 1));
      event.preventDefault();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const state = store.getState();
      if (state.searching || state.query !== text) {
        // Typed faster than the type-ahead: search for what is in the box now and take its first hit.
        void state.search(text).then(() => {
          const first = store.getState().results[0];
          if (first !== undefined) choose(first.id);
        });
        return;
      }
      const target = results[active];
      if (target !== undefined) choose(target.id);
    }
  };

  const activeId = results[active] === undefined ? undefined : `event-option-${results[active].id}`;
  return (
    <section className="sales__search" aria-labelledby="event-search-label">
      <label id="event-search-label" htmlFor="event-search">
        {t('sales.search.label')}
      </label>
      <input
        ref={ref}
        id="event-search"
        type="search"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="event-results"
        aria-activedescendant={activeId}
        aria-autocomplete="list"
        aria-describedby="event-search-hint"
        autoComplete="off"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      <p id="event-search-hint" className="hint">
        {t('sales.search.hint')}
      </p>
      {searching ? <p role="status">{t('sales.search.searching')}</p> : null}
      {!searching && results.length === 0 ? <p role="status">{t('sales.search.none')}</p> : null}
      <ul id="event-results" role="listbox" aria-label={t('sales.search.results')} className="sales__results">
        {results.map((event, index) => (
          <li
            key={event.id}
            id={`event-option-${event.id}`}
            role="option"
            aria-selected={index === active}
            data-chosen={event.id === chosen}
            className="sales__result"
            onClick={() => {
              choose(event.id);
            }}
          >
            <strong>{event.name}</strong>
            <span>
              {formatDateTime(event.startsAt, language)} · {event.venue.name}, {event.venue.city}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
});
