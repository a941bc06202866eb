import { describe, expect, it } from 'vitest';
import { changeCents, parseEuroInput, quickCashOptions } from '../../../../src/renderer/features/sales/cash.js';

describe('cash at the counter', () => {
  it('offers exact and the notes that cover the total', () => {
    expect(quickCashOptions(3700)).toEqual([
      { id: 'exact', givenCents: 3700, enough: true },
      { id: '1000', givenCents: 1000, enough: false },
      { id: '2000', givenCents: 2000, enough: false },
      { id: '5000', givenCents: 5000, enough: true },
    ]);
    expect(quickCashOptions(0).every((option) => !option.enough)).toBe(true);
  });

  it('computes the change in cents, or refuses an amount that does not cover the total', () => {
    expect(changeCents(3700, 5000)).toBe(1300);
    expect(changeCents(3700, 3700)).toBe(0);
    expect(changeCents(3700, 3699)).toBeUndefined();
    expect(changeCents(1999, 2000)).toBe(1);
    expect(changeCents(-1, 0)).toBeUndefined();
    expect(changeCents(0.5, 1)).toBeUndefined();
  });

  it('reads typed amounts the German way', () => {
    expect(parseEuroInput('20')).toBe(2000);
    expect(parseEuroInput('20,5')).toBe(2050);
    expect(parseEuroInput('20,05')).toBe(2005);
    expect(parseEuroInput('20.50')).toBe(2050);
    expect(parseEuroInput('1.234,56')).toBe(123456);
    expect(parseEuroInput('1.000')).toBe(100000);
    expect(parseEuroInput(' 50 € ')).toBe(5000);
    for (const bad of ['', 'abc', '20,555', '-5', '1,2,3', '12.34.56']) expect(parseEuroInput(bad), bad).toBeUndefined();
  });
});
