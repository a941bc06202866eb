/**
 * The part of pdfmake's document definition our documents use (text, stacks, columns, tables, lines).
 * Deliberately without images, attachments or embedded files: documents are built from data only, and
 * the renderer refuses every file and URL anyway.
 */
export type Margin = number | [number, number] | [number, number, number, number];

export interface PdfStyle {
  font?: string;
  fontSize?: number;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  alignment?: 'left' | 'center' | 'right' | 'justify';
  lineHeight?: number;
  margin?: Margin;
}

export interface PdfNodeOptions extends PdfStyle {
  style?: string | string[];
  noWrap?: boolean;
  colSpan?: number;
  border?: [boolean, boolean, boolean, boolean];
  fillColor?: string;
}

export interface PdfText extends PdfNodeOptions {
  text: string | Array<string | PdfText>;
}

export interface PdfStack extends PdfNodeOptions {
  stack: PdfContent[];
}

export interface PdfColumns extends PdfNodeOptions {
  columns: Array<PdfContent & { width?: number | string }>;
  columnGap?: number;
}

export interface PdfTable extends PdfNodeOptions {
  table: { headerRows?: number; widths?: Array<number | string>; body: PdfContent[][]; dontBreakRows?: boolean };
  layout?: 'noBorders' | 'headerLineOnly' | 'lightHorizontalLines';
}

export interface PdfLine {
  canvas: Array<{ type: 'line'; x1: number; y1: number; x2: number; y2: number; lineWidth?: number; lineColor?: string }>;
  margin?: Margin;
}

export type PdfContent = string | PdfText | PdfStack | PdfColumns | PdfTable | PdfLine | PdfContent[];

export interface PdfDocument {
  info: {
    title: string;
    author?: string;
    subject?: string;
    /** Required: it is written into the file and its ID, so fixing it makes the output reproducible. */
    creationDate: Date;
  };
  /** BCP 47, e.g. de-DE. */
  language?: string;
  pageSize?: 'A4' | 'A5';
  pageOrientation?: 'portrait' | 'landscape';
  pageMargins?: Margin;
  content: PdfContent;
  styles?: Record<string, PdfStyle>;
  defaultStyle?: PdfStyle;
  footer?: (currentPage: number, pageCount: number) => PdfContent;
  /** Off only for debugging: text streams are then readable in the file. */
  compress?: boolean;
}
