import { inflateSync } from 'node:zlib';

/**
 * Reads the text back out of a PDF written by pdfkit (pdfmake's engine), without external tools: the
 * text is drawn with subset fonts as glyph codes (`[<0001 0002>] TJ`), so it is decoded through each
 * font's ToUnicode map. Enough for our own documents, not a general PDF parser. Lines follow the text
 * matrix: a new baseline starts a new line.
 */
export interface PdfText {
  text: string;
  /** Glyphs drawn as .notdef (code 0): characters the font could not show. */
  missingGlyphs: number;
  pageCount: number;
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const s = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(s)) !== null) {
    const start = match.index + match[0].length;
    const streamAt = s.indexOf('\nstream\n', start);
    const endAt = s.indexOf('\nendobj', start);
    if (streamAt !== -1 && streamAt < endAt) {
      const dict = s.slice(start, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const dataStart = streamAt + '\nstream\n'.length;
      const raw = pdf.subarray(dataStart, dataStart + length);
      objects.set(Number(match[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : Buffer.from(raw) });
      header.lastIndex = dataStart + length;
    } else {
      objects.set(Number(match[1]), { dict: s.slice(start, endAt) });
      header.lastIndex = endAt;
    }
  }
  return objects;
}

/** code → text, from a ToUnicode CMap (bfrange with arrays or a start value, and bfchar). */
function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const line of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const from = parseInt(line[1]!, 16);
      const to = parseInt(line[2]!, 16);
      const target = line[3]!;
      if (target.startsWith('[')) {
        const entries = [...target.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!);
        for (let code = from; code <= to; code += 1) map.set(code, utf16(entries[code - from] ?? ''));
      } else {
        const base = parseInt(target.slice(1, -1), 16);
        for (let code = from; code <= to; code += 1) map.set(code, String.fromCharCode(base + code - from));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const line of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(line[1]!, 16), utf16(line[2]!));
  }
  return map;
}

export function pdfText(pdf: Buffer): PdfText {
  const objects = readObjects(pdf);
  // Font resource names (F1, F2, …) are document-wide in pdfkit.
  const fonts = new Map<string, Map<number, string>>();
  let pageCount = 0;
  const contents: number[] = [];
  for (const object of objects.values()) {
    for (const block of object.dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const ref of (block[1] ?? '').matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const font = objects.get(Number(ref[2]));
        const toUnicode = font === undefined ? undefined : /\/ToUnicode (\d+) 0 R/.exec(font.dict)?.[1];
        const cmap = toUnicode === undefined ? undefined : objects.get(Number(toUnicode))?.stream;
        if (cmap !== undefined) fonts.set(ref[1]!, parseCmap(cmap.toString('latin1')));
      }
    }
    if (/\/Type \/Page\b/.test(object.dict)) {
      pageCount += 1;
      const ref = /\/Contents (\d+) 0 R/.exec(object.dict)?.[1];
      if (ref !== undefined) contents.push(Number(ref));
    }
  }
  let text = '';
  let missingGlyphs = 0;
  for (const ref of contents.sort((a, b) => a - b)) {
    const stream = objects.get(ref)?.stream?.toString('latin1') ?? '';
    let font: Map<number, string> | undefined;
    let lastY: string | undefined;
    for (const op of stream.matchAll(/\/(\w+) [\d.]+ Tf|[\d.-]+ [\d.-]+ [\d.-]+ [\d.-]+ [\d.-]+ ([\d.-]+) Tm|\[([^\]]*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (op[1] !== undefined) font = fonts.get(op[1]);
      else if (op[2] !== undefined) {
        if (lastY !== undefined && op[2] !== lastY) text += '\n';
        lastY = op[2];
      } else {
        const hexes = op[3] !== undefined ? [...op[3].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [op[4]!];
        for (const hex of hexes) {
          for (const code of (hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16))) {
            if (code === 0) missingGlyphs += 1;
            text += font?.get(code) ?? '\ufffd';
          }
        }
      }
    }
    text += '\n';
  }
  return { text, missingGlyphs, pageCount };
}
