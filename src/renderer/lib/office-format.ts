/** Display helpers shared by the back-office screens (German formats in both languages: the documents are German). */
import { errorText } from './error-messages.js';
import { MESSAGES, type MessageKey } from '../i18n/messages.js';
import type { MessageParams } from '../i18n/translate.js';

/** "2026-12-05" → "05.12.2026"; anything else unchanged. */
export function formatDay(day: string | null): string {
  if (day === null) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match === null ? day : `${match[3]}.${match[2]}.${match[1]}`;
}

/** An instant in German local time, "05.12.2026, 14:03:07". */
export function formatInstant(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** Today's date in German local time as YYYY-MM-DD (date inputs and API days). */
export function localDay(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(now));
}

/** A failure as a screen shows it: local refusals under `<prefix>.local.<code>`, server codes by errorText. */
export function failureMessage(
  t: (key: MessageKey, params?: MessageParams) => string,
  failure: { readonly code: string; readonly reason?: string; readonly retryAfterSeconds?: number },
  localPrefix: string,
): string {
  const local = `${localPrefix}.local.${failure.code}`;
  if (isKey(local)) return t(local);
  const text = errorText(failure);
  return t(text.key, text.params);
}

function isKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES.de, key);
}
