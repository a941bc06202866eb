import { describe, expect, it } from 'vitest';
import { formatDateTime, formatEuro, yearIn } from '../../../../server/src/pdf/format.js';

describe('German document formatting', () => {
  it('formats cents as euros exactly, with thousands dots, a decimal comma and a non-breaking space', () => {
    expect(formatEuro(0)).toBe('0,00\u00a0€');
    expect(formatEuro(5)).toBe('0,05\u00a0€');
    expect(formatEuro(123456)).toBe('1.234,56\u00a0€');
    expect(formatEuro(-3500)).toBe('-35,00\u00a0€');
    expect(formatEuro(100_000_000_00)).toBe('100.000.000,00\u00a0€');
    expect(formatEuro(Number.MAX_SAFE_INTEGER)).toBe('90.071.992.547.409,91\u00a0€');
    expect(() => formatEuro(1.5)).toThrow(RangeError);
  });

  it('shows times and years in the outlet time zone', () => {
    const newYear = new Date('2026-12-31T23:30:00Z');
    expect(formatDateTime(newYear, 'Europe/Berlin')).toBe('01.01.2027, 00:30');
    expect(yearIn(newYear, 'Europe/Berlin')).toBe(2027);
    expect(yearIn(newYear, 'UTC')).toBe(2026);
    expect(formatDateTime(new Date('2026-07-01T10:05:00Z'), 'Europe/Berlin')).toBe('01.07.2026, 12:05');
  });
});
