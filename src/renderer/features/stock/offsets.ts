/**
 * Printer offsets in tenths of a millimetre (UX.md 10: 0.1 mm steps), within the range the station's
 * settings accept. Integers only, so 0.1 + 0.2 never becomes 0.30000000000000004 mm.
 */
export const OFFSET_LIMIT_TENTHS = 200;

export type Axis = 'x' | 'y';

export interface Offsets {
  readonly x: number;
  readonly y: number;
}

export function nudge(offsets: Offsets, axis: Axis, deltaTenths: number): Offsets {
  const next = Math.max(-OFFSET_LIMIT_TENTHS, Math.min(OFFSET_LIMIT_TENTHS, offsets[axis] + deltaTenths));
  return { ...offsets, [axis]: next };
}

/** Tenths as millimetres with one decimal and a sign: 15 → "+1,5", -3 → "−0,3" (German). */
export function formatMillimetres(tenths: number, decimal: ',' | '.'): string {
  const sign = tenths > 0 ? '+' : tenths < 0 ? '−' : '±';
  const abs = Math.abs(tenths);
  return `${sign}${Math.floor(abs / 10)}${decimal}${abs % 10}`;
}
