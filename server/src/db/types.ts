/**
 * One set of result parsers for both backends, so that repository code sees the same JavaScript values
 * whether it runs on the PostgreSQL server (`pg`) or on embedded PGlite:
 *   int8        -> number (refused above 2^53 rather than silently rounded; cents and sequences fit)
 *   numeric     -> string (exact decimal; convert deliberately where needed)
 *   date        -> 'YYYY-MM-DD' string (a calendar day has no time zone)
 *   timestamptz -> Date (both drivers' own parsers already agree on this; a test keeps them honest)
 */
export const PG_OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamptz: 1184,
} as const;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds the safe integer range`);
  return value;
}

const identity = (text: string): string => text;

export const RESULT_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [PG_OID.int8]: parseInt8,
  [PG_OID.numeric]: identity,
  [PG_OID.date]: identity,
};
