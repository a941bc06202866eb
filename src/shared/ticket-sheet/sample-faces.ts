/**
 * Sample ticket faces: for the documentation image, the benchmark and tests. Deliberately awkward: a
 * long event name, Cyrillic and Greek names, umlauts, a reduction, general admission and a reprint (marked as a duplicate).
 * The barcodes are well-formed digit strings, not codes the server issued.
 */
import type { TicketFace } from './ticket-face.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/** 22 digits, different per blank. */
export function sampleBarcode(blankNumber: number): string {
  return `4${blankNumber.toString().padStart(9, '0')}${((blankNumber * 7_919) % 1_000_000_000).toString().padStart(10, '0')}${(blankNumber % 97).toString().padStart(2, '0')}`;
}

export function sampleFace(blankNumber: number, overrides: Partial<TicketFace> = {}): TicketFace {
  return {
    printId: uuid(blankNumber),
    ticketId: uuid(1_000_000 + blankNumber),
    blankNumber,
    barcode: sampleBarcode(blankNumber),
    eventName: 'Sinfoniekonzert: Dvořák – Aus der Neuen Welt',
    venueName: 'Große Halle im Kulturpalast',
    venueCity: 'Dresden',
    startsAt: '2026-12-12T19:00:00.000Z',
    timeZone: 'Europe/Berlin',
    categoryName: 'Parkett, Kategorie 1',
    seat: { block: 'B', row: '7', seat: String(10 + (blankNumber % 20)) },
    priceCents: 4590,
    vatRateBp: 700,
    orderNumber: 'VVK-2026-004711',
    outletName: 'Ticketshop am Hauptbahnhof',
    printedAt: '2026-12-04T15:30:00.000Z',
    reprintCount: 0,
    duplicate: false,
    promoterName: 'Konzertdirektion Elbflorenz GmbH',
    ...overrides,
  };
}

/** One sheet (blanks 3n−2 … 3n) showing the variants a sheet must handle. */
export function sampleSheetFaces(sheetNumber = 1): TicketFace[] {
  const first = sheetNumber * 3 - 2;
  return [
    sampleFace(first, { variantName: 'Ermäßigt (Schüler/Studierende)' }),
    sampleFace(first + 1, {
      eventName: 'Чайковский: Лебединое озеро – Ballett in vier Akten',
      venueName: 'Ωδείο Ηρώδου Αττικού (Gastspiel)',
      venueCity: 'Berlin',
      seat: null,
      categoryName: 'Stehplatz Innenraum',
      priceCents: 12_350,
      vatRateBp: 1900,
    }),
    sampleFace(first + 2, { reprintCount: 1, duplicate: true, priceCents: 0, vatRateBp: 0, categoryName: 'Freikarte', seat: { block: 'Loge 3', row: '1', seat: '4' } }),
  ];
}
