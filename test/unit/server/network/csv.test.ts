import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvReader, readCsvFile } from '../../../../server/src/modules/network/csv.js';

function parse(chunks: string[]): Array<{ fields: string[]; line: number }> {
  const rows: Array<{ fields: string[]; line: number }> = [];
  const reader = new CsvReader((fields, line) => rows.push({ fields, line }), 'test.csv');
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return rows;
}

const SAMPLE =
  'geoname_id,country_iso_code,country_name\r\n' +
  '1,BQ,"Bonaire, Sint Eustatius, and Saba"\r\n' +
  '\r\n' +
  '2,XX,"Says ""hi"""\n' +
  '3,,"two\nlines"\n' +
  ',,\n' +
  '4,YY,""';

const EXPECTED = [
  { fields: ['geoname_id', 'country_iso_code', 'country_name'], line: 1 },
  { fields: ['1', 'BQ', 'Bonaire, Sint Eustatius, and Saba'], line: 2 },
  { fields: ['2', 'XX', 'Says "hi"'], line: 4 },
  { fields: ['3', '', 'two\nlines'], line: 5 },
  { fields: ['', '', ''], line: 7 },
  { fields: ['4', 'YY', ''], line: 8 },
];

describe('CsvReader', () => {
  it('reads quoted commas, doubled quotes, line breaks in quotes, CRLF, blank lines and a last line without a break', () => {
    expect(parse([SAMPLE])).toEqual(EXPECTED);
  });

  it('gives the same records however the input is cut into chunks', () => {
    expect(parse([...SAMPLE])).toEqual(EXPECTED);
    for (let cut = 1; cut < SAMPLE.length; cut += 1) {
      expect(parse([SAMPLE.slice(0, cut), SAMPLE.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it.each([
    ['a,b"c\n', /test\.csv:1: a quote inside an unquoted field/],
    ['a,"b"c\n', /test\.csv:1: text after the closing quote/],
    ['x\na,"b\n', /test\.csv:3: a quoted field is not closed/],
  ])('refuses %j', (text, message) => {
    expect(() => parse([text])).toThrow(message);
    expect(() => parse([text])).toThrow(expect.objectContaining({ code: 'NETWORK_CONFIG_INVALID' }) as Error);
  });
});

describe('readCsvFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'boxoffice-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (file: string) => {
    const rows: string[][] = [];
    readCsvFile(file, (fields) => rows.push(fields));
    return rows;
  };

  it('drops a byte-order mark and decodes multi-byte characters split across 64 KiB reads', () => {
    const file = path.join(dir, 'big.csv');
    // BOM (3 bytes) + "id,name\n" (8) + "1," (2) + filler puts the first byte of "ü" at offset 65535.
    const filler = 'x'.repeat(64 * 1024 - 3 - 8 - 2 - 1);
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`id,name\n1,${filler}ü\n2,"Curaçao, Åland"\n`, 'utf8')]));
    const rows = read(file);
    expect(rows[0]).toEqual(['id', 'name']);
    expect(rows[1]?.[1]).toBe(`${filler}ü`);
    expect(rows[2]).toEqual(['2', 'Curaçao, Åland']);
  });

  it('refuses invalid UTF-8 and names a missing file', () => {
    const file = path.join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.from('id,name\n1,K\xf6ln\n', 'latin1'));
    expect(() => read(file)).toThrow(/latin1\.csv is not valid UTF-8/);
    expect(() => read(path.join(dir, 'missing.csv'))).toThrow(/missing\.csv does not exist/);
  });
});
