import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Language } from './messages.js';

export interface LanguageState {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
}

export type LanguageStore = StoreApi<LanguageState>;

/**
 * A factory instead of a module-level store: the composition root (main.tsx) creates the one
 * instance and hands it down through context, and tests create their own.
 */
export function createLanguageStore(initial: Language = 'de'): LanguageStore {
  return createStore<LanguageState>()((set) => ({
    language: initial,
    setLanguage: (language) => {
      set({ language });
    },
  }));
}
