/**
 * Builds the ticket sheet (three blanks per A4 page) and the calibration sheet as positioned nodes.
 * Every coordinate is a layout constant in millimetres plus the blank's origin plus the calibration
 * offset, converted to points in one place (`at`), so an offset moves every element by exactly itself.
 */
import {
  BLANK_HEIGHT_MM,
  blankOrigin,
  checkCalibration,
  mmToPt,
  PAGE_HEIGHT_MM,
  PAGE_WIDTH_MM,
  PERFORATION_X_MM,
  QUIET_ZONE_MODULES,
  STUB,
  stubModuleMm,
  TICKET,
  type Calibration,
  type SheetPlan,
  type StartPosition,
} from './layout.js';
import type { SheetCanvas, SheetDocument, SheetInline, SheetNode, SheetPage, SheetShape, SheetText, TextMeasure } from './pdf-definition.js';
import { fitLines } from './text-fit.js';
import type { TicketFace } from './ticket-face.js';
import { ticketTexts } from './ticket-text.js';

/** Code 128 as a string of modules, '1' for bar and '0' for space, start to stop (jsbarcode's encoding). */
export type BarcodeEncoder = (digits: string) => string;

export interface SheetBuildOptions {
  readonly calibration: Calibration;
  readonly encode: BarcodeEncoder;
  readonly measure: TextMeasure;
  /** The font's line height in em (SheetFontMetrics), to space the lines of a column exactly. */
  readonly lineHeightEm: (bold: boolean) => number;
  readonly creationDate: Date;
}

const BLACK = '#000000';
const GREY = '#444444';
/** Line height of the sheet font (DejaVu Sans: ascender + descender ≈ 1.164 em), for stacking lines. */
const LINE_EM = 1.17;

/** Converts a position inside a blank (mm) to page points, with the blank origin and calibration added. */
interface Place {
  x(mm: number): number;
  y(mm: number): number;
}

function placeFor(origin: { x: number; y: number }): Place {
  return { x: (mm) => mmToPt(origin.x + mm), y: (mm) => mmToPt(origin.y + mm) };
}

/** One line of text at a position inside the blank (mm), before it joins its column. */
interface PlacedLine {
  readonly xMm: number;
  readonly yMm: number;
  readonly text: string;
  readonly fontSize: number;
  readonly bold: boolean;
  readonly color?: string;
}

function line(xMm: number, yMm: number, value: string, fontSize: number, options: { bold?: boolean; color?: string } = {}): PlacedLine {
  return { xMm, yMm, text: value, fontSize, bold: options.bold ?? false, ...(options.color === undefined ? {} : { color: options.color }) };
}

/** A fitted text box: one line per wrapped line, stacked. */
function textBox(
  measure: TextMeasure,
  box: { xMm: number; yMm: number; widthMm: number },
  value: string,
  fit: { maxPt: number; minPt: number; maxLines: number; bold?: boolean; color?: string },
): PlacedLine[] {
  if (value === '') return [];
  const fitted = fitLines(measure, value, { widthPt: mmToPt(box.widthMm), maxPt: fit.maxPt, minPt: fit.minPt, maxLines: fit.maxLines, bold: fit.bold ?? false });
  const lineMm = (fitted.fontSize * LINE_EM) / mmToPt(1);
  return fitted.lines.map((text, index) =>
    line(box.xMm, box.yMm + index * lineMm, text, fitted.fontSize, {
      ...(fit.bold === undefined ? {} : { bold: fit.bold }),
      ...(fit.color === undefined ? {} : { color: fit.color }),
    }),
  );
}

/**
 * Joins the lines that share an x into one text node per column. Each line's box is made exactly as
 * tall as the distance to the next line, so every line lands where it was placed.
 */
function columns(place: Place, lineHeightEm: (bold: boolean) => number, lines: readonly PlacedLine[]): SheetText[] {
  const byX = new Map<number, PlacedLine[]>();
  for (const placed of lines) byX.set(placed.xMm, [...(byX.get(placed.xMm) ?? []), placed]);
  return [...byX.values()].map((column) => {
    const sorted = [...column].sort((a, b) => a.yMm - b.yMm);
    const inlines: SheetInline[] = sorted.map((current, index) => {
      const next = sorted[index + 1];
      const gapPt = next === undefined ? undefined : place.y(next.yMm) - place.y(current.yMm);
      return {
        text: next === undefined ? current.text : `${current.text}\n`,
        fontSize: current.fontSize,
        lineHeight: gapPt === undefined ? 1 : gapPt / (lineHeightEm(current.bold) * current.fontSize),
        ...(current.bold ? { bold: true } : {}),
        ...(current.color === undefined ? {} : { color: current.color }),
      };
    });
    const first = sorted[0] as PlacedLine;
    return { text: inlines, absolutePosition: { x: place.x(first.xMm), y: place.y(first.yMm) } };
  });
}

/**
 * The bars of one barcode as a single filled outline, exact to the module; x is where the quiet zone
 * starts. The outline runs along the bottom edge to each bar, up, across its top and down again, and
 * closes back along the bottom edge: the stretches along the bottom enclose no area, so only the bars
 * are filled. One path instead of ~50 rectangles keeps a 100-sheet job's content stream small.
 */
function bars(place: Place, pattern: string, box: { xMm: number; yMm: number; heightMm: number; moduleMm: number }): SheetShape {
  if (!/^1[01]*1$/.test(pattern)) throw new Error('a Code 128 pattern starts and ends with a bar');
  const top = place.y(box.yMm);
  const bottom = place.y(box.yMm + box.heightMm);
  const x = (module: number) => place.x(box.xMm + (QUIET_ZONE_MODULES + module) * box.moduleMm);
  const points: Array<{ x: number; y: number }> = [];
  for (const run of pattern.matchAll(/1+/g)) {
    const left = x(run.index);
    const right = x(run.index + run[0].length);
    points.push({ x: left, y: bottom }, { x: left, y: top }, { x: right, y: top }, { x: right, y: bottom });
  }
  return { type: 'polyline', points, closePath: true, color: BLACK };
}

/** "1234 5678 9012 …": groups of four are easier to read out and type in than 22 digits in a row. */
export function groupDigits(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function centredDigits(measure: TextMeasure, digits: string, centreMm: number, yMm: number, fontSize: number): PlacedLine {
  const grouped = groupDigits(digits);
  const widthMm = measure(grouped, fontSize, false) / mmToPt(1);
  return line(centreMm - widthMm / 2, yMm, grouped, fontSize);
}

/** Everything printed on one blank. */
export function blankNodes(face: TicketFace, slot: StartPosition, options: SheetBuildOptions): SheetNode[] {
  const place = placeFor(blankOrigin(slot, options.calibration));
  const m = options.measure;
  const t = ticketTexts(face);
  const pattern = options.encode(face.barcode);
  const ticketWidth = TICKET.right - TICKET.left;
  const stubWidth = STUB.right - STUB.left;
  const lines: PlacedLine[] = [];

  // Ticket part.
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.promoterY, widthMm: ticketWidth }, t.promoter, { maxPt: 7, minPt: 6, maxLines: 1, color: GREY }));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.eventY, widthMm: ticketWidth }, t.event, { maxPt: TICKET.eventFontPt, minPt: 10, maxLines: 2, bold: true }));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.dateY, widthMm: ticketWidth }, t.dateTime, { maxPt: 12, minPt: 10, maxLines: 1, bold: true }));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.venueY, widthMm: ticketWidth }, t.venue, { maxPt: 10, minPt: 7, maxLines: 2 }));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.seatY, widthMm: ticketWidth }, t.seat, { maxPt: 13, minPt: 9, maxLines: 1, bold: true }));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.categoryY, widthMm: ticketWidth }, t.category, { maxPt: 10, minPt: 7, maxLines: 1 }));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.priceY, widthMm: ticketWidth }, `${t.price}  ${t.vatNote}`, { maxPt: 11, minPt: 8, maxLines: 1, bold: true }));
  const metaWidth = TICKET.right - TICKET.metaX;
  [t.order, t.outlet, t.printedAt, t.blank].forEach((line, index) => {
    lines.push(...textBox(m, { xMm: TICKET.metaX, yMm: TICKET.metaY + index * TICKET.metaLineMm, widthMm: metaWidth }, line, { maxPt: 7, minPt: 5.5, maxLines: 1, bold: index === 3 }));
  });
  const ticketBars = bars(place, pattern, { xMm: TICKET.left, yMm: TICKET.barcodeY, heightMm: TICKET.barcodeHeight, moduleMm: TICKET.moduleMm });
  const ticketCentre = TICKET.left + ((QUIET_ZONE_MODULES * 2 + pattern.length) * TICKET.moduleMm) / 2;
  lines.push(centredDigits(m, face.barcode, ticketCentre, TICKET.barcodeTextY, 8.5));
  lines.push(...textBox(m, { xMm: TICKET.left, yMm: TICKET.reprintY, widthMm: ticketWidth }, t.reprint, { maxPt: 8, minPt: 6, maxLines: 1, bold: true }));
  lines.push(...textBox(m, { xMm: TICKET.metaX, yMm: TICKET.duplicateY, widthMm: metaWidth }, t.duplicate, { maxPt: TICKET.duplicateFontPt, minPt: 10, maxLines: 1, bold: true }));

  // Stub.
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.eventY, widthMm: stubWidth }, t.event, { maxPt: 8, minPt: 6, maxLines: 2, bold: true }));
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.dateY, widthMm: stubWidth }, t.dateTime, { maxPt: 7, minPt: 5.5, maxLines: 1 }));
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.seatY, widthMm: stubWidth }, `${t.seat} – ${t.category}`, { maxPt: 7, minPt: 5.5, maxLines: 3 }));
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.priceY, widthMm: stubWidth }, `${t.price} ${t.vatNote}`, { maxPt: 7, minPt: 5.5, maxLines: 1 }));
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.orderY, widthMm: stubWidth }, t.order, { maxPt: 7, minPt: 5.5, maxLines: 1 }));
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.blankY, widthMm: stubWidth }, t.blank, { maxPt: 7, minPt: 5.5, maxLines: 1, bold: true }));
  lines.push(...textBox(m, { xMm: STUB.left, yMm: STUB.duplicateY, widthMm: stubWidth }, t.duplicate, { maxPt: 12, minPt: 8, maxLines: 1, bold: true }));
  const stubModule = stubModuleMm(pattern);
  const stubBars = bars(place, pattern, { xMm: STUB.left, yMm: STUB.barcodeY, heightMm: STUB.barcodeHeight, moduleMm: stubModule });
  const stubCentre = STUB.left + ((QUIET_ZONE_MODULES * 2 + pattern.length) * stubModule) / 2;
  lines.push(centredDigits(m, face.barcode, stubCentre, STUB.barcodeTextY, 6));

  const canvas: SheetCanvas = { canvas: [ticketBars, stubBars], absolutePosition: { x: 0, y: 0 } };
  return [...columns(place, options.lineHeightEm, lines), canvas];
}

/** The ticket sheets of a print job, one page per physical sheet; empty slots stay unprinted. */
export function ticketSheetDocument(sheets: ReadonlyArray<SheetPlan<TicketFace>>, options: SheetBuildOptions): SheetDocument {
  checkCalibration(options.calibration);
  const pages: SheetPage[] = sheets.map((sheet) => ({
    nodes: sheet.slots.flatMap((face, index) => (face === null ? [] : blankNodes(face, (index + 1) as StartPosition, options))),
  }));
  const first = sheets[0]?.slots.find((slot) => slot !== null);
  return { title: first === undefined || first === null ? 'Tickets' : `Tickets ${first.orderNumber}`, creationDate: options.creationDate, pages };
}

export interface CalibrationSheetOptions {
  readonly calibration: Calibration;
  readonly measure: TextMeasure;
  readonly lineHeightEm: (bold: boolean) => number;
  readonly creationDate: Date;
  /** Printed on the sheet so it can be filed with the workstation. */
  readonly workstationName?: string;
  readonly printerName?: string;
}

/** Where the calibration sheet's crosshairs are (mm from the page's top-left corner, uncalibrated). */
export const CROSSHAIRS_MM: ReadonlyArray<{ x: number; y: number }> = [
  { x: 20, y: 20 },
  { x: 190, y: 20 },
  { x: PAGE_WIDTH_MM / 2, y: PAGE_HEIGHT_MM / 2 },
  { x: 20, y: 277 },
  { x: 190, y: 277 },
];

const signedMm = (mm: number) => `${mm > 0 ? '+' : mm < 0 ? '−' : '±'}${Math.abs(mm).toFixed(1).replace('.', ',')} mm`;

/**
 * A test sheet for setting a workstation's offsets: crosshairs with their nominal positions, millimetre
 * rulers along the top and left edges from the page's corner, and the blank boundaries and
 * perforation as dashed lines where they must fall. Printed with the current calibration applied, so
 * after a correct setting the dashed lines sit on the paper's own marks.
 */
export function calibrationSheetDocument(options: CalibrationSheetOptions): SheetDocument {
  const calibration = checkCalibration(options.calibration);
  const place = placeFor({ x: calibration.offsetXMm, y: calibration.offsetYMm });
  const m = options.measure;
  const shapes: SheetShape[] = [];
  const lines: PlacedLine[] = [];
  const stroke = (x1: number, y1: number, x2: number, y2: number, lineWidth = 0.4, dash?: number): SheetShape => ({
    type: 'line',
    x1: place.x(x1),
    y1: place.y(y1),
    x2: place.x(x2),
    y2: place.y(y2),
    lineWidth,
    lineColor: BLACK,
    ...(dash === undefined ? {} : { dash: { length: dash } }),
  });

  for (const { x, y } of CROSSHAIRS_MM) {
    shapes.push(stroke(x - 8, y, x + 8, y, 0.3), stroke(x, y - 8, x, y + 8, 0.3));
    lines.push(line(x + 1.5, y + 1.5, `${x} / ${y} mm`, 6));
  }
  // Rulers: ticks every millimetre from the page edge, longer every 5 and numbered every 10.
  const rulerY = 8;
  const rulerX = 8;
  for (let mm = 0; mm <= PAGE_WIDTH_MM; mm += 1) {
    const length = mm % 10 === 0 ? 4 : mm % 5 === 0 ? 2.5 : 1.5;
    shapes.push(stroke(mm, rulerY, mm, rulerY + length, 0.25));
    if (mm % 10 === 0 && mm > 0 && mm < PAGE_WIDTH_MM) lines.push(line(mm - (mm >= 100 ? 1.6 : 1.1), rulerY + 4.5, String(mm), 5));
  }
  shapes.push(stroke(0, rulerY, PAGE_WIDTH_MM, rulerY, 0.25));
  for (let mm = 0; mm <= PAGE_HEIGHT_MM; mm += 1) {
    const length = mm % 10 === 0 ? 4 : mm % 5 === 0 ? 2.5 : 1.5;
    shapes.push(stroke(rulerX, mm, rulerX + length, mm, 0.25));
    if (mm % 10 === 0 && mm > 10 && mm < PAGE_HEIGHT_MM) lines.push(line(rulerX + 4.8, mm - 0.9, String(mm), 5));
  }
  shapes.push(stroke(rulerX, 0, rulerX, PAGE_HEIGHT_MM, 0.25));
  // Where the paper's blank boundaries and perforation must fall.
  for (let slot = 1; slot < 3; slot += 1) shapes.push(stroke(0, slot * BLANK_HEIGHT_MM, PAGE_WIDTH_MM, slot * BLANK_HEIGHT_MM, 0.4, 2));
  shapes.push(stroke(PERFORATION_X_MM, 0, PERFORATION_X_MM, PAGE_HEIGHT_MM, 0.4, 2));

  const info = [
    'Kalibrierblatt – Testdruck auf Ticketpapier',
    `Versatz X ${signedMm(calibration.offsetXMm)}, Y ${signedMm(calibration.offsetYMm)}`,
    ...(options.workstationName === undefined ? [] : [`Arbeitsplatz: ${options.workstationName}`]),
    ...(options.printerName === undefined ? [] : [`Drucker: ${options.printerName}`]),
    'Gestrichelt: Blankogrenzen und Perforation, wie sie liegen müssen.',
    'Liegt der Druck zu weit links, X erhöhen; zu weit oben, Y erhöhen.',
    'Lineale: Millimeter ab Blattkante (oben und links).',
  ];
  info.forEach((value, index) => {
    lines.push(...textBox(m, { xMm: 30, yMm: 40 + index * 5, widthMm: 115 }, value, { maxPt: index === 0 ? 11 : 8, minPt: 6, maxLines: 1, bold: index === 0 }));
  });
  const nodes: SheetNode[] = [...columns(place, options.lineHeightEm, lines), { canvas: shapes, absolutePosition: { x: 0, y: 0 } }];
  return { title: 'Kalibrierblatt', creationDate: options.creationDate, pages: [{ nodes }] };
}
