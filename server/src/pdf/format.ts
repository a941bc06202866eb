/** German formatting for printed documents. Money stays in integer cents until the last step. */

export { formatEuro } from '../../../src/shared/money-format.js';

/** "04.12.2026, 18:30" in the given IANA time zone. */
export function formatDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('de-DE', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** The calendar year of an instant in the given time zone (a closing at 00:30 on 1 January belongs to the new year). */
export function yearIn(at: Date, timeZone: string): number {
  const year = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at);
  return Number(year);
}
