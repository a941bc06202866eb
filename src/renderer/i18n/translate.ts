import { MESSAGES, type Language, type MessageKey } from './messages.js';

export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Looks up a text and fills `{name}` placeholders. A placeholder without a value stays visible as
 * `{name}` so a missing argument shows up in testing instead of silently vanishing.
 */
export function t(language: Language, key: MessageKey, params?: MessageParams): string {
  const text = MESSAGES[language][key];
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : String(value);
  });
}

export function isLanguage(value: unknown): value is Language {
  return value === 'de' || value === 'en';
}
