import { describe, expect, it } from 'vitest';
import { computeTotals, divRoundHalfUp, lineNets, taxOfGross } from '../../../../server/src/modules/invoicing/totals.js';

describe('invoice totals (gross prices, tax per rate from the gross sum)', () => {
  it('rounds half away from zero, exactly', () => {
    expect([divRoundHalfUp(5, 2), divRoundHalfUp(-5, 2), divRoundHalfUp(4, 3), divRoundHalfUp(5, 3), divRoundHalfUp(-5, 3), divRoundHalfUp(0, 7)]).toEqual([3, -3, 1, 2, -2, 0]);
    expect(() => divRoundHalfUp(1.5, 2)).toThrow(RangeError);
  });

  it('takes the tax of 3 × 0.10 € at 19 % from the 0.30 € sum (0.05 €), not per line (0.06 €)', () => {
    const t = computeTotals([10, 10, 10].map((g) => ({ lineGrossCents: g, vatRateBp: 1900 })));
    expect(t).toEqual({ rates: [{ vatRateBp: 1900, netCents: 25, taxCents: 5, grossCents: 30 }], netCents: 25, taxCents: 5, grossCents: 30, smallAmount: true });
    expect(3 * taxOfGross(10, 1900)).toBe(6);
  });

  it('keeps rates apart and orders them', () => {
    const t = computeTotals([
      { lineGrossCents: 490, vatRateBp: 1900 },
      { lineGrossCents: 7000, vatRateBp: 700 },
      { lineGrossCents: 1000, vatRateBp: 0 },
    ]);
    expect(t.rates).toEqual([
      { vatRateBp: 0, netCents: 1000, taxCents: 0, grossCents: 1000 },
      { vatRateBp: 700, netCents: 6542, taxCents: 458, grossCents: 7000 },
      { vatRateBp: 1900, netCents: 412, taxCents: 78, grossCents: 490 },
    ]);
    expect(t.netCents + t.taxCents).toBe(t.grossCents);
  });

  it('marks invoices up to 250 € gross as small-amount invoices', () => {
    expect(computeTotals([{ lineGrossCents: 25_000, vatRateBp: 700 }]).smallAmount).toBe(true);
    expect(computeTotals([{ lineGrossCents: 25_001, vatRateBp: 700 }]).smallAmount).toBe(false);
  });

  it('negates symmetrically, so a cancellation equals the negated original', () => {
    for (const gross of [1, 30, 107, 999, 12_345, 55_000]) {
      for (const rate of [700, 1900]) expect(taxOfGross(-gross, rate)).toBe(-taxOfGross(gross, rate));
    }
  });

  it('splits a rate net over its lines so that the lines add up exactly (BR-S-08)', () => {
    for (const grosses of [[10, 10, 10], [3500, 3500, 490], [1, 2, 3, 4, 5, 6, 7], [99_999, 1, 1]]) {
      const lines = grosses.map((g, i) => ({ position: i + 1, lineGrossCents: g, vatRateBp: 1900 }));
      const t = computeTotals(lines);
      const nets = lineNets(lines, t.rates);
      expect([...nets.values()].reduce((s, n) => s + n, 0)).toBe(t.netCents);
      for (const l of lines) expect(Math.abs((nets.get(l.position) ?? 0) - Math.round((l.lineGrossCents * 100) / 119))).toBeLessThanOrEqual(grosses.length);
    }
  });
});
