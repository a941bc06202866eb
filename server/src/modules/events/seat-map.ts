import { SEAT_STATUSES, type SeatMap, type SeatTuple } from '../../../../src/shared/api/events.js';
import type { CategoryRow, MapSeatRow } from './repository.js';

const STATUS_INDEX = { available: 0, held: 1, sold: 2 } as const;
const blockOrder = new Intl.Collator('de', { numeric: true, sensitivity: 'base' });

/**
 * The seat map as the UI draws it: blocks → rows (front to back) → seats as compact tuples, with the
 * seated categories as the legend. `seats` must come ordered by block, row index and seat number.
 * An expired hold counts as available (holds release themselves without a clean-up job).
 */
export function buildSeatMap(eventId: string, categories: readonly CategoryRow[], seats: readonly MapSeatRow[], now: Date): SeatMap {
  const legend = categories.filter((c) => c.seated).map((c) => ({ id: c.id, name: c.name, priceCents: c.price_cents }));
  const legendIndex = new Map(legend.map((c, i) => [c.id, i]));
  const indexOf = (categoryId: string): number => {
    let i = legendIndex.get(categoryId);
    if (i === undefined) {
      // A seat in a category not marked seated (set up outside this API): still drawable.
      const c = categories.find((x) => x.id === categoryId);
      i = legend.push({ id: categoryId, name: c?.name ?? '?', priceCents: c?.price_cents ?? 0 }) - 1;
      legendIndex.set(categoryId, i);
    }
    return i;
  };

  const counts = { available: 0, held: 0, sold: 0 };
  const blocks: SeatMap['blocks'] = [];
  let block: SeatMap['blocks'][number] | undefined;
  let row: SeatMap['blocks'][number]['rows'][number] | undefined;
  const nowMs = now.getTime();
  for (const s of seats) {
    if (block?.name !== s.block) {
      block = { name: s.block, rows: [] };
      blocks.push(block);
      row = undefined;
    }
    if (row?.label !== s.row_label || row.index !== s.row_index) {
      row = { label: s.row_label, index: s.row_index, seats: [] };
      block.rows.push(row);
    }
    const status = s.status === 'held' && s.hold_expires_at !== null && s.hold_expires_at.getTime() <= nowMs ? 'available' : s.status;
    counts[status] += 1;
    const tuple: SeatTuple = [s.id, s.seat_number, indexOf(s.category_id), STATUS_INDEX[status]];
    row.seats.push(tuple);
  }
  blocks.sort((a, b) => blockOrder.compare(a.name, b.name));
  return { eventId, categories: legend, statuses: [...SEAT_STATUSES], blocks, counts };
}
