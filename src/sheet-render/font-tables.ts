/**
 * Removes the OpenType layout tables (GSUB, GPOS, GDEF, kern, MATH) from a TrueType font. A ticket needs
 * no ligatures, kerning or mark positioning (names arrive precomposed), but fontkit decodes those tables
 * for every new PDF document, which cost DejaVu Sans about 30 ms per font and document. Without them a
 * glyph's width is its advance width, so the sheet's text measuring is exact too. Glyph outlines,
 * metrics and the character map are kept byte for byte; pdfkit embeds a subset built from them.
 */

const DROPPED = new Set(['GSUB', 'GPOS', 'GDEF', 'kern', 'MATH']);

export function withoutLayoutTables(font: Buffer): Buffer {
  const version = font.readUInt32BE(0);
  // TrueType outlines only ('\0\x01\0\0' or 'true'); anything else is returned unchanged.
  if (version !== 0x00010000 && version !== 0x74727565) return font;
  const count = font.readUInt16BE(4);
  const tables: Array<{ tag: string; checksum: number; data: Buffer }> = [];
  for (let i = 0; i < count; i += 1) {
    const record = 12 + 16 * i;
    const tag = font.toString('latin1', record, record + 4);
    const offset = font.readUInt32BE(record + 8);
    const length = font.readUInt32BE(record + 12);
    if (offset + length > font.length) throw new RangeError(`font table ${tag} lies outside the file`);
    if (!DROPPED.has(tag)) tables.push({ tag, checksum: font.readUInt32BE(record + 4), data: font.subarray(offset, offset + length) });
  }
  const headerLength = 12 + 16 * tables.length;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(headerLength + tables.reduce((sum, table) => sum + padded(table.data.length), 0));
  const searchPower = 2 ** Math.floor(Math.log2(tables.length));
  out.writeUInt32BE(version, 0);
  out.writeUInt16BE(tables.length, 4);
  out.writeUInt16BE(searchPower * 16, 6);
  out.writeUInt16BE(Math.log2(searchPower), 8);
  out.writeUInt16BE(tables.length * 16 - searchPower * 16, 10);
  let offset = headerLength;
  tables.forEach((table, i) => {
    const record = 12 + 16 * i;
    out.write(table.tag, record, 'latin1');
    out.writeUInt32BE(table.checksum, record + 4);
    out.writeUInt32BE(offset, record + 8);
    out.writeUInt32BE(table.data.length, record + 12);
    table.data.copy(out, offset);
    offset += padded(table.data.length);
  });
  return out;
}
