import { describe, expect, it } from 'vitest';
import { centsForCsv, csvField, filterRows, nextSort, parseEuroInput, sortRows, toCsv } from '../../../src/renderer/lib/list-tools.js';

describe('list tools', () => {
  it('sorts stably, numbers as numbers, texts the German way, empty values last in both directions', () => {
    const rows = [
      { n: 'b', v: 10 as number | null },
      { n: 'a', v: null },
      { n: 'c', v: 2 },
      { n: 'd', v: 10 },
    ];
    const value = (r: (typeof rows)[number]) => r.v;
    expect(sortRows(rows, { key: 'v', direction: 'asc' }, value).map((r) => r.n)).toEqual(['c', 'b', 'd', 'a']);
    expect(sortRows(rows, { key: 'v', direction: 'desc' }, value).map((r) => r.n)).toEqual(['b', 'd', 'c', 'a']);
    const names = ['Zander', 'Äpfel', 'apfel', 'RE-10', 'RE-9'].map((n) => ({ n }));
    expect(sortRows(names, { key: 'n', direction: 'asc' }, (r) => r.n).map((r) => r.n)).toEqual(['Äpfel', 'apfel', 'RE-9', 'RE-10', 'Zander']);
    expect(nextSort(undefined, 'x')).toEqual({ key: 'x', direction: 'asc' });
    expect(nextSort({ key: 'x', direction: 'asc' }, 'x')).toEqual({ key: 'x', direction: 'desc' });
    expect(nextSort({ key: 'x', direction: 'desc' }, 'y')).toEqual({ key: 'y', direction: 'asc' });
  });

  it('filters by every word in any order, case-insensitive', () => {
    const rows = [{ t: ['Firma Nord GmbH', 'RE-2026-1'] }, { t: ['Nordlicht', null] }, { t: ['Süd AG', 'RE-2026-2'] }];
    expect(filterRows(rows, '  nord  gmbh ', (r) => r.t)).toEqual([rows[0]]);
    expect(filterRows(rows, 'SÜD', (r) => r.t)).toEqual([rows[2]]);
    expect(filterRows(rows, '', (r) => r.t)).toHaveLength(3);
  });

  it('writes CSV that spreadsheets read as data: quoting, semicolons, and no formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+49 40 123')).toBe("'+49 40 123");
    expect(csvField('-5')).toBe('-5');
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField(-5)).toBe('-5');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('Zeile\nzwei')).toBe('"Zeile\nzwei"');
    expect(csvField(null)).toBe('');
    expect(toCsv(['Nr', 'Betrag'], [['RE-1', centsForCsv(-12_345)]])).toBe('Nr;Betrag\r\nRE-1;-123,45\r\n');
    expect(centsForCsv(5)).toBe('0,05');
  });

  it('reads euro amounts as typed at a German desk, exactly in cents', () => {
    expect(parseEuroInput('12,50')).toBe(1250);
    expect(parseEuroInput('12,5')).toBe(1250);
    expect(parseEuroInput('1.234,56 €')).toBe(123_456);
    expect(parseEuroInput(' 7 ')).toBe(700);
    expect(parseEuroInput('0,1')).toBe(10);
    for (const bad of ['', '12,345', '1,2,3', '12.5', 'abc', '-3', '1.23,00']) expect(parseEuroInput(bad), bad).toBeUndefined();
  });
});
