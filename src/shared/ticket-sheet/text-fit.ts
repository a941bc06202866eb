/**
 * Fitting texts into the fixed boxes of a blank. pdfmake would wrap on its own, but a wrapped line
 * would run into the next field on the security paper; so texts are measured with the real font and
 * shrunk, wrapped or shortened here, and pdfmake only draws single lines.
 */
import type { TextMeasure } from './pdf-definition.js';

const ELLIPSIS = '…';
const STEP_PT = 0.5;

export interface FittedLines {
  readonly lines: readonly string[];
  readonly fontSize: number;
}

/** The longest prefix of `text` that fits with an ellipsis (at least the ellipsis itself). */
function truncate(measure: TextMeasure, text: string, widthPt: number, size: number, bold: boolean): string {
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(chars.slice(0, mid).join('').trimEnd() + ELLIPSIS, size, bold) <= widthPt) low = mid;
    else high = mid - 1;
  }
  return chars.slice(0, low).join('').trimEnd() + ELLIPSIS;
}

/** Greedy word wrap; a word wider than the line is broken between characters. */
function wrap(measure: TextMeasure, text: string, widthPt: number, size: number, bold: boolean): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (measure(candidate, size, bold) <= widthPt) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    let rest = word;
    while (measure(rest, size, bold) > widthPt && rest.length > 1) {
      const chars = [...rest];
      let take = chars.length - 1;
      while (take > 1 && measure(chars.slice(0, take).join(''), size, bold) > widthPt) take -= 1;
      lines.push(chars.slice(0, take).join(''));
      rest = chars.slice(take).join('');
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The largest font size from `maxPt` down to `minPt` at which `text` fits in `maxLines` lines of
 * `widthPt`; at `minPt` the last line is shortened with an ellipsis if it still does not fit.
 */
export function fitLines(measure: TextMeasure, text: string, options: { widthPt: number; maxPt: number; minPt: number; maxLines: number; bold?: boolean }): FittedLines {
  const bold = options.bold ?? false;
  const clean = text.replace(/\s+/g, ' ').trim();
  for (let size = options.maxPt; size >= options.minPt - 1e-9; size -= STEP_PT) {
    if (options.maxLines === 1) {
      if (measure(clean, size, bold) <= options.widthPt) return { lines: [clean], fontSize: size };
      continue;
    }
    const lines = wrap(measure, clean, options.widthPt, size, bold);
    if (lines.length <= options.maxLines) return { lines, fontSize: size };
  }
  const size = options.minPt;
  if (options.maxLines === 1) return { lines: [truncate(measure, clean, options.widthPt, size, bold)], fontSize: size };
  const lines = wrap(measure, clean, options.widthPt, size, bold);
  const kept = lines.slice(0, options.maxLines - 1);
  const rest = lines.slice(options.maxLines - 1).join(' ');
  return { lines: [...kept, truncate(measure, rest, options.widthPt, size, bold)], fontSize: size };
}
