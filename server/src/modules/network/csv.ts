import { closeSync, openSync, readSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { NetworkConfigError } from './errors.js';

/** Receives one record and the line it starts on (1-based). */
export type CsvRowHandler = (fields: string[], line: number) => void;

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

type State = 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted';

/**
 * Incremental RFC 4180 reader: chunks may split a record, a quoted field or a "" escape anywhere.
 * Quoted fields may hold commas, quotes and line breaks (country names such as "Bonaire, Sint
 * Eustatius, and Saba"); LF and CRLF line ends are both accepted; blank lines are skipped. A quote
 * inside an unquoted field or text after a closing quote is an error rather than a guess.
 */
export class CsvReader {
  private state: State = 'field-start';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private rowLine = 1;
  private afterCr = false;

  constructor(
    private readonly onRow: CsvRowHandler,
    private readonly source = 'CSV input',
  ) {}

  push(chunk: string): void {
    let segment = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) {
          segment = i + 1;
          continue;
        }
      }
      switch (this.state) {
        case 'field-start':
          if (c === QUOTE) {
            this.state = 'quoted';
            segment = i + 1;
          } else if (c === COMMA) {
            this.endField();
          } else if (c === LF || c === CR) {
            this.endRecord(c);
            segment = i + 1;
          } else {
            this.state = 'unquoted';
            segment = i;
          }
          break;
        case 'unquoted':
          if (c === COMMA) {
            this.field += chunk.slice(segment, i);
            this.endField();
          } else if (c === LF || c === CR) {
            this.field += chunk.slice(segment, i);
            this.endRecord(c);
            segment = i + 1;
          } else if (c === QUOTE) {
            this.fail('a quote inside an unquoted field');
          }
          break;
        case 'quoted':
          if (c === QUOTE) {
            this.field += chunk.slice(segment, i);
            this.state = 'quote-in-quoted';
          } else if (c === LF) {
            this.line += 1;
          }
          break;
        case 'quote-in-quoted':
          if (c === QUOTE) {
            this.field += '"';
            this.state = 'quoted';
            segment = i + 1;
          } else if (c === COMMA) {
            this.endField();
          } else if (c === LF || c === CR) {
            this.endRecord(c);
            segment = i + 1;
          } else {
            this.fail('text after the closing quote of a field');
          }
          break;
      }
    }
    if (this.state === 'unquoted' || this.state === 'quoted') this.field += chunk.slice(segment);
  }

  /** Emits a last record without a line break; an open quote is an error. */
  end(): void {
    if (this.state === 'quoted') this.fail('a quoted field is not closed');
    if (this.state !== 'field-start' || this.fields.length > 0) this.emit();
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'field-start';
  }

  private endRecord(c: number): void {
    if (this.state !== 'field-start' || this.fields.length > 0) this.emit();
    this.line += 1;
    this.rowLine = this.line;
    this.afterCr = c === CR;
  }

  private emit(): void {
    this.fields.push(this.field);
    const fields = this.fields;
    this.fields = [];
    this.field = '';
    this.state = 'field-start';
    this.onRow(fields, this.rowLine);
  }

  private fail(why: string): never {
    throw new NetworkConfigError(`${this.source}:${this.line}: ${why}`);
  }
}

/**
 * Reads a UTF-8 CSV file in 64 KiB chunks (a byte-order mark is dropped) and hands each record to
 * onRow, so a GeoIP file of many megabytes never sits in memory as one string.
 */
export function readCsvFile(file: string, onRow: CsvRowHandler): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NetworkConfigError(`${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`, { cause: error });
  }
  try {
    const reader = new CsvReader(onRow, file);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const buffer = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      reader.push(decode(decoder, buffer.subarray(0, read), file, true));
    }
    reader.push(decode(decoder, undefined, file, false));
    reader.end();
  } finally {
    closeSync(fd);
  }
}

function decode(decoder: TextDecoder, bytes: Uint8Array | undefined, file: string, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch (error) {
    throw new NetworkConfigError(`${file} is not valid UTF-8`, { cause: error });
  }
}
