import { describe, expect, it } from 'vitest';
import { createLanguageStore } from '../../../src/renderer/i18n/store.js';

describe('createLanguageStore', () => {
  it('starts in German', () => {
    expect(createLanguageStore().getState().language).toBe('de');
  });

  it('switches language and notifies subscribers', () => {
    const store = createLanguageStore();
    const seen: string[] = [];
    store.subscribe((state) => seen.push(state.language));
    store.getState().setLanguage('en');
    expect(store.getState().language).toBe('en');
    expect(seen).toEqual(['en']);
  });

  it('gives every caller its own store', () => {
    const first = createLanguageStore();
    const second = createLanguageStore();
    first.getState().setLanguage('en');
    expect(second.getState().language).toBe('de');
  });
});
