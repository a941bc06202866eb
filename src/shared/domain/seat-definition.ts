/**
 * The compact seat definition a promoter types to lay out a seated event, one range per line:
 *
 *   Block A rows 1-20 seats 1-30 category "Kat 1"
 *   Block B Reihe 1–5 Platz 1–12 Kategorie "Kat 2"
 *   Block "Parkett links", rows A-F, seats 1-29 odd, category Parkett
 *
 * English and German keywords (block; row/rows/Reihe/Reihen; seat/seats/Platz/Plätze/Sitz/Sitze;
 * category/Kategorie), ranges with "-", en dash "–", em dash "—", ".." or "bis", rows as numbers or
 * letters (A…Z, AA…), an optional odd/even filter (ungerade/gerade) for theatres that number each side
 * separately, names quoted ("…", „…“, “…”) or bare. Blank lines and lines starting with # are ignored.
 *
 * Pure: the station shows the same errors while the promoter types that the server refuses with.
 */

export const SEAT_DEFINITION_LIMITS = {
  /** Seats of one event (the server counts existing seats against it too). */
  maxSeats: 100_000,
  maxLines: 5_000,
  maxSeatNumber: 99_999,
  maxRowNumber: 9_999,
  /** Letter rows: up to three letters (A … ZZZ). */
  maxRowLetters: 3,
  maxBlockLength: 50,
  maxCategoryLength: 100,
} as const;

export const SEAT_DEFINITION_ERROR_CODES = [
  'SEAT_DEFINITION_EMPTY',
  'SEAT_DEFINITION_SYNTAX',
  'SEAT_RANGE_INVALID',
  'ROW_KIND_MIXED',
  'SEAT_OVERLAP',
  'TOO_MANY_SEATS',
] as const;
export type SeatDefinitionErrorCode = (typeof SEAT_DEFINITION_ERROR_CODES)[number];

export interface SeatDefinitionError {
  /** 1-based line number in the submitted text (0 for the text as a whole). */
  line: number;
  code: SeatDefinitionErrorCode;
  message: string;
}

export interface SeatRow {
  /** As printed on the ticket: "12" or "C". */
  label: string;
  /** Position for ordering and adjacency: the number itself, or A=1, B=2, …, Z=26, AA=27. */
  index: number;
}

/** Seat numbers first, first+step, …, last (step 2 for odd/even sides). */
export interface SeatNumbers {
  first: number;
  last: number;
  step: 1 | 2;
}

export interface SeatRange {
  line: number;
  block: string;
  rows: SeatRow[];
  seats: SeatNumbers;
  category: string;
  /** rows × seats */
  count: number;
}

export interface SeatDefinition {
  ranges: SeatRange[];
  seatCount: number;
  /** Category names in order of first use. */
  categories: string[];
  /** Per block: whether its rows are numbers or letters (a block never mixes them). */
  blockRowKinds: Map<string, RowKind>;
}

export type RowKind = 'number' | 'letter';

export type SeatDefinitionResult = { ok: true; definition: SeatDefinition } | { ok: false; errors: SeatDefinitionError[] };

const MAX_REPORTED_ERRORS = 20;

const KEYWORDS = {
  block: ['block'],
  rows: ['rows', 'row', 'reihen', 'reihe'],
  seats: ['seats', 'seat', 'plätze', 'plaetze', 'platz', 'sitzplätze', 'sitzplaetze', 'sitzplatz', 'sitze', 'sitz'],
  category: ['category', 'kategorie'],
} as const;
const PARITY: Record<string, 'odd' | 'even'> = { odd: 'odd', ungerade: 'odd', even: 'even', gerade: 'even' };
const QUOTES: Record<string, readonly string[]> = { '"': ['"'], '„': ['“', '"'], '“': ['”', '"'], '«': ['»'], '»': ['«'] };
// Range separators; dashes are normalised to "-" before scanning.
const DASHES = /[\u2010-\u2015\u2212]/g;

export function rowKindOf(label: string): RowKind {
  return /^[0-9]+$/.test(label) ? 'number' : 'letter';
}

/** A=1 … Z=26, AA=27 … (bijective base 26, as spreadsheet columns). */
export function letterRowIndex(label: string): number {
  let n = 0;
  for (const ch of label.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function letterRowLabel(index: number): string {
  let label = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  return label;
}

/** Every seat number of a range, in order. */
export function seatNumbersOf(seats: SeatNumbers): number[] {
  const out: number[] = [];
  for (let n = seats.first; n <= seats.last; n += seats.step) out.push(n);
  return out;
}

class LineError extends Error {
  constructor(
    readonly code: SeatDefinitionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A tiny scanner over one line; every read skips leading blanks and commas. */
class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  private skip(): void {
    while (this.pos < this.text.length && /[\s,;]/.test(this.text[this.pos]!)) this.pos += 1;
  }

  atEnd(): boolean {
    this.skip();
    return this.pos >= this.text.length;
  }

  /** The next word (letters incl. umlauts), lower-cased, without consuming it. */
  private peekWord(): string {
    this.skip();
    const match = /^[\p{L}]+/u.exec(this.text.slice(this.pos));
    return match === null ? '' : match[0].toLowerCase();
  }

  keyword(options: readonly string[], expected: string): void {
    const word = this.peekWord();
    if (!options.includes(word)) {
      const found = this.atEnd() ? 'the end of the line' : `"${this.text.slice(this.pos, this.pos + 20).trim()}"`;
      throw new LineError('SEAT_DEFINITION_SYNTAX', `expected ${expected} but found ${found}`);
    }
    this.pos += word.length;
    if (this.pos < this.text.length && !/[\s,;"„“«»]/.test(this.text[this.pos]!)) {
      throw new LineError('SEAT_DEFINITION_SYNTAX', `expected ${expected} followed by a space`);
    }
  }

  optionalWord(options: readonly string[]): string | undefined {
    const word = this.peekWord();
    if (!options.includes(word)) return undefined;
    this.pos += word.length;
    return word;
  }

  /** A quoted name, or a bare one: a single token (`restOfLine` false) or everything left on the line. */
  name(what: string, restOfLine: boolean): string {
    this.skip();
    const open = this.text[this.pos];
    if (open !== undefined && QUOTES[open] !== undefined) {
      const closers = QUOTES[open];
      let end = -1;
      for (let i = this.pos + 1; i < this.text.length; i += 1) {
        if (closers.includes(this.text[i]!)) {
          end = i;
          break;
        }
      }
      if (end < 0) throw new LineError('SEAT_DEFINITION_SYNTAX', `the ${what} name has no closing quote`);
      const name = this.text.slice(this.pos + 1, end).trim();
      this.pos = end + 1;
      if (name === '') throw new LineError('SEAT_DEFINITION_SYNTAX', `the ${what} name is empty`);
      return name;
    }
    if (restOfLine) {
      const name = this.text.slice(this.pos).trim().replace(/[,;]+$/, '').trim();
      this.pos = this.text.length;
      if (name === '') throw new LineError('SEAT_DEFINITION_SYNTAX', `the ${what} name is missing`);
      return name;
    }
    const match = /^[^\s,;]+/.exec(this.text.slice(this.pos));
    if (match === null) throw new LineError('SEAT_DEFINITION_SYNTAX', `the ${what} name is missing`);
    this.pos += match[0].length;
    return match[0];
  }

  /** `a`, `a-b`, `a..b` or `a bis b`, where a and b match `token`. */
  range(token: RegExp, what: string): [string, string] {
    this.skip();
    const rest = this.text.slice(this.pos);
    const first = token.exec(rest);
    if (first === null) throw new LineError('SEAT_DEFINITION_SYNTAX', `expected ${what}`);
    let consumed = first[0].length;
    const sep = /^\s*(?:-|\.\.|bis\b|to\b)\s*/i.exec(rest.slice(consumed));
    if (sep === null) {
      this.pos += consumed;
      return [first[0], first[0]];
    }
    consumed += sep[0].length;
    const second = token.exec(rest.slice(consumed));
    if (second === null) throw new LineError('SEAT_DEFINITION_SYNTAX', `the range of ${what} has no end`);
    this.pos += consumed + second[0].length;
    return [first[0], second[0]];
  }
}

function parseRows(from: string, to: string): SeatRow[] {
  const kind = rowKindOf(from);
  if (kind !== rowKindOf(to)) throw new LineError('SEAT_RANGE_INVALID', `rows ${from}-${to} mix numbers and letters`);
  if (kind === 'number') {
    const a = Number(from);
    const b = Number(to);
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    if (hi > SEAT_DEFINITION_LIMITS.maxRowNumber) throw new LineError('SEAT_RANGE_INVALID', `row numbers go up to ${SEAT_DEFINITION_LIMITS.maxRowNumber}`);
    if (lo < 1) throw new LineError('SEAT_RANGE_INVALID', 'row numbers start at 1');
    const rows: SeatRow[] = [];
    for (let r = lo; r <= hi; r += 1) rows.push({ label: String(r), index: r });
    return rows;
  }
  const a = letterRowIndex(from);
  const b = letterRowIndex(to);
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const rows: SeatRow[] = [];
  for (let r = lo; r <= hi; r += 1) rows.push({ label: letterRowLabel(r), index: r });
  return rows;
}

function parseSeats(from: string, to: string, parity: 'odd' | 'even' | undefined): SeatNumbers {
  const a = Number(from);
  const b = Number(to);
  let [lo, hi] = a <= b ? [a, b] : [b, a];
  if (hi > SEAT_DEFINITION_LIMITS.maxSeatNumber) throw new LineError('SEAT_RANGE_INVALID', `seat numbers go up to ${SEAT_DEFINITION_LIMITS.maxSeatNumber}`);
  if (parity === undefined) return { first: lo, last: hi, step: 1 };
  const want = parity === 'odd' ? 1 : 0;
  if (lo % 2 !== want) lo += 1;
  if (hi % 2 !== want) hi -= 1;
  if (lo > hi) throw new LineError('SEAT_RANGE_INVALID', `seats ${from}-${to} contain no ${parity} numbers`);
  return { first: lo, last: hi, step: 2 };
}

function parseLine(text: string, line: number): SeatRange {
  const s = new Scanner(text);
  s.keyword(KEYWORDS.block, '"Block"');
  const block = s.name('block', false);
  if (block.length > SEAT_DEFINITION_LIMITS.maxBlockLength) throw new LineError('SEAT_RANGE_INVALID', `the block name is longer than ${SEAT_DEFINITION_LIMITS.maxBlockLength} characters`);
  s.keyword(KEYWORDS.rows, '"rows" or "Reihe"');
  const rowToken = new RegExp(`^(?:[0-9]{1,5}|[A-Za-z]{1,${SEAT_DEFINITION_LIMITS.maxRowLetters}})(?![\\p{L}0-9])`, 'u');
  const [rowFrom, rowTo] = s.range(rowToken, 'a row number or letters (e.g. 1-20 or A-F)');
  const rows = parseRows(rowFrom.toUpperCase(), rowTo.toUpperCase());
  s.keyword(KEYWORDS.seats, '"seats" or "Platz"');
  const [seatFrom, seatTo] = s.range(/^[0-9]{1,6}(?![\p{L}0-9])/u, 'seat numbers (e.g. 1-30)');
  const parityWord = s.optionalWord(Object.keys(PARITY));
  const seats = parseSeats(seatFrom, seatTo, parityWord === undefined ? undefined : PARITY[parityWord]);
  s.keyword(KEYWORDS.category, '"category" or "Kategorie"');
  const category = s.name('category', true);
  if (category.length > SEAT_DEFINITION_LIMITS.maxCategoryLength) throw new LineError('SEAT_RANGE_INVALID', `the category name is longer than ${SEAT_DEFINITION_LIMITS.maxCategoryLength} characters`);
  if (!s.atEnd()) throw new LineError('SEAT_DEFINITION_SYNTAX', 'unexpected text after the category name');
  const perRow = Math.floor((seats.last - seats.first) / seats.step) + 1;
  return { line, block, rows, seats, category, count: rows.length * perRow };
}

/**
 * Parses and checks a whole definition: syntax, ranges, one row kind per block, no seat twice, at most
 * `maxSeats` seats. Returns every line's error (up to 20) or the ranges; nothing is half-accepted.
 */
export function parseSeatDefinition(text: string, options: { maxSeats?: number } = {}): SeatDefinitionResult {
  const maxSeats = options.maxSeats ?? SEAT_DEFINITION_LIMITS.maxSeats;
  const lines = text.normalize('NFC').replace(DASHES, '-').split(/\r\n|\r|\n/);
  const errors: SeatDefinitionError[] = [];
  const fail = (): SeatDefinitionResult => ({ ok: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) });
  const ranges: SeatRange[] = [];
  let content = 0;
  for (const [i, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    content += 1;
    if (content > SEAT_DEFINITION_LIMITS.maxLines) {
      errors.push({ line: i + 1, code: 'TOO_MANY_SEATS', message: `A definition has at most ${SEAT_DEFINITION_LIMITS.maxLines} lines.` });
      return fail();
    }
    try {
      ranges.push(parseLine(trimmed, i + 1));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      errors.push({ line: i + 1, code: error.code, message: `Line ${i + 1}: ${error.message}.` });
    }
  }
  if (errors.length > 0) return fail();
  if (ranges.length === 0) return { ok: false, errors: [{ line: 0, code: 'SEAT_DEFINITION_EMPTY', message: 'The definition contains no seats.' }] };

  const seatCount = ranges.reduce((n, r) => n + r.count, 0);
  if (seatCount > maxSeats) {
    return { ok: false, errors: [{ line: 0, code: 'TOO_MANY_SEATS', message: `The definition has ${seatCount} seats; at most ${maxSeats} are allowed.` }] };
  }

  const blockRowKinds = new Map<string, RowKind>();
  const kindLine = new Map<string, number>();
  for (const r of ranges) {
    const kind = rowKindOf(r.rows[0]!.label);
    const known = blockRowKinds.get(r.block);
    if (known === undefined) {
      blockRowKinds.set(r.block, kind);
      kindLine.set(r.block, r.line);
    } else if (known !== kind) {
      errors.push({
        line: r.line,
        code: 'ROW_KIND_MIXED',
        message: `Line ${r.line}: block ${r.block} has ${known === 'number' ? 'numbered' : 'lettered'} rows (line ${kindLine.get(r.block)}); a block does not mix row numbers and letters.`,
      });
    }
  }
  if (errors.length > 0) return fail();

  // No seat twice: expand per row (bounded by maxSeats above) and remember which line claimed each seat.
  const claimed = new Map<string, Map<number, number>>();
  for (const r of ranges) {
    const numbers = seatNumbersOf(r.seats);
    let reported = false;
    for (const row of r.rows) {
      const key = `${r.block}\u0000${row.label}`;
      let seats = claimed.get(key);
      if (seats === undefined) {
        seats = new Map();
        claimed.set(key, seats);
      }
      for (const n of numbers) {
        const owner = seats.get(n);
        if (owner !== undefined && !reported) {
          errors.push({ line: r.line, code: 'SEAT_OVERLAP', message: `Line ${r.line}: block ${r.block} row ${row.label} seat ${n} is already defined in line ${owner}.` });
          reported = true;
        }
        seats.set(n, owner ?? r.line);
      }
      if (reported) break;
    }
    if (errors.length >= MAX_REPORTED_ERRORS) break;
  }
  if (errors.length > 0) return fail();

  const categories = [...new Set(ranges.map((r) => r.category))];
  return { ok: true, definition: { ranges, seatCount, categories, blockRowKinds } };
}
