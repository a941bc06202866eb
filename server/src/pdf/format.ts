/** German formatting for printed documents. Money stays in integer cents until the last step. */

const NBSP = '\u00a0';

/** 123456 → "1.234,56 €", -50 → "-0,50 €"; exact for every safe integer (no floating point). */
export function formatEuro(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not an integer amount of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${euros},${(abs % 100).toString().padStart(2, '0')}${NBSP}€`;
}

/** "04.12.2026, 18:30" in the given IANA time zone. */
export function formatDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('de-DE', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** The calendar year of an instant in the given time zone (a closing at 00:30 on 1 January belongs to the new year). */
export function yearIn(at: Date, timeZone: string): number {
  const year = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at);
  return Number(year);
}
