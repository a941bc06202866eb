import { describe, expect, it } from 'vitest';
import {
  BLANK_HEIGHT_MM,
  blankOrigin,
  calibrationFromTenths,
  mmToPt,
  PAGE_HEIGHT_MM,
  planSheets,
  SheetPlanError,
  slotOfBlank,
  STUB,
  stubModuleMm,
  TICKET,
} from '../../../../src/shared/ticket-sheet/layout.js';
import { sampleFace } from '../../../../src/shared/ticket-sheet/sample-faces.js';
import { euro, eventDateTime, shortDateTime, ticketTexts, vatRate } from '../../../../src/shared/ticket-sheet/ticket-text.js';
import { fitLines } from '../../../../src/shared/ticket-sheet/text-fit.js';

describe('sheet geometry', () => {
  it('is A4 with three blanks of 99 mm', () => {
    expect(BLANK_HEIGHT_MM * 3).toBe(PAGE_HEIGHT_MM);
    expect(BLANK_HEIGHT_MM).toBe(99);
    expect(mmToPt(210)).toBeCloseTo(595.2756, 4);
    expect(mmToPt(297)).toBeCloseTo(841.8898, 4);
  });

  it('keeps the ticket left of the perforation and everything inside its blank', () => {
    expect(TICKET.right).toBeLessThan(STUB.left);
    expect(TICKET.reprintY).toBeLessThan(BLANK_HEIGHT_MM - 5);
    // "DUPLIKAT" sits below the four meta lines, right of the barcode, and ends above the blank's margin.
    expect(TICKET.duplicateY).toBeGreaterThan(TICKET.metaY + 4 * TICKET.metaLineMm);
    expect(TICKET.duplicateY + (TICKET.duplicateFontPt * 1.17) / mmToPt(1)).toBeLessThan(BLANK_HEIGHT_MM - 7);
    expect(STUB.duplicateY).toBeGreaterThan(STUB.blankY + 3);
    expect(TICKET.barcodeTextY).toBeGreaterThan(TICKET.barcodeY + TICKET.barcodeHeight);
  });

  it('puts blank 3n−2 … 3n on sheet n, slots 1 to 3', () => {
    expect([1, 2, 3, 4, 5, 6, 300].map(slotOfBlank)).toEqual([1, 2, 3, 1, 2, 3, 3]);
    expect(() => slotOfBlank(0)).toThrow(RangeError);
    expect(() => slotOfBlank(1.5)).toThrow(RangeError);
  });

  it('adds the calibration offset to every blank origin', () => {
    const calibration = calibrationFromTenths(15, -23);
    expect(calibration).toEqual({ offsetXMm: 1.5, offsetYMm: -2.3 });
    expect(blankOrigin(1, calibration)).toEqual({ x: 1.5, y: -2.3 });
    expect(blankOrigin(3, calibration)).toEqual({ x: 1.5, y: 198 - 2.3 });
    expect(() => calibrationFromTenths(201, 0)).toThrow(RangeError);
    expect(() => calibrationFromTenths(0, Number.NaN)).toThrow(RangeError);
  });

  it('sizes the stub barcode within the readable range', () => {
    expect(stubModuleMm('1'.repeat(156))).toBe(STUB.maxModuleMm);
    expect(stubModuleMm('1'.repeat(400))).toBe(STUB.minModuleMm);
  });
});

describe('planSheets', () => {
  const faces = (first: number, count: number) => Array.from({ length: count }, (_, i) => sampleFace(first + i));

  it('fills sheets by blank number, starting at the chosen position', () => {
    const plan = planSheets(faces(5, 5), 2);
    expect(plan.map((sheet) => sheet.sheetNumber)).toEqual([2, 3]);
    expect(plan[0]!.slots.map((slot) => slot?.blankNumber ?? null)).toEqual([null, 5, 6]);
    expect(plan[1]!.slots.map((slot) => slot?.blankNumber ?? null)).toEqual([7, 8, 9]);
  });

  it('refuses a start position that does not match the first blank number', () => {
    expect(() => planSheets(faces(5, 1), 1)).toThrow(expect.objectContaining({ code: 'START_POSITION_MISMATCH' }));
  });

  it('refuses gaps and disorder in the blank numbers, and an empty job', () => {
    expect(() => planSheets([sampleFace(1), sampleFace(3)], 1)).toThrow(expect.objectContaining({ code: 'BLANK_SEQUENCE_INVALID' }));
    expect(() => planSheets([sampleFace(2), sampleFace(1)], 2)).toThrow(SheetPlanError);
    expect(() => planSheets([], 1)).toThrow(expect.objectContaining({ code: 'NOTHING_TO_PRINT' }));
  });
});

describe('ticket texts (German)', () => {
  it('formats money exactly and VAT rates with a decimal comma', () => {
    expect(euro(4590)).toBe('45,90\u00a0€');
    expect(euro(123456789)).toBe('1.234.567,89\u00a0€');
    expect(euro(5)).toBe('0,05\u00a0€');
    expect([1900, 700, 550, 725, 705, 0].map(vatRate)).toEqual(['19\u00a0%', '7\u00a0%', '5,5\u00a0%', '7,25\u00a0%', '7,05\u00a0%', '0\u00a0%']);
  });

  it('formats date and time in the event’s time zone, across daylight saving time', () => {
    expect(eventDateTime('2026-12-12T19:00:00.000Z', 'Europe/Berlin')).toBe('Sa., 12.12.2026, 20:00\u00a0Uhr');
    expect(eventDateTime('2026-07-01T18:30:00.000Z', 'Europe/Berlin')).toBe('Mi., 01.07.2026, 20:30\u00a0Uhr');
    expect(eventDateTime('2026-07-01T18:30:00.000Z', 'Europe/London')).toBe('Mi., 01.07.2026, 19:30\u00a0Uhr');
    expect(shortDateTime('2026-12-31T23:30:00.000Z', 'Europe/Berlin')).toBe('01.01.2027, 00:30');
  });

  it('says seat or general admission, reduction, VAT note and reprint', () => {
    const seated = ticketTexts(sampleFace(1, { variantName: 'Ermäßigt' }));
    expect(seated.seat).toBe('Block B · Reihe 7 · Platz 11');
    expect(seated.category).toBe('Parkett, Kategorie 1 – Ermäßigt');
    expect(seated.vatNote).toBe('inkl. 7\u00a0% USt.');
    expect(seated.reprint).toBe('');
    expect(seated.duplicate).toBe('');
    expect(seated.blank).toBe('Blanko-Nr. 1');
    const standing = ticketTexts(sampleFace(2, { seat: null, vatRateBp: 0, reprintCount: 2, venueCity: undefined as never }));
    expect(standing.seat).toMatch(/^Stehplatz/);
    expect(standing.vatNote).toBe('umsatzsteuerfrei');
    expect(standing.reprint).toBe('Ersatzticket (3. Druck)');
    expect(standing.duplicate).toBe('');
    expect(ticketTexts(sampleFace(3, { reprintCount: 1, duplicate: true })).duplicate).toBe('DUPLIKAT');
  });
});

describe('fitLines', () => {
  // A monospace stand-in: every character is half an em wide.
  const measure = (text: string, size: number) => [...text].length * size * 0.5;

  it('keeps the largest size that fits', () => {
    expect(fitLines(measure, 'abcd', { widthPt: 40, maxPt: 20, minPt: 8, maxLines: 1 })).toEqual({ lines: ['abcd'], fontSize: 20 });
    expect(fitLines(measure, 'abcdefgh', { widthPt: 40, maxPt: 20, minPt: 8, maxLines: 1 })).toEqual({ lines: ['abcdefgh'], fontSize: 10 });
  });

  it('wraps into the allowed lines, then shortens the last one with an ellipsis', () => {
    expect(fitLines(measure, 'aaaa bbbb', { widthPt: 40, maxPt: 20, minPt: 20, maxLines: 2 })).toEqual({ lines: ['aaaa', 'bbbb'], fontSize: 20 });
    const cut = fitLines(measure, 'aaaa bbbb cccc dddd', { widthPt: 40, maxPt: 20, minPt: 20, maxLines: 2 });
    expect(cut.lines).toEqual(['aaaa', 'bbb…']);
    for (const line of cut.lines) expect(measure(line, 20)).toBeLessThanOrEqual(40);
  });
});
