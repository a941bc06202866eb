/**
 * The slice of pdfmake's document definition the ticket and calibration sheets use: absolutely
 * positioned single-line texts and vector shapes, nothing that flows. Coordinates are points from the
 * page's top-left corner. Pure data, so the sheets can be built (and inspected in tests) without
 * pdfmake; src/main/printing renders them.
 */

export interface SheetText {
  readonly text: string;
  readonly absolutePosition: { readonly x: number; readonly y: number };
  readonly fontSize: number;
  readonly bold?: boolean;
  readonly color?: string;
  /** Lines are broken by the sheet builder (measured with the real font), never by pdfmake. */
  readonly noWrap: true;
  readonly lineHeight: 1;
}

export type SheetShape =
  | { readonly type: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly color: string }
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
