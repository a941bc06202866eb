import type { Knex } from 'knex';

export interface SeatRow {
  id: string;
  event_id: string;
  category_id: string;
  block: string;
  row_label: string;
  row_index: number;
  seat_number: number;
  status: 'available' | 'held' | 'sold';
  hold_id: string | null;
  hold_expires_at: Date | null;
}

/** A seat can be taken when it is free, its hold has expired, or it is held by the caller's own hold. */
export function isTakeable(seat: SeatRow, now: Date, holdId: string | undefined): boolean {
  if (seat.status === 'available') return true;
  if (seat.status !== 'held') return false;
  return (seat.hold_expires_at !== null && seat.hold_expires_at.getTime() <= now.getTime()) || (holdId !== undefined && seat.hold_id === holdId);
}

/** Locks the given seats in id order (so concurrent buyers never deadlock) and returns them. */
export async function lockSeats(trx: Knex.Transaction, eventId: string, seatIds: readonly string[]): Promise<SeatRow[]> {
  if (seatIds.length === 0) return [];
  const sorted = [...seatIds].sort();
  return trx('seats').where('event_id', eventId).whereIn('id', sorted).orderBy('id').forUpdate().select<SeatRow[]>('*');
}

interface Run {
  block: string;
  row_index: number;
  first: number;
  len: number;
}

const TAKEABLE = `(status = 'available' OR (status = 'held' AND hold_expires_at <= ?))`;

/**
 * Best available: n seats of a category, adjacent in one row where possible, front rows first and
 * centred within the free run. The run is found in SQL (no row transfer), then locked with SKIP LOCKED
 * so that concurrent buyers never queue behind each other: a seat someone else is buying right now is
 * skipped and the next best run is tried.
 */
export async function pickBestAvailable(trx: Knex.Transaction, input: { eventId: string; categoryId: string; quantity: number; now: Date; exclude: ReadonlySet<string> }): Promise<SeatRow[] | undefined> {
  const excluded = [...input.exclude];
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const runs = await trx.raw<{ rows: Run[] }>(
      `WITH free AS (
         SELECT block, row_index, seat_number,
                seat_number - row_number() OVER (PARTITION BY block, row_index ORDER BY seat_number) AS grp
           FROM seats
          WHERE event_id = ? AND category_id = ? AND ${TAKEABLE} ${excluded.length > 0 ? 'AND NOT (id = ANY(?))' : ''}
       )
       SELECT block, row_index, min(seat_number)::int AS first, count(*)::int AS len
         FROM free GROUP BY block, row_index, grp
       HAVING count(*) >= ?
        ORDER BY row_index, block, min(seat_number)
        LIMIT 1`,
      [input.eventId, input.categoryId, input.now, ...(excluded.length > 0 ? [excluded] : []), input.quantity],
    );
    const run = runs.rows[0];
    let candidates: SeatRow[];
    if (run !== undefined) {
      const start = run.first + Math.floor((run.len - input.quantity) / 2);
      candidates = await trx('seats')
        .where({ event_id: input.eventId, category_id: input.categoryId, block: run.block, row_index: run.row_index })
        .whereBetween('seat_number', [start, start + input.quantity - 1])
        .orderBy('id')
        .forUpdate()
        .skipLocked()
        .select<SeatRow[]>('*');
    } else {
      // No run long enough: the best single seats, front first.
      candidates = await trx('seats')
        .where({ event_id: input.eventId, category_id: input.categoryId })
        .whereRaw(TAKEABLE, [input.now])
        .modify((q) => {
          if (excluded.length > 0) void q.whereNotIn('id', excluded);
        })
        .orderBy([{ column: 'row_index' }, { column: 'block' }, { column: 'seat_number' }])
        .limit(input.quantity)
        .forUpdate()
        .skipLocked()
        .select<SeatRow[]>('*');
      if (candidates.length < input.quantity) return undefined;
    }
    const usable = candidates.filter((s) => isTakeable(s, input.now, undefined));
    if (usable.length === input.quantity) return usable;
    // Someone else got there first: leave those seats out and look again.
    for (const s of candidates) excluded.push(s.id);
  }
  return undefined;
}
