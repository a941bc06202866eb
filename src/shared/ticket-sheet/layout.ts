/**
 * Geometry of the A4 security paper, in millimetres (pure; no runtime). The paper is portrait A4 with
 * three ticket blanks of equal height stacked top to bottom; each blank has the ticket on the left and a
 * stub (Abriss) on the right, separated by the supplier's perforation. Every printed element is placed
 * at an absolute position computed from these constants plus the workstation's calibration offset, so
 * one offset moves the whole sheet and nothing else does.
 */

export const PAGE_WIDTH_MM = 210;
export const PAGE_HEIGHT_MM = 297;
export const BLANKS_PER_SHEET = 3;
export const BLANK_HEIGHT_MM = PAGE_HEIGHT_MM / BLANKS_PER_SHEET; // 99

/** 1 pt = 1/72 inch = 25.4/72 mm; PDF coordinates are points. */
export const PT_PER_MM = 72 / 25.4;
export const mmToPt = (mm: number): number => mm * PT_PER_MM;

/** The supplier's perforation between ticket and stub, measured from the blank's left edge. */
export const PERFORATION_X_MM = 150;

/**
 * Nothing is printed closer than this to a blank's edge or the perforation: security paper moves a
 * little in the printer, and calibration offsets of up to a few millimetres must not push text off.
 */
export const SAFE_MARGIN_MM = 7;

/** Positions inside one blank, relative to its top-left corner. */
export const TICKET = {
  left: SAFE_MARGIN_MM,
  right: PERFORATION_X_MM - SAFE_MARGIN_MM,
  promoterY: 6,
  eventY: 10.5,
  /** Two lines of the event name at most. */
  eventFontPt: 15,
  eventMaxHeight: 13,
  dateY: 25,
  venueY: 31,
  seatY: 39,
  categoryY: 45.5,
  priceY: 51.5,
  /** Order, outlet, print time and blank number: a small column right of the barcode. */
  metaX: 103,
  metaY: 62,
  metaLineMm: 3.6,
  barcodeY: 62,
  barcodeHeight: 17,
  /** Digits under the bars. */
  barcodeTextY: 80.5,
  /** Code 128 module (narrowest bar) on the ticket: 0.33 mm (13 mil), read by every handscanner. */
  moduleMm: 0.33,
  reprintY: 88,
  /** "DUPLIKAT" on a reprint: large, in the free space right of the barcode digits, below the meta column. */
  duplicateY: 79,
  duplicateFontPt: 16,
} as const;

export const STUB = {
  left: PERFORATION_X_MM + SAFE_MARGIN_MM - 2,
  right: PAGE_WIDTH_MM - SAFE_MARGIN_MM,
  eventY: 6,
  eventMaxHeight: 8.5,
  dateY: 16,
  seatY: 21,
  priceY: 31,
  orderY: 36,
  blankY: 40,
  duplicateY: 46,
  barcodeY: 62,
  barcodeHeight: 12,
  barcodeTextY: 75,
  /** The stub's copy is smaller; never below 0.2 mm, which a 300 dpi printer still renders with 2+ dots. */
  maxModuleMm: 0.25,
  minModuleMm: 0.19,
} as const;

/** Code 128 needs at least ten modules of white on each side (ISO/IEC 15417 quiet zone). */
export const QUIET_ZONE_MODULES = 10;

/**
 * Calibration of one workstation's printer: how far the whole print must move so that it lands on the
 * pre-printed blanks. Positive x moves right, positive y moves down. Stored in tenths of a millimetre
 * (src/shared/ipc/station-settings.ts), used here in millimetres.
 */
export interface Calibration {
  readonly offsetXMm: number;
  readonly offsetYMm: number;
}

export const NO_CALIBRATION: Calibration = { offsetXMm: 0, offsetYMm: 0 };

/** The settings' limit (±200 tenths); a larger offset is a wrong setting, not a printer. */
export const MAX_OFFSET_MM = 20;

export function calibrationFromTenths(offsetXTenthMm: number, offsetYTenthMm: number): Calibration {
  return checkCalibration({ offsetXMm: offsetXTenthMm / 10, offsetYMm: offsetYTenthMm / 10 });
}

export function checkCalibration(calibration: Calibration): Calibration {
  for (const value of [calibration.offsetXMm, calibration.offsetYMm]) {
    if (!Number.isFinite(value) || Math.abs(value) > MAX_OFFSET_MM) throw new RangeError(`calibration offset out of range (±${MAX_OFFSET_MM} mm): ${value}`);
  }
  return calibration;
}

/** Slot of a blank on its sheet, 1 to 3: sheet n holds blanks 3n−2, 3n−1 and 3n. */
export type StartPosition = 1 | 2 | 3;

export function slotOfBlank(blankNumber: number): StartPosition {
  if (!Number.isSafeInteger(blankNumber) || blankNumber < 1) throw new RangeError(`not a blank number: ${blankNumber}`);
  return (((blankNumber - 1) % BLANKS_PER_SHEET) + 1) as StartPosition;
}

/** Top-left corner of a slot (1–3) on the page, calibration included, in millimetres. */
export function blankOrigin(slot: StartPosition, calibration: Calibration): { x: number; y: number } {
  return { x: calibration.offsetXMm, y: (slot - 1) * BLANK_HEIGHT_MM + calibration.offsetYMm };
}

export class SheetPlanError extends Error {
  constructor(
    readonly code: 'BLANK_SEQUENCE_INVALID' | 'START_POSITION_MISMATCH' | 'NOTHING_TO_PRINT',
    message: string,
  ) {
    super(message);
    this.name = 'SheetPlanError';
  }
}

/** One physical sheet: three slots, each with the item printed there or null for a slot left empty. */
export interface SheetPlan<T> {
  /** The supplier's sheet number (blanks 3n−2 … 3n). */
  readonly sheetNumber: number;
  readonly slots: readonly [T | null, T | null, T | null];
}

/**
 * Places items on physical sheets by their blank numbers. The sheets in the tray are consecutive, so
 * the blank numbers must be too; the first one's slot must be the start position the clerk chose for a
 * partly used sheet (a mismatch means the paper in the tray is not what the server handed out, and
 * printing would put tickets on the wrong numbered blanks).
 */
export function planSheets<T extends { readonly blankNumber: number }>(items: readonly T[], startPosition: StartPosition = 1): Array<SheetPlan<T>> {
  const first = items[0];
  if (first === undefined) throw new SheetPlanError('NOTHING_TO_PRINT', 'a print job needs at least one ticket');
  items.forEach((item, index) => {
    if (item.blankNumber !== first.blankNumber + index) {
      throw new SheetPlanError('BLANK_SEQUENCE_INVALID', `blank numbers must be consecutive: ${first.blankNumber + index} expected at position ${index + 1}, got ${item.blankNumber}`);
    }
  });
  if (slotOfBlank(first.blankNumber) !== startPosition) {
    throw new SheetPlanError('START_POSITION_MISMATCH', `blank ${first.blankNumber} sits at position ${slotOfBlank(first.blankNumber)} of its sheet, not ${startPosition}`);
  }
  const sheets = new Map<number, [T | null, T | null, T | null]>();
  for (const item of items) {
    const sheetNumber = Math.ceil(item.blankNumber / BLANKS_PER_SHEET);
    const slots = sheets.get(sheetNumber) ?? [null, null, null];
    slots[slotOfBlank(item.blankNumber) - 1] = item;
    sheets.set(sheetNumber, slots);
  }
  return [...sheets].map(([sheetNumber, slots]) => ({ sheetNumber, slots }));
}

/** Width in modules of a Code 128 pattern with its quiet zones. */
export function barcodeWidthModules(pattern: string): number {
  return pattern.length + 2 * QUIET_ZONE_MODULES;
}

/** The stub's module width: as large as fits the stub, within the readable range. */
export function stubModuleMm(pattern: string): number {
  const fit = (STUB.right - STUB.left) / barcodeWidthModules(pattern);
  return Math.max(STUB.minModuleMm, Math.min(STUB.maxModuleMm, fit));
}
