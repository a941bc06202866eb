import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutLayoutTables } from '../../../../src/main/printing/font-tables.js';
import { findTicketFontDir, SYSTEM_FONT_DIR, TICKET_FONT_FILES } from '../../../../src/main/printing/ticket-sheet-pdf.js';

interface Font {
  numGlyphs: number;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
}
const fontkit = createRequire(import.meta.url)('fontkit') as { create(buffer: Buffer): Font };
const original = readFileSync(path.join(findTicketFontDir([SYSTEM_FONT_DIR]), TICKET_FONT_FILES.normal));
const tags = (font: Buffer) => Array.from({ length: font.readUInt16BE(4) }, (_, i) => font.toString('latin1', 12 + 16 * i, 16 + 16 * i));

describe('withoutLayoutTables', () => {
  const stripped = withoutLayoutTables(original);

  it('drops GSUB, GPOS, GDEF, kern and MATH and keeps every other table byte for byte', () => {
    expect(tags(original)).toEqual(expect.arrayContaining(['GSUB', 'GPOS', 'GDEF', 'kern']));
    expect(tags(stripped)).toEqual(tags(original).filter((tag) => !['GSUB', 'GPOS', 'GDEF', 'kern', 'MATH'].includes(tag)));
    for (const [i, tag] of tags(stripped).entries()) {
      const at = (font: Buffer, t: string) => {
        const index = tags(font).indexOf(t);
        const offset = font.readUInt32BE(12 + 16 * index + 8);
        return font.subarray(offset, offset + font.readUInt32BE(12 + 16 * index + 12));
      };
      expect(at(stripped, tag).equals(at(original, tag)), `${i} ${tag}`).toBe(true);
    }
  });

  it('still maps every character of the sample texts to the same glyph with the same advance', () => {
    const before = fontkit.create(original);
    const after = fontkit.create(stripped);
    expect(after.numGlyphs).toBe(before.numGlyphs);
    for (const char of 'Ärzte Große Dvořák € Чайковский Ωδείο 0123456789') {
      const cp = char.codePointAt(0)!;
      expect(after.glyphForCodePoint(cp).id, char).toBe(before.glyphForCodePoint(cp).id);
      expect(after.glyphForCodePoint(cp).advanceWidth, char).toBe(before.glyphForCodePoint(cp).advanceWidth);
    }
  });

  it('returns other font formats unchanged', () => {
    const otf = Buffer.from('OTTO and the rest');
    expect(withoutLayoutTables(otf)).toBe(otf);
  });
});
