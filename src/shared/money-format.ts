/** German money formatting for printed documents (tickets, invoices, reports): integer cents until the last step. */

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
