import type { Language } from '../../../i18n/messages.js';

/** Date and time of a performance in the station's local time, e.g. "Sa., 12.12.2026, 20:00". */
export function formatDateTime(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(language === 'de' ? 'de-DE' : 'en-GB', { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function isSameLocalDay(iso: string, now: number): boolean {
  return new Date(iso).toDateString() === new Date(now).toDateString();
}
