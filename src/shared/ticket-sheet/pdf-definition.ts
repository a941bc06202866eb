/**
 * The slice of pdfmake's document definition the ticket and calibration sheets use: absolutely
 * positioned single-line texts and vector shapes, nothing that flows. Coordinates are points from the
 * page's top-left corner. Pure data, so the sheets can be built (and inspected in tests) without
 * pdfmake; src/main/printing renders them.
 */

/** One line of a text column: its own size and weight; `lineHeight` sets the distance to the next line. */
export interface SheetInline {
  readonly text: string;
  readonly fontSize: number;
  readonly bold?: boolean;
  readonly color?: string;
  /** Multiple of the font's line height (ascender − descender); the line box is that tall. */
  readonly lineHeight: number;
}

/**
 * Lines are broken by the sheet builder (measured with the real font, every line narrower than its box
 * and so than the page), and end with a newline; pdfmake never has a reason to wrap them.
 *
 * A column of single lines at one x, top line at `absolutePosition`. pdfmake puts each line's text at
 * the top of its line box, so the line heights place every following line exactly; one node per
 * column instead of one per line keeps pdfmake's per-node cost off a 100-sheet job.
 */
export interface SheetText {
  readonly text: readonly SheetInline[];
  readonly absolutePosition: { readonly x: number; readonly y: number };
}

export type SheetShape =
  | { readonly type: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly color: string }
  /** A filled outline; the bars of one barcode are one polyline (see sheet-document.ts). */
  | { readonly type: 'polyline'; readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>; readonly closePath: true; readonly color: string }
  | { readonly type: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly lineWidth: number; readonly lineColor: string; readonly dash?: { readonly length: number } };

/** Shapes are placed at the page origin, so their own coordinates are page coordinates. */
export interface SheetCanvas {
  readonly canvas: readonly SheetShape[];
  readonly absolutePosition: { readonly x: 0; readonly y: 0 };
}

export type SheetNode = SheetText | SheetCanvas;

export interface SheetPage {
  readonly nodes: readonly SheetNode[];
}

export interface SheetDocument {
  readonly title: string;
  /** Written into the file and its ID; a fixed date makes the output reproducible. */
  readonly creationDate: Date;
  readonly pages: readonly SheetPage[];
}

/** Width of a text in points in the sheet font, measured with the real glyph metrics. */
export type TextMeasure = (text: string, fontSizePt: number, bold: boolean) => number;

/** The sheet font's metrics the builder needs. */
export interface SheetFontMetrics {
  readonly measure: TextMeasure;
  /** Line height (ascender − descender, no line gap) in em, as pdfmake computes line boxes. */
  readonly lineHeightEm: (bold: boolean) => number;
}
