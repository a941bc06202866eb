import { createContext, useCallback, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Language, MessageKey } from './messages.js';
import type { LanguageStore } from './store.js';
import { t as translate, type MessageParams } from './translate.js';

const LanguageStoreContext = createContext<LanguageStore | null>(null);

export function I18nProvider({ store, children }: { store: LanguageStore; children: ReactNode }) {
  return <LanguageStoreContext.Provider value={store}>{children}</LanguageStoreContext.Provider>;
}

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: (key: MessageKey, params?: MessageParams) => string;
}

export function useI18n(): I18n {
  const store = useContext(LanguageStoreContext);
  if (store === null) throw new Error('useI18n outside <I18nProvider>');
  const language = useStore(store, (state) => state.language);
  const setLanguage = useStore(store, (state) => state.setLanguage);
  const t = useCallback((key: MessageKey, params?: MessageParams) => translate(language, key, params), [language]);
  return { language, setLanguage, t };
}
