/**
 * Types for the parts of untyped packages the sheet renderer uses. Imported statically (not through
 * createRequire) so that esbuild bundles them into the station's main bundle: the packaged station
 * ships no node_modules besides node-hid.
 */
declare module 'pdfmake' {
  interface PdfMake {
    virtualfs: { writeFileSync(name: string, content: Buffer): void };
    addFonts(fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>): void;
    setFonts(fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>): void;
    setUrlAccessPolicy(policy: (url: string) => boolean): void;
    setLocalAccessPolicy(policy: (path: string) => boolean): void;
    createPdf(doc: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
  }
  const pdfmake: PdfMake;
  // pdfmake is CommonJS: its module.exports (one object per process) arrives as the default export.
  // eslint-disable-next-line import-x/no-default-export
  export default pdfmake;
}

declare module 'fontkit' {
  export interface Font {
    readonly unitsPerEm: number;
    readonly ascent: number;
    readonly descent: number;
    glyphForCodePoint(codePoint: number): { advanceWidth: number };
  }
  export function create(buffer: Buffer): Font;
}

declare module 'jsbarcode/bin/barcodes/CODE128/index.js' {
  /** Code 128 with automatic code set choice (C for digit pairs). */
  export class CODE128 {
    constructor(data: string, options: object);
    valid(): boolean;
    encode(): { data: string; text: string };
  }
}
