import type { InvoiceLine, RateTotal } from '../../../../src/shared/api/invoicing.js';

/** §33 UStDV: an invoice of at most 250 € gross may leave out the recipient and the separate tax amount. */
export const SMALL_AMOUNT_LIMIT_CENTS = 25_000;

/**
 * round(a / b) for integers, half away from zero ("kaufmännisch"), exact: no floating point is involved
 * beyond integers below 2^53.
 */
export function divRoundHalfUp(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b <= 0) throw new RangeError(`bad division ${a} / ${b}`);
  const sign = a < 0 ? -1 : 1;
  const q = Math.floor((2 * Math.abs(a) + b) / (2 * b));
  return sign * q;
}

/** Tax contained in a gross amount: round(gross × r / (100 % + r)), r in basis points. */
export const taxOfGross = (grossCents: number, rateBp: number): number => divRoundHalfUp(grossCents * rateBp, 10_000 + rateBp);

export interface Totals {
  rates: RateTotal[];
  netCents: number;
  taxCents: number;
  grossCents: number;
  smallAmount: boolean;
}

/**
 * Prices are gross (B2C box office). Lines stay gross (quantity × unit price, exact); per VAT rate the
 * gross sums are added up and the tax is computed once from that sum, half-up; net = gross − tax. So
 * three tickets of 0.10 € at 19 % give 0.30 € gross, 0.05 € tax, 0.25 € net (per-line rounding would
 * give 0.06 € tax). Rates appear in ascending order.
 */
export function computeTotals(lines: ReadonlyArray<Pick<InvoiceLine, 'lineGrossCents' | 'vatRateBp'>>): Totals {
  const perRate = new Map<number, number>();
  for (const line of lines) perRate.set(line.vatRateBp, (perRate.get(line.vatRateBp) ?? 0) + line.lineGrossCents);
  const rates = [...perRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([vatRateBp, grossCents]) => {
      const taxCents = taxOfGross(grossCents, vatRateBp);
      return { vatRateBp, netCents: grossCents - taxCents, taxCents, grossCents };
    });
  const sum = (f: (r: RateTotal) => number) => rates.reduce((s, r) => s + f(r), 0);
  const grossCents = sum((r) => r.grossCents);
  return { rates, netCents: sum((r) => r.netCents), taxCents: sum((r) => r.taxCents), grossCents, smallAmount: Math.abs(grossCents) <= SMALL_AMOUNT_LIMIT_CENTS };
}

/**
 * Net amounts per line for the e-invoice (EN 16931 is net-based): each line's share of its rate's net
 * total, rounded half-up, with the rounding remainder put on the rate's largest line, so that the line
 * nets of a rate add up exactly to the rate's net (rule BR-S-08).
 */
export function lineNets(lines: ReadonlyArray<Pick<InvoiceLine, 'position' | 'lineGrossCents' | 'vatRateBp'>>, rates: readonly RateTotal[]): Map<number, number> {
  const nets = new Map<number, number>();
  for (const rate of rates) {
    const own = lines.filter((l) => l.vatRateBp === rate.vatRateBp);
    if (own.length === 0) continue;
    let sum = 0;
    for (const line of own) {
      const net = rate.grossCents === 0 ? 0 : bigDivRoundHalfUp(BigInt(line.lineGrossCents) * BigInt(rate.netCents), BigInt(rate.grossCents));
      nets.set(line.position, net);
      sum += net;
    }
    const largest = own.reduce((a, b) => (Math.abs(b.lineGrossCents) > Math.abs(a.lineGrossCents) ? b : a));
    nets.set(largest.position, (nets.get(largest.position) ?? 0) + rate.netCents - sum);
  }
  return nets;
}

/** divRoundHalfUp for products that may exceed 2^53; the result fits (it is at most a line amount). */
function bigDivRoundHalfUp(a: bigint, b: bigint): number {
  const negative = (a < 0n) !== (b < 0n);
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const q = (2n * abs(a) + abs(b)) / (2n * abs(b));
  return Number(negative ? -q : q);
}
