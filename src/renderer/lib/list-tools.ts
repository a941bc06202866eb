/**
 * Sorting, text filtering and CSV export for the back-office lists (UX.md 22: lists filter, sort and
 * export). Pure functions, so the screens' tables and their tests share one behaviour.
 */

export type SortDirection = 'asc' | 'desc';

export interface SortState<K extends string = string> {
  readonly key: K;
  readonly direction: SortDirection;
}

export type SortValue = string | number | null;

/** The same column again flips the direction; another column starts ascending. */
export function nextSort<K extends string>(current: SortState<K> | undefined, key: K): SortState<K> {
  if (current?.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: 'asc' };
}

const collator = new Intl.Collator('de', { numeric: true, sensitivity: 'base' });

function compare(a: SortValue, b: SortValue): number {
  // Empty values go last in either direction: a clerk looks for the filled ones first.
  if (a === null || a === '') return b === null || b === '' ? 0 : 1;
  if (b === null || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** A stable sort: rows with equal values keep the server's order. */
export function sortRows<T, K extends string>(rows: readonly T[], sort: SortState<K> | undefined, value: (row: T, key: K) => SortValue): T[] {
  if (sort === undefined) return [...rows];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row, sort.key) }))
    .sort((x, y) => {
      const emptyX = x.v === null || x.v === '';
      const emptyY = y.v === null || y.v === '';
      if (emptyX !== emptyY) return emptyX ? 1 : -1;
      return sign * compare(x.v, y.v) || x.index - y.index;
    })
    .map((entry) => entry.row);
}

/** Rows whose texts contain every word of the query (case-insensitive, in any order). */
export function filterRows<T>(rows: readonly T[], query: string, texts: (row: T) => readonly (string | null)[]): T[] {
  const words = query.toLocaleLowerCase('de').split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const haystack = texts(row)
      .filter((t): t is string => t !== null)
      .join(' ')
      .toLocaleLowerCase('de');
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * One CSV field. Semicolon-separated as German spreadsheets expect; a text that a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR at the start) gets a leading apostrophe (CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // A plain signed number ("-123,45") is data, not a formula; anything else starting so is guarded.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-\d+(?:,\d+)?$/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(';')).join('\r\n') + '\r\n';
}

/** Cents as "12,34" for CSV columns (German decimal comma, no currency sign). */
export function centsForCsv(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A euro amount as typed by a clerk ("1.234,50", "12,5", "12") into integer cents; undefined for
 * anything else. No floating point: the digits are taken apart as text.
 */
export function parseEuroInput(text: string): number | undefined {
  const match = /^\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?\s*(?:€)?\s*$/.exec(text);
  if (match === null) return undefined;
  const euros = Number(match[1]!.replace(/\./g, ''));
  const cents = Number((match[2] ?? '0').padEnd(2, '0'));
  const total = euros * 100 + cents;
  return Number.isSafeInteger(total) ? total : undefined;
}
