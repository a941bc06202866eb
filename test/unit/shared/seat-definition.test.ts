import { describe, expect, it } from 'vitest';
import {
  letterRowIndex,
  letterRowLabel,
  parseSeatDefinition,
  seatNumbersOf,
  type SeatDefinition,
  type SeatDefinitionError,
} from '../../../src/shared/domain/seat-definition.js';

function ok(text: string, options?: { maxSeats?: number }): SeatDefinition {
  const result = parseSeatDefinition(text, options);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.definition;
}

function errors(text: string, options?: { maxSeats?: number }): SeatDefinitionError[] {
  const result = parseSeatDefinition(text, options);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('seat definition: accepted forms', () => {
  it('reads the English form with numeric rows', () => {
    const def = ok('Block A rows 1-20 seats 1-30 category "Kat 1"');
    expect(def.seatCount).toBe(600);
    expect(def.categories).toEqual(['Kat 1']);
    const [range] = def.ranges;
    expect(range).toMatchObject({ line: 1, block: 'A', category: 'Kat 1', seats: { first: 1, last: 30, step: 1 }, count: 600 });
    expect(range!.rows).toHaveLength(20);
    expect(range!.rows[0]).toEqual({ label: '1', index: 1 });
    expect(range!.rows[19]).toEqual({ label: '20', index: 20 });
  });

  it('reads the German form with en dashes and German quotes', () => {
    const def = ok('Block B Reihe 1–5 Platz 1–12 Kategorie „Kat 2“');
    expect(def.ranges[0]).toMatchObject({ block: 'B', category: 'Kat 2', count: 60, seats: { first: 1, last: 12 } });
    expect(ok('Block B Reihen 1 bis 2 Plätze 3 — 4 Kategorie "Kat 2"').seatCount).toBe(4);
  });

  it('reads letter rows, in order, with their positions', () => {
    const def = ok('Block C rows A-F seats 1-10 category Parkett');
    expect(def.ranges[0]!.rows.map((r) => r.label)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(def.ranges[0]!.rows.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(def.ranges[0]!.category).toBe('Parkett');
    expect(ok('Block C rows y-ab seats 1 category X').ranges[0]!.rows.map((r) => r.label)).toEqual(['Y', 'Z', 'AA', 'AB']);
  });

  it('accepts the issue’s short form: commas, a bare category, a single row', () => {
    const def = ok('Block A rows 1–20 seats 1–30, category 1\nBlock "Rang links", row 1, seat 5, Kategorie Kat 3');
    expect(def.ranges.map((r) => [r.block, r.category, r.count])).toEqual([
      ['A', '1', 600],
      ['Rang links', 'Kat 3', 1],
    ]);
  });

  it('numbers odd and even sides separately', () => {
    const def = ok('Block L rows 1-2 seats 1-29 odd category X\nBlock L rows 1-2 seats 2-30 gerade category X');
    expect(seatNumbersOf(def.ranges[0]!.seats)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
    expect(def.ranges[1]!.seats).toEqual({ first: 2, last: 30, step: 2 });
    expect(def.seatCount).toBe(60);
    // An odd range that starts even begins at the next odd number.
    expect(ok('Block L row 1 seats 2-9 ungerade category X').ranges[0]!.seats).toEqual({ first: 3, last: 9, step: 2 });
  });

  it('ignores blank lines and comments, is case-insensitive for keywords, and normalises reversed ranges', () => {
    const def = ok('# Parkett\n\n  BLOCK A ROWS 3-1 SEATS 10-1 CATEGORY "Kat 1"  \r\n');
    expect(def.ranges[0]).toMatchObject({ line: 3, count: 30, seats: { first: 1, last: 10 } });
    expect(def.ranges[0]!.rows.map((r) => r.label)).toEqual(['1', '2', '3']);
  });

  it('allows several categories in one row when the seats do not overlap', () => {
    const def = ok('Block A row 1 seats 1-10 category "Kat 1"\nBlock A row 1 seats 11-20 category "Kat 2"');
    expect(def.categories).toEqual(['Kat 1', 'Kat 2']);
    expect(def.seatCount).toBe(20);
  });

  it('maps letter rows both ways (bijective base 26)', () => {
    for (const [label, index] of [['A', 1], ['Z', 26], ['AA', 27], ['AZ', 52], ['BA', 53], ['ZZ', 702], ['AAA', 703]] as const) {
      expect(letterRowIndex(label)).toBe(index);
      expect(letterRowLabel(index)).toBe(label);
    }
  });
});

describe('seat definition: refused input names the line', () => {
  it('refuses an empty definition', () => {
    expect(errors('   \n# nur ein Kommentar\n')).toEqual([{ line: 0, code: 'SEAT_DEFINITION_EMPTY', message: expect.any(String) }]);
  });

  it('says which keyword is missing where', () => {
    const [e] = errors('Block A rows 1-2 category "X"');
    expect(e).toMatchObject({ line: 1, code: 'SEAT_DEFINITION_SYNTAX' });
    expect(e!.message).toMatch(/^Line 1: expected "seats" or "Platz"/);
    expect(errors('Reihe 1 Platz 1 Kategorie X')[0]!.message).toMatch(/expected "Block"/);
    expect(errors('Block A rows seats 1 category X')[0]!.message).toMatch(/row number or letters/);
    expect(errors('Block A rows 1- seats 1 category X')[0]!.message).toMatch(/has no end/);
    expect(errors('Block A rows 1 seats 1 category "X')[0]!.message).toMatch(/no closing quote/);
    expect(errors('Block A rows 1 seats 1 category "X" extra')[0]!.message).toMatch(/unexpected text/);
    expect(errors('Block A rows 1 seats 1')[0]!.message).toMatch(/expected "category" or "Kategorie" but found the end of the line/);
  });

  it('reports every bad line, with its number', () => {
    const list = errors(['Block A rows 1-2 seats 1-10 category X', 'Block B rows 1-2 seats category X', '', 'Block C rows 1-A seats 1 category X'].join('\n'));
    expect(list.map((e) => [e.line, e.code])).toEqual([
      [2, 'SEAT_DEFINITION_SYNTAX'],
      [4, 'SEAT_RANGE_INVALID'],
    ]);
  });

  it('refuses ranges out of bounds', () => {
    expect(errors('Block A rows 0-2 seats 1 category X')[0]!.code).toBe('SEAT_RANGE_INVALID');
    expect(errors('Block A rows 1-10000 seats 1 category X')[0]!.code).toBe('SEAT_RANGE_INVALID');
    expect(errors('Block A rows 1 seats 1-100000 category X')[0]!.code).toBe('SEAT_RANGE_INVALID');
    expect(errors('Block A rows 1 seats 2-2 odd category X')[0]!.message).toMatch(/no odd numbers/);
    expect(errors(`Block ${'x'.repeat(51)} rows 1 seats 1 category X`)[0]!.code).toBe('SEAT_RANGE_INVALID');
  });

  it('refuses a seat defined twice, naming both lines', () => {
    const [e] = errors('Block A rows 1-5 seats 1-10 category X\nBlock B rows 1-5 seats 1-10 category X\nBlock A rows 5-6 seats 10-12 category Y');
    expect(e).toEqual({ line: 3, code: 'SEAT_OVERLAP', message: 'Line 3: block A row 5 seat 10 is already defined in line 1.' });
    // Odd and even sides of one row do not overlap; the same side does.
    expect(parseSeatDefinition('Block A row 1 seats 1-9 odd category X\nBlock A row 1 seats 2-10 even category X').ok).toBe(true);
    expect(errors('Block A row 1 seats 1-9 odd category X\nBlock A row 1 seats 5 category X')[0]!.code).toBe('SEAT_OVERLAP');
  });

  it('refuses a block that mixes row numbers and letters (their positions would collide)', () => {
    const [e] = errors('Block A rows 1-3 seats 1-5 category X\nBlock A rows A-C seats 6-9 category X');
    expect(e).toMatchObject({ line: 2, code: 'ROW_KIND_MIXED' });
    expect(parseSeatDefinition('Block A rows 1-3 seats 1-5 category X\nBlock B rows A-C seats 1-5 category X').ok).toBe(true);
  });

  it('caps the number of seats before expanding anything', () => {
    expect(errors('Block A rows 1-9999 seats 1-99999 category X')).toEqual([{ line: 0, code: 'TOO_MANY_SEATS', message: expect.stringMatching(/999890001 seats; at most 100000/) }]);
    expect(errors('Block A rows 1-10 seats 1-10 category X', { maxSeats: 99 })[0]!.code).toBe('TOO_MANY_SEATS');
    expect(ok('Block A rows 1-10 seats 1-10 category X', { maxSeats: 100 }).seatCount).toBe(100);
  });

  it('reports at most 20 errors', () => {
    const text = Array.from({ length: 50 }, () => 'Block ?').join('\n');
    expect(errors(text)).toHaveLength(20);
  });
});
