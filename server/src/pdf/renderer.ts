import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PdfDocument } from './document.js';

/**
 * The slice of pdfmake 0.3's API used here. pdfmake ships no types; this interface is the boundary, and
 * the document shape lives in document.ts.
 */
interface PdfMake {
  virtualfs: { writeFileSync(name: string, content: Buffer): void };
  setFonts(fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(doc: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
}

export interface PdfRenderer {
  /** Renders a document; the same document (including its creation date) always gives the same bytes. */
  render(doc: PdfDocument): Promise<Buffer>;
}

export const PDF_FONT = 'Roboto';

const FONT_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

const require = createRequire(import.meta.url);

/**
 * Sets up pdfmake for the server. pdfmake 0.3 is one object per process, so this configures that object
 * (idempotently; every caller gets the same setup):
 * - fonts: Roboto as shipped in the pdfmake package (covers German umlauts, ß and €), loaded into
 *   pdfmake's in-memory file system, so no document needs a file path;
 * - resources: every URL and every local file is refused, so a document can neither fetch anything nor
 *   read a file from the server's disk (an image or attachment path in a document fails the render).
 */
export function createPdfRenderer(): PdfRenderer {
  const pdfmake = require('pdfmake') as PdfMake;
  const fontDir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  for (const file of Object.values(FONT_FILES)) pdfmake.virtualfs.writeFileSync(file, readFileSync(path.join(fontDir, file)));
  pdfmake.setFonts({ [PDF_FONT]: { ...FONT_FILES } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);

  return {
    async render(doc) {
      const { info, language, ...rest } = doc;
      // pdfmake annotates the nodes it lays out; hand it a copy so a document can be rendered again.
      const definition = copy({
        ...rest,
        ...(language === undefined ? {} : { language }),
        info: { title: info.title, author: info.author, subject: info.subject, creator: 'Kasse & Druckstation', producer: 'pdfmake', creationDate: info.creationDate },
        defaultStyle: { font: PDF_FONT, fontSize: 10, ...rest.defaultStyle },
      }) as Record<string, unknown>;
      return pdfmake.createPdf(definition).getBuffer();
    },
  };
}

/** A deep copy of plain data that keeps functions (footers) and dates. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value instanceof Date) return new Date(value.getTime());
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}
