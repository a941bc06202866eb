/** Cash at the counter: quick-cash amounts and the change to hand back. Integer cents throughout. */

/** The quick-cash buttons after "exact": notes the customer typically hands over. */
export const QUICK_CASH_NOTES_CENTS = [1000, 2000, 5000] as const;

export interface QuickCashOption {
  /** 'exact' or the note in cents. */
  readonly id: 'exact' | `${number}`;
  readonly givenCents: number;
  /** A note smaller than the total cannot pay it. */
  readonly enough: boolean;
}

export function quickCashOptions(totalCents: number): QuickCashOption[] {
  return [
    { id: 'exact', givenCents: totalCents, enough: totalCents > 0 },
    ...QUICK_CASH_NOTES_CENTS.map((note) => ({ id: `${note}` as const, givenCents: note, enough: totalCents > 0 && note >= totalCents })),
  ];
}

/** Change for a cash payment, or undefined when the amount given does not cover the total. */
export function changeCents(totalCents: number, givenCents: number): number | undefined {
  if (!Number.isSafeInteger(totalCents) || !Number.isSafeInteger(givenCents) || totalCents < 0 || givenCents < totalCents) return undefined;
  return givenCents - totalCents;
}

/**
 * Reads an amount typed by the clerk ("20", "20,50", "20.5", "1.234,56") into cents; undefined for
 * anything else. German input first: a comma is the decimal separator, a dot before three digits
 * groups thousands.
 */
export function parseEuroInput(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s|€/g, '');
  if (!/^\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$/.test(trimmed)) return undefined;
  const normalised = /,/.test(trimmed) ? trimmed.replace(/\./g, '').replace(',', '.') : /^\d{1,3}(?:\.\d{3})+$/.test(trimmed) ? trimmed.replace(/\./g, '') : trimmed;
  const [whole = '0', fraction = ''] = normalised.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}
