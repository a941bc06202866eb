/**
 * Renders ticket and calibration sheets to PDF with pdfmake 0.3 under plain Node (no browser). Lives
 * in src/sheet-render, beside src/main and server/, because both use it: the station prints the sheet
 * silently, the server renders it for the browser's print path (GET /api/v1/print-jobs/:id/sheet.pdf).
 * It imports only src/shared and Node packages, never station or server code (eslint.config.mjs). The
 * sheet itself is built by src/shared/ticket-sheet; this file supplies what needs Node: the font files,
 * glyph metrics for fitting texts (fontkit, the font engine pdfmake uses), the Code 128 encoder and
 * pdfmake.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import pdfmake from 'pdfmake';
import { mmToPt, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, planSheets, type Calibration, type StartPosition } from '../shared/ticket-sheet/layout.js';
import type { SheetDocument, TextMeasure } from '../shared/ticket-sheet/pdf-definition.js';
import { calibrationSheetDocument, ticketSheetDocument, type CalibrationSheetOptions } from '../shared/ticket-sheet/sheet-document.js';
import type { TicketFace } from '../shared/ticket-sheet/ticket-face.js';
import { encodeCode128 } from './code128.js';
import { withoutLayoutTables } from './font-tables.js';

/** DejaVu Sans: Latin with umlauts and €, Greek, Cyrillic, Hebrew, Armenian, Georgian and more. */
export const TICKET_FONT_FILES = { normal: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

/** Debian's fonts-dejavu-core; the packaged station ships the same files in resources/fonts. */
export const SYSTEM_FONT_DIR = '/usr/share/fonts/truetype/dejavu';

/** The font family name inside pdfmake; distinct from the server's Roboto, since pdfmake is one object per process. */
const FAMILY = 'TicketSans';
const VFS_NAMES = { normal: 'TicketSans-Regular.ttf', bold: 'TicketSans-Bold.ttf' } as const;

export class TicketFontMissingError extends Error {
  readonly code = 'PRINT_FONT_MISSING';
}

/** The first directory that holds both font files. */
export function findTicketFontDir(candidates: readonly string[]): string {
  const found = candidates.find((dir) => Object.values(TICKET_FONT_FILES).every((file) => existsSync(path.join(dir, file))));
  if (found === undefined) {
    throw new TicketFontMissingError(`ticket font (${Object.values(TICKET_FONT_FILES).join(', ')}) not found in: ${candidates.join(', ')}`);
  }
  return found;
}

export interface TicketSheetJob {
  readonly faces: readonly TicketFace[];
  readonly calibration: Calibration;
  /** Slot of the first blank on its sheet (1–3); must match the first blank number. */
  readonly startPosition: StartPosition;
}

export interface TicketSheetRenderer {
  /** Places the faces on sheets by blank number and renders them; one PDF page per sheet. */
  renderTickets(job: TicketSheetJob, options?: RenderOptions): Promise<Buffer>;
  renderCalibration(options: Omit<CalibrationSheetOptions, 'measure' | 'lineHeightEm' | 'creationDate'> & RenderOptions): Promise<Buffer>;
  /** Renders a prepared sheet document. */
  render(doc: SheetDocument, options?: { compress?: boolean }): Promise<Buffer>;
  readonly measure: TextMeasure;
  readonly lineHeightEm: (bold: boolean) => number;
}

export interface RenderOptions {
  /** Written into the PDF; defaults to now. A fixed date gives byte-identical output. */
  readonly creationDate?: Date;
  /** Off only for tests and debugging: the content stream is then readable. */
  readonly compress?: boolean;
}

export function createTicketSheetRenderer(options: { fontDir: string }): TicketSheetRenderer {
  const files = {
    normal: withoutLayoutTables(readFileSync(path.join(options.fontDir, TICKET_FONT_FILES.normal))),
    bold: withoutLayoutTables(readFileSync(path.join(options.fontDir, TICKET_FONT_FILES.bold))),
  };
  const fonts = { normal: fontkit.create(files.normal), bold: fontkit.create(files.bold) };

  /**
   * pdfmake is one object per process, and other code in the same process may replace its fonts
   * (the server's renderer calls setFonts). So the sheet font is (re)registered before every render;
   * both calls only store references.
   */
  const registerFont = () => {
    pdfmake.virtualfs.writeFileSync(VFS_NAMES.normal, files.normal);
    pdfmake.virtualfs.writeFileSync(VFS_NAMES.bold, files.bold);
    pdfmake.addFonts({ [FAMILY]: { normal: VFS_NAMES.normal, bold: VFS_NAMES.bold, italics: VFS_NAMES.normal, bolditalics: VFS_NAMES.bold } });
    // A sheet is built from data only: no URL and no local file may be read while rendering.
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy(() => false);
  };

  // Advance widths per character, summed: without layout tables (font-tables.ts) that is exactly the
  // width pdfkit draws. Measuring is called for every candidate size of every field.
  const advances = { normal: new Map<number, number>(), bold: new Map<number, number>() };
  // Whole strings too: the same event, venue and outlet names are measured for every ticket of a job.
  const strings = new Map<string, number>();
  const measure: TextMeasure = (text, fontSizePt, bold) => {
    const key = bold ? `b${text}` : `n${text}`;
    const known = strings.get(key);
    if (known !== undefined) return known * fontSizePt;
    const font = bold ? fonts.bold : fonts.normal;
    const cache = bold ? advances.bold : advances.normal;
    let em = 0;
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      let advance = cache.get(codePoint);
      if (advance === undefined) {
        advance = font.glyphForCodePoint(codePoint).advanceWidth / font.unitsPerEm;
        cache.set(codePoint, advance);
      }
      em += advance;
    }
    // Bounded: a long-running station measures many distinct strings over a day.
    if (strings.size >= 10_000) strings.clear();
    strings.set(key, em);
    return em * fontSizePt;
  };

  // As pdfkit computes a line box: (ascender − descender) / unitsPerEm, without the line gap.
  const lineHeightEm = (bold: boolean): number => {
    const font = bold ? fonts.bold : fonts.normal;
    return (font.ascent - font.descent) / font.unitsPerEm;
  };

  async function render(doc: SheetDocument, renderOptions: { compress?: boolean } = {}): Promise<Buffer> {
    const content = doc.pages.flatMap((page, index) => [
      // Every node is absolutely positioned; this empty line only starts the next physical sheet.
      ...(index === 0 ? [] : [{ text: '', pageBreak: 'before' }]),
      ...page.nodes.map((node) => ({ ...node })),
    ]);
    const definition = {
      pageSize: { width: mmToPt(PAGE_WIDTH_MM), height: mmToPt(PAGE_HEIGHT_MM) },
      // The negative bottom margin lets a calibration offset push the last blank's lowest line past the
      // paper edge, where the printer clips it, instead of pdfmake starting a new page for it.
      pageMargins: [0, 0, 0, -mmToPt(PAGE_HEIGHT_MM)],
      info: { title: doc.title, creator: 'Kasse & Druckstation', producer: 'pdfmake', creationDate: doc.creationDate },
      language: 'de-DE',
      compress: renderOptions.compress ?? true,
      defaultStyle: { font: FAMILY },
      content,
    };
    registerFont();
    return pdfmake.createPdf(definition).getBuffer();
  }

  return {
    measure,
    lineHeightEm,
    render,
    renderTickets: (job, renderOptions = {}) => {
      const doc = ticketSheetDocument(planSheets(job.faces, job.startPosition), {
        calibration: job.calibration,
        encode: encodeCode128,
        measure,
        lineHeightEm,
        creationDate: renderOptions.creationDate ?? new Date(),
      });
      return render(doc, renderOptions);
    },
    renderCalibration: (calibrationOptions) => {
      const { compress, creationDate, ...rest } = calibrationOptions;
      const doc = calibrationSheetDocument({ ...rest, measure, lineHeightEm, creationDate: creationDate ?? new Date() });
      return render(doc, compress === undefined ? {} : { compress });
    },
  };
}
