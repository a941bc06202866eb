/**
 * Reads an amount typed at the till ("150", "150,5", "1.234,56", "12.50") into integer cents, or
 * undefined. Text only, no floating point: a comma is the decimal separator; a dot is one too when it
 * is followed by one or two digits at the end, and groups thousands otherwise.
 */
export function parseCashInput(text: string): number | undefined {
  const t = text.replace(/[\s\u00a0€]/g, '');
  const match = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:[,.](\d{1,2}))?$/.exec(t);
  if (match === null) return undefined;
  const euros = Number((match[1] as string).replace(/\./g, ''));
  const cents = euros * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** Cents as the clerk would type them back: 15000 → "150,00". */
export function centsToInput(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}
