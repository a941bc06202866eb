import type { Knex } from 'knex';
import { AppError } from '../../errors.js';

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

export interface Run {
  block: string;
  row_index: number;
  first: number;
  len: number;
}

const TAKEABLE = `(status = 'available' OR (status = 'held' AND hold_expires_at <= ?))`;

export interface RunSearch {
  eventId: string;
  categoryId: string;
  quantity: number;
  now: Date;
  /** Seat ids to leave out (already in this order, or just found locked by another buyer). */
  excluded: readonly string[];
}

/**
 * A (block, row) partition of the category that holds takeable seats. `blockRank` is the block's position
 * in the database's sort order of block names, so that partitions are compared exactly as
 * `ORDER BY row_index, block` compares them, without re-implementing the collation here.
 */
interface Partition {
  block: string;
  rowIndex: number;
  blockRank: number;
}

/** After this many partitions without a long enough run (a fragmented front), one full scan decides. */
const MAX_PARTITION_STEPS = 16;

/**
 * The first run of at least `quantity` adjacent takeable seats, ordered by row, block and first seat: the
 * same answer as `bestRunByFullScan`, but reading only the seats of the front rows.
 *
 * Why: every seat row a query reads costs the row-level security check (two SQL functions with sub-selects,
 * about 70 µs a row), so the full scan costs over a second on a 20 000-seat category. Here the search
 * reads, per block, the first takeable seat (a loose index scan on seats_category_status), then walks the
 * (row, block) partitions in order – each a short index range – until one holds a long enough run. A
 * partition without one advances its block to the block's next row with takeable seats. The first
 * statement finds the front of every block and checks the first partition; most searches end there. (A
 * search that walks on reads later partitions in later statements, i.e. with the commits made meanwhile,
 * as any two searches of a sale do.)
 */
export async function findBestRun(trx: Knex.Transaction, input: RunSearch): Promise<Run | undefined> {
  const excl = input.excluded.length > 0;
  const notExcluded = (alias: string) => (excl ? `AND NOT (${alias}.id = ANY(?::uuid[]))` : '');
  const exclArg: Knex.RawBinding[] = excl ? [[...input.excluded]] : [];
  // Per status, one index probe per block: the block's first takeable seat (rows and seats ascending).
  const frontOf = (status: 'available' | 'held', name: string) => {
    const held = status === 'held' ? 'AND s.hold_expires_at <= ?' : '';
    const probe = (extra: string) =>
      `SELECT s.block, s.row_index FROM seats s
        WHERE s.category_id = ? AND s.status = '${status}' AND s.event_id = ? ${held} ${extra} ${notExcluded('s')}
        ORDER BY s.block, s.row_index, s.seat_number LIMIT 1`;
    const args: Knex.RawBinding[] = [input.categoryId, input.eventId, ...(status === 'held' ? [input.now] : [])];
    return {
      sql: `${name}(block, row_index) AS ((${probe('')}) UNION ALL SELECT n.block, n.row_index FROM ${name} p CROSS JOIN LATERAL (${probe('AND s.block > p.block')}) n)`,
      args: [...args, ...exclArg, ...args, ...exclArg],
    };
  };
  const avail = frontOf('available', 'front_available');
  const held = frontOf('held', 'front_held');
  const check = partitionCheck(input, excl, exclArg);
  const first = await trx.raw<{ rows: Array<{ block: string; row_index: number; block_rank: number; first: number | null; len: number | null; next_row: number | null }> }>(
    `WITH RECURSIVE ${avail.sql}, ${held.sql},
     front AS (
       SELECT block, min(row_index) AS row_index FROM (SELECT block, row_index FROM front_available UNION ALL SELECT block, row_index FROM front_held) f GROUP BY block
     ),
     ordered AS (
       SELECT block, row_index, dense_rank() OVER (ORDER BY block)::int AS block_rank FROM front
     ),
     queue AS (
       SELECT block, row_index, block_rank, row_number() OVER (ORDER BY row_index, block_rank) AS pos FROM ordered
     ),
     head AS (
       SELECT q.block, c.first, c.len, c.next_row FROM queue q CROSS JOIN LATERAL (${check.sql('q.block', 'q.row_index')}) c WHERE q.pos = 1
     )
     SELECT q.block, q.row_index, q.block_rank, h.first, h.len, h.next_row
       FROM queue q LEFT JOIN head h ON h.block = q.block
      ORDER BY q.pos`,
    [...avail.args, ...held.args, ...check.args],
  );
  const queue: Partition[] = first.rows.map((r) => ({ block: r.block, rowIndex: r.row_index, blockRank: r.block_rank }));
  const head = first.rows[0];
  if (head === undefined) return undefined;
  if (head.first !== null && head.len !== null) return { block: head.block, row_index: head.row_index, first: head.first, len: head.len };
  let nextRow = head.next_row;
  for (let step = 1; step < MAX_PARTITION_STEPS; step += 1) {
    // The checked partition (the queue's head) had no long enough run: its block moves on to its next row.
    const current = queue[0]!;
    if (nextRow === null) queue.shift();
    else current.rowIndex = nextRow;
    queue.sort((a, b) => a.rowIndex - b.rowIndex || a.blockRank - b.blockRank);
    const next = queue[0];
    if (next === undefined) return undefined;
    const res = await trx.raw<{ rows: Array<{ first: number | null; len: number | null; next_row: number | null }> }>(
      `SELECT c.first, c.len, c.next_row FROM (SELECT ?::text AS block, ?::int AS row_index) h CROSS JOIN LATERAL (${check.sql('h.block', 'h.row_index')}) c`,
      [next.block, next.rowIndex, ...check.args],
    );
    const row = res.rows[0];
    if (row !== undefined && row.first !== null && row.len !== null) return { block: next.block, row_index: next.rowIndex, first: row.first, len: row.len };
    nextRow = row?.next_row ?? null;
  }
  return bestRunByFullScan(trx, input);
}

/**
 * For the partition (block, row): the first run of at least `quantity` takeable seats, or else the block's
 * next row that has takeable seats (null when there is none). Always one row.
 */
function partitionCheck(input: RunSearch, excl: boolean, exclArg: Knex.RawBinding[]): { sql: (block: string, row: string) => string; args: Knex.RawBinding[] } {
  const notExcluded = excl ? 'AND NOT (s.id = ANY(?::uuid[]))' : '';
  return {
    sql: (block: string, row: string) => `
      SELECT r.first, r.len,
             CASE WHEN r.first IS NULL THEN least(
               (SELECT s.row_index FROM seats s
                 WHERE s.category_id = ? AND s.status = 'available' AND s.block = ${block} AND s.row_index > ${row} AND s.event_id = ? ${notExcluded}
                 ORDER BY s.row_index, s.seat_number LIMIT 1),
               (SELECT s.row_index FROM seats s
                 WHERE s.category_id = ? AND s.status = 'held' AND s.block = ${block} AND s.row_index > ${row} AND s.hold_expires_at <= ? AND s.event_id = ? ${notExcluded}
                 ORDER BY s.row_index, s.seat_number LIMIT 1)) END AS next_row
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (
          SELECT min(f.seat_number)::int AS first, count(*)::int AS len
            FROM (SELECT s.seat_number, s.seat_number - row_number() OVER (ORDER BY s.seat_number) AS grp
                    FROM seats s
                   WHERE s.event_id = ? AND s.category_id = ? AND s.block = ${block} AND s.row_index = ${row}
                     AND (s.status = 'available' OR (s.status = 'held' AND s.hold_expires_at <= ?)) ${notExcluded}) f
           GROUP BY f.grp HAVING count(*) >= ?
           ORDER BY min(f.seat_number) LIMIT 1
        ) r ON true`,
    args: [
      input.categoryId,
      input.eventId,
      ...exclArg,
      input.categoryId,
      input.now,
      input.eventId,
      ...exclArg,
      input.eventId,
      input.categoryId,
      input.now,
      ...exclArg,
      input.quantity,
    ],
  };
}

/** The reference search: all takeable seats of the category grouped into runs in one statement. */
export async function bestRunByFullScan(trx: Knex.Transaction, input: RunSearch): Promise<Run | undefined> {
  const excluded = [...input.excluded];
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
  return runs.rows[0];
}

/** Raised when every run tried was being bought by someone else at that moment: not sold out, retry. */
function contended(): AppError {
  return new AppError(503, 'BUSY_RETRY', 'Other counters are buying the best seats of this category right now; nothing was changed. Retry in a moment.', { retryAfterSeconds: 1 });
}

/** Seats locked per step of the front-first walk, and how many steps before the whole-category search. */
const CHUNK = 64;
const MAX_CHUNKS = 4;
/** Runs of the whole-category search tried before giving up with BUSY_RETRY. */
const MAX_ATTEMPTS = 8;

type BestAvailableInput = { eventId: string; categoryId: string; quantity: number; now: Date; exclude: ReadonlySet<string> };

/**
 * Best available: n seats of a category, adjacent in one row where possible, front rows first and
 * centred within the free run.
 *
 * Concurrent buyers must not all race for the same front seats. So the search first walks the category's
 * takeable seats front first (row, block, seat) and locks them in chunks with FOR UPDATE SKIP LOCKED:
 * seats another buyer is locking right now are skipped, which leaves a gap that splits a run, exactly as
 * it should. The first run of n among the seats this buyer could lock is taken. Each buyer thus lands on
 * seats nobody else is buying, in one or two statements, however many buy at once. (The seats locked
 * but not taken stay locked until the sale commits, a few milliseconds; others skip them meanwhile.)
 *
 * When the front is too fragmented for a run within MAX_CHUNKS chunks, the whole-category search
 * (findBestRun, over committed state) finds the best run further back, locked with SKIP LOCKED; failing
 * that, the best single seats already locked are taken.
 *
 * Returns undefined only when the category really has fewer than n takeable seats (committed state);
 * when seats exist but others are buying them right now, it throws BUSY_RETRY (503) instead of
 * claiming the category sold out.
 */
export async function pickBestAvailable(trx: Knex.Transaction, input: BestAvailableInput): Promise<SeatRow[] | undefined> {
  const locked: SeatRow[] = [];
  let after: SeatRow | undefined;
  for (let chunk = 0; chunk < MAX_CHUNKS; chunk += 1) {
    const rows = await lockFrontChunk(trx, input, after);
    locked.push(...rows);
    const run = firstRun(locked, input.quantity);
    if (run !== undefined) return run;
    if (rows.length < CHUNK) break;
    after = rows[rows.length - 1];
  }
  const exhausted = locked.length < MAX_CHUNKS * CHUNK;
  if (!exhausted) {
    const further = await bestRunFurtherBack(trx, input);
    if (further !== undefined) return further;
  }
  if (locked.length >= input.quantity) return locked.slice(0, input.quantity);
  // Too few seats this buyer could lock: sold out, or other buyers hold the rest right now?
  const [row] = await trx('seats')
    .where({ event_id: input.eventId, category_id: input.categoryId })
    .whereRaw(TAKEABLE, [input.now])
    .modify((q) => {
      if (input.exclude.size > 0) void q.whereNotIn('id', [...input.exclude]);
    })
    .count<Array<{ n: number | string }>>('* as n');
  if (Number(row?.n ?? 0) < input.quantity) return undefined;
  throw contended();
}

/**
 * The next CHUNK takeable seats front first after `after`, locked, skipping those locked by others: free
 * seats and seats whose hold has expired, each walked along seats_front_first, merged front first.
 */
async function lockFrontChunk(trx: Knex.Transaction, input: BestAvailableInput, after: SeatRow | undefined): Promise<SeatRow[]> {
  const walk = (status: 'available' | 'held') =>
    trx('seats')
      .where({ category_id: input.categoryId, status, event_id: input.eventId })
      .modify((q) => {
        if (status === 'held') void q.where('hold_expires_at', '<=', input.now);
        if (after !== undefined) void q.whereRaw('(row_index, block, seat_number) > (?, ?, ?)', [after.row_index, after.block, after.seat_number]);
        if (input.exclude.size > 0) void q.whereNotIn('id', [...input.exclude]);
      })
      .orderBy([{ column: 'row_index' }, { column: 'block' }, { column: 'seat_number' }])
      .limit(CHUNK)
      .forUpdate()
      .skipLocked()
      .select<SeatRow[]>('*');
  const free = await walk('available');
  const expired = await walk('held');
  if (expired.length === 0) return free;
  return frontFirst([...free, ...expired]).slice(0, CHUNK);
}

const collator = new Intl.Collator('de', { numeric: false, sensitivity: 'variant' });

/**
 * Front first: row, block, seat. Only used to merge the rare seats with an expired hold into a chunk;
 * otherwise the database's order (and collation of block names) stands.
 */
function frontFirst(seats: readonly SeatRow[]): SeatRow[] {
  return [...seats].sort((a, b) => a.row_index - b.row_index || collator.compare(a.block, b.block) || a.seat_number - b.seat_number);
}

/** The first run of at least n adjacent seats among the given seats (front first), centred n of it. */
function firstRun(sorted: readonly SeatRow[], n: number): SeatRow[] | undefined {
  let start = 0;
  for (let i = 1; i <= sorted.length; i += 1) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i];
    const continues = cur !== undefined && cur.block === prev.block && cur.row_index === prev.row_index && cur.seat_number === prev.seat_number + 1;
    if (continues) continue;
    const len = i - start;
    if (len >= n) {
      const from = start + Math.floor((len - n) / 2);
      return sorted.slice(from, from + n);
    }
    start = i;
  }
  return undefined;
}

/** The whole-category search over committed state, each run found locked with SKIP LOCKED or left out. */
async function bestRunFurtherBack(trx: Knex.Transaction, input: BestAvailableInput): Promise<SeatRow[] | undefined> {
  const excluded = [...input.exclude];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const run = await findBestRun(trx, { eventId: input.eventId, categoryId: input.categoryId, quantity: input.quantity, now: input.now, excluded });
    if (run === undefined) return undefined;
    const start = run.first + Math.floor((run.len - input.quantity) / 2);
    const range = () =>
      trx('seats')
        .where({ event_id: input.eventId, category_id: input.categoryId, block: run.block, row_index: run.row_index })
        .whereBetween('seat_number', [start, start + input.quantity - 1]);
    const candidates = await range().orderBy('id').forUpdate().skipLocked().select<SeatRow[]>('*');
    const usable = candidates.filter((s) => isTakeable(s, input.now, undefined));
    if (usable.length === input.quantity) return usable;
    // Someone else is buying (part of) this run: leave the whole run out, the locked seats included.
    for (const s of await range().select<Array<{ id: string }>>('id')) excluded.push(s.id);
  }
  return undefined;
}
