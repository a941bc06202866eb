import { useEffect } from 'react';
import { cartTotalCents, MAX_PRICE_TYPES, type SalesStore } from '../store.js';
import { quickCashOptions } from '../cash.js';

/** Quick-cash keys: F9 exact, F10 10 €, F11 20 €, F12 50 € (in the order of quickCashOptions). */
export const QUICK_CASH_KEYS = ['F9', 'F10', 'F11', 'F12'] as const;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

/**
 * The counter's keys while the sales screen is open: F1…F8 add one ticket of a price type, Shift+F
 * removes one; F9…F12 pay cash (exact, 10, 20, 50 €); B best seats, N next best (not while typing);
 * Esc back to the event search (and out of the undo confirmation); Ctrl+Z undoes the last sale, when the
 * clerk may cancel (`undo` given) and there is one to undo — otherwise the field's own undo stays.
 */
export interface SalesKeyActions {
  readonly focusSearch: () => void;
  readonly undo?: () => boolean;
}

export function salesKeyHandler(store: SalesStore, actions: SalesKeyActions) {
  return (event: KeyboardEvent): void => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'z') {
      if (actions.undo?.() === true) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const fKey = /^F([1-9]|1[0-2])$/.exec(event.key);
    if (fKey !== null) {
      const number = Number(fKey[1]);
      event.preventDefault();
      if (number <= MAX_PRICE_TYPES) {
        if (event.shiftKey) store.getState().removePriceType(number - 1);
        else store.getState().addPriceType(number - 1);
        return;
      }
      if (event.shiftKey) return;
      const option = quickCashOptions(cartTotalCents(store.getState()))[QUICK_CASH_KEYS.indexOf(event.key as (typeof QUICK_CASH_KEYS)[number])];
      if (option?.enough === true) void store.getState().pay({ method: 'cash', givenCents: option.givenCents });
      return;
    }
    if (event.key === 'Escape') {
      store.getState().abortUndo();
      actions.focusSearch();
      return;
    }
    if (isTyping(event.target) || event.shiftKey) return;
    if (event.key === 'n' || event.key === 'N') {
      event.preventDefault();
      void store.getState().nextBest();
    }
  };
}

export function useSalesKeys(store: SalesStore, actions: SalesKeyActions): void {
  useEffect(() => {
    const handler = salesKeyHandler(store, actions);
    window.addEventListener('keydown', handler);
    return () => {
      window.removeEventListener('keydown', handler);
    };
  }, [store, actions]);
}
