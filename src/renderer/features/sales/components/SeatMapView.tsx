import { useMemo, useState, type KeyboardEvent } from 'react';
import type { SeatMap } from '../../../../shared/api/events.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';

/** Distance between seat centres in SVG units. */
const PITCH = 26;
const RADIUS = 10;
const BLOCK_GAP = 2 * PITCH;
const LABEL_SPACE = 30;
export const ZOOM_STEPS = [0.5, 0.75, 1, 1.5, 2, 3] as const;

/** Colour and shape per category: the shape tells categories apart without colour (UX.md 23). */
const CATEGORY_STYLES = [
  { fill: '#1d5fb8', shape: 'circle' },
  { fill: '#b8471d', shape: 'square' },
  { fill: '#2f7d32', shape: 'diamond' },
  { fill: '#7b3fa0', shape: 'triangle' },
  { fill: '#8a6d00', shape: 'circle' },
  { fill: '#006d77', shape: 'square' },
] as const;

export interface SeatCursor {
  readonly block: number;
  readonly row: number;
  readonly seat: number;
}

export interface PlacedSeat {
  readonly id: string;
  readonly number: number;
  readonly category: number;
  readonly status: string;
  readonly x: number;
  readonly y: number;
  readonly block: string;
  readonly row: string;
}

function layout(map: SeatMap) {
  const placed: PlacedSeat[][][] = [];
  const blockLabels: Array<{ name: string; x: number }> = [];
  let x0 = PITCH;
  let height = 0;
  for (const block of map.blocks) {
    const rows: PlacedSeat[][] = [];
    const width = Math.max(1, ...block.rows.map((row) => row.seats.length)) * PITCH;
    block.rows.forEach((row, rowIndex) => {
      const y = LABEL_SPACE + PITCH / 2 + rowIndex * PITCH;
      height = Math.max(height, y + PITCH);
      rows.push(
        row.seats.map(([id, number, category, status], seatIndex) => ({
          id,
          number,
          category,
          status: map.statuses[status] ?? 'sold',
          x: x0 + PITCH / 2 + seatIndex * PITCH,
          y,
          block: block.name,
          row: row.label,
        })),
      );
    });
    placed.push(rows);
    blockLabels.push({ name: block.name, x: x0 + width / 2 });
    x0 += width + BLOCK_GAP;
  }
  return { placed, blockLabels, width: x0, height: height + PITCH / 2 };
}

/** The next cursor for a navigation key, or undefined when the key does not move it. */
export function moveCursor(placed: readonly PlacedSeat[][][], cursor: SeatCursor, key: string): SeatCursor | undefined {
  const rowsOf = (block: number) => placed[block] ?? [];
  const seatsOf = (block: number, row: number) => rowsOf(block)[row] ?? [];
  const clampSeat = (block: number, row: number, seat: number) => Math.max(0, Math.min(seat, seatsOf(block, row).length - 1));
  switch (key) {
    case 'ArrowLeft':
      if (cursor.seat > 0) return { ...cursor, seat: cursor.seat - 1 };
      if (cursor.block > 0) {
        const block = cursor.block - 1;
        const row = Math.min(cursor.row, rowsOf(block).length - 1);
        return { block, row, seat: seatsOf(block, row).length - 1 };
      }
      return cursor;
    case 'ArrowRight':
      if (cursor.seat < seatsOf(cursor.block, cursor.row).length - 1) return { ...cursor, seat: cursor.seat + 1 };
      if (cursor.block < placed.length - 1) {
        const block = cursor.block + 1;
        return { block, row: Math.min(cursor.row, rowsOf(block).length - 1), seat: 0 };
      }
      return cursor;
    case 'ArrowUp': {
      const row = Math.max(0, cursor.row - 1);
      return { ...cursor, row, seat: clampSeat(cursor.block, row, cursor.seat) };
    }
    case 'ArrowDown': {
      const row = Math.min(rowsOf(cursor.block).length - 1, cursor.row + 1);
      return { ...cursor, row, seat: clampSeat(cursor.block, row, cursor.seat) };
    }
    case 'Home':
      return { ...cursor, seat: 0 };
    case 'End':
      return { ...cursor, seat: seatsOf(cursor.block, cursor.row).length - 1 };
    case 'PageUp':
    case 'PageDown': {
      const block = Math.max(0, Math.min(placed.length - 1, cursor.block + (key === 'PageUp' ? -1 : 1)));
      const row = Math.min(cursor.row, rowsOf(block).length - 1);
      return { block, row, seat: clampSeat(block, row, cursor.seat) };
    }
    default:
      return undefined;
  }
}

function SeatShape({ shape, selected }: { readonly shape: string; readonly selected: boolean }) {
  const r = selected ? RADIUS + 1 : RADIUS;
  if (shape === 'square') return <rect x={-r + 1} y={-r + 1} width={2 * r - 2} height={2 * r - 2} rx={2} />;
  if (shape === 'diamond') return <polygon points={`0,${-r} ${r},0 0,${r} ${-r},0`} />;
  if (shape === 'triangle') return <polygon points={`0,${-r} ${r},${r - 2} ${-r},${r - 2}`} />;
  return <circle r={r} />;
}

export interface SeatMapViewProps {
  readonly map: SeatMap;
  readonly selected: ReadonlySet<string>;
  /** Seats held by this sale (best available): shown as selected, not as someone else's hold. */
  readonly ownHold: ReadonlySet<string>;
  readonly onToggle: (seatId: string) => void;
}

/**
 * The seat map as SVG: blocks side by side, rows front to back, seats coloured and shaped by category,
 * state by pattern (held: hatched, sold: crossed, selected: ring with tick). Mouse: click a seat.
 * Keyboard: arrows move the cursor, Page Up/Down jump between blocks, Space or Enter selects, + and −
 * zoom. The current seat is announced in words.
 */
export function SeatMapView({ map, selected, ownHold, onToggle }: SeatMapViewProps) {
  const { t } = useI18n();
  const geometry = useMemo(() => layout(map), [map]);
  const [cursor, setCursor] = useState<SeatCursor>({ block: 0, row: 0, seat: 0 });
  const [zoom, setZoom] = useState<number>(2);
  const scale = ZOOM_STEPS[zoom] ?? 1;
  const current = geometry.placed[cursor.block]?.[cursor.row]?.[cursor.seat];

  const describe = (seat: PlacedSeat) => {
    const category = map.categories[seat.category];
    const state = selected.has(seat.id) ? t('sales.seat.selected') : t(ownHold.has(seat.id) || seat.status === 'available' ? 'sales.seat.available' : seat.status === 'held' ? 'sales.seat.held' : 'sales.seat.sold');
    return t('sales.seat.describe', { block: seat.block, row: seat.row, number: seat.number, category: category?.name ?? '', price: formatEuro(category?.priceCents ?? 0), state });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === ' ' || event.key === 'Enter') {
      if (current !== undefined) onToggle(current.id);
      event.preventDefault();
      return;
    }
    if (event.key === '+' || event.key === '-') {
      setZoom((step) => Math.max(0, Math.min(ZOOM_STEPS.length - 1, step + (event.key === '+' ? 1 : -1))));
      event.preventDefault();
      return;
    }
    const next = moveCursor(geometry.placed, cursor, event.key);
    if (next === undefined) return;
    event.preventDefault();
    setCursor(next);
  };

  return (
    <section className="seatmap" aria-labelledby="seatmap-heading">
      <div className="seatmap__toolbar">
        <h2 id="seatmap-heading">{t('sales.seatmap.heading')}</h2>
        <button type="button" className="button" aria-label={t('sales.seatmap.zoomOut')} onClick={() => setZoom((step) => Math.max(0, step - 1))}>
          −
        </button>
        <span aria-live="polite">{Math.round(scale * 100)} %</span>
        <button type="button" className="button" aria-label={t('sales.seatmap.zoomIn')} onClick={() => setZoom((step) => Math.min(ZOOM_STEPS.length - 1, step + 1))}>
          +
        </button>
      </div>
      <Legend map={map} />
      <div
        className="seatmap__canvas"
        role="application"
        aria-roledescription={t('sales.seatmap.heading')}
        aria-label={t('sales.seatmap.keys')}
        aria-describedby="seatmap-current"
        tabIndex={0}
        data-testid="seatmap"
        onKeyDown={onKeyDown}
      >
        <svg width={geometry.width * scale} height={geometry.height * scale} viewBox={`0 0 ${geometry.width} ${geometry.height}`} aria-hidden="true">
          <defs>
            <pattern id="seat-held" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">
              <rect width="5" height="5" fill="#ffffff" />
              <line x1="0" y1="0" x2="0" y2="5" stroke="#555" strokeWidth="2.5" />
            </pattern>
          </defs>
          {geometry.blockLabels.map((label) => (
            <text key={label.name} x={label.x} y={18} textAnchor="middle" className="seatmap__block-label">
              {label.name}
            </text>
          ))}
          {geometry.placed.map((rows, blockIndex) =>
            rows.map((seats, rowIndex) =>
              seats.map((seat, seatIndex) => {
                const style = CATEGORY_STYLES[seat.category % CATEGORY_STYLES.length]!;
                const isSelected = selected.has(seat.id);
                const free = seat.status === 'available' || ownHold.has(seat.id);
                const isCursor = blockIndex === cursor.block && rowIndex === cursor.row && seatIndex === cursor.seat;
                const fill = isSelected || free ? style.fill : seat.status === 'held' ? 'url(#seat-held)' : '#d9dce1';
                return (
                  <g
                    key={seat.id}
                    transform={`translate(${seat.x} ${seat.y})`}
                    className={`seatmap__seat seatmap__seat--${isSelected ? 'selected' : free ? 'available' : seat.status}`}
                    data-seat-id={seat.id}
                    data-state={isSelected ? 'selected' : free ? 'available' : seat.status}
                    fill={fill}
                    stroke={isSelected ? '#000' : '#444'}
                    strokeWidth={isSelected ? 3 : 1}
                    onClick={() => {
                      setCursor({ block: blockIndex, row: rowIndex, seat: seatIndex });
                      onToggle(seat.id);
                    }}
                  >
                    <title>{describe(seat)}</title>
                    <SeatShape shape={style.shape} selected={isSelected} />
                    {seat.status === 'sold' && !free ? <path d="M-6,-6 L6,6 M6,-6 L-6,6" stroke="#333" strokeWidth="2" /> : null}
                    {isSelected ? (
                      <path d="M-5,0 L-1,4 L6,-5" fill="none" stroke="#fff" strokeWidth="3" />
                    ) : (
                      <text y={4} textAnchor="middle" className="seatmap__number" fill={free ? '#fff' : '#222'} stroke="none">
                        {seat.number}
                      </text>
                    )}
                    {isCursor ? <circle r={RADIUS + 4} fill="none" stroke="#f2a900" strokeWidth="3" /> : null}
                  </g>
                );
              }),
            ),
          )}
        </svg>
      </div>
      <p id="seatmap-current" className="seatmap__current" aria-live="polite" data-testid="seatmap-current">
        {current === undefined ? '' : describe(current)}
      </p>
    </section>
  );
}

function Legend({ map }: { readonly map: SeatMap }) {
  const { t } = useI18n();
  return (
    <ul className="seatmap__legend" aria-label={t('sales.seatmap.legend')}>
      {map.categories.map((category, index) => {
        const style = CATEGORY_STYLES[index % CATEGORY_STYLES.length]!;
        return (
          <li key={category.id}>
            <svg width="22" height="22" viewBox="-11 -11 22 22" aria-hidden="true" fill={style.fill}>
              <SeatShape shape={style.shape} selected={false} />
            </svg>
            {category.name} · {formatEuro(category.priceCents)}
          </li>
        );
      })}
      <li>
        <svg width="22" height="22" viewBox="-11 -11 22 22" aria-hidden="true" fill="url(#seat-held)" stroke="#444">
          <circle r={RADIUS} />
        </svg>
        {t('sales.seat.held')}
      </li>
      <li>
        <svg width="22" height="22" viewBox="-11 -11 22 22" aria-hidden="true" fill="#d9dce1" stroke="#444">
          <circle r={RADIUS} />
          <path d="M-6,-6 L6,6 M6,-6 L-6,6" stroke="#333" strokeWidth="2" />
        </svg>
        {t('sales.seat.sold')}
      </li>
      <li>
        <svg width="22" height="22" viewBox="-11 -11 22 22" aria-hidden="true" fill="#1d5fb8" stroke="#000" strokeWidth="3">
          <circle r={RADIUS} />
          <path d="M-5,0 L-1,4 L6,-5" fill="none" stroke="#fff" strokeWidth="3" />
        </svg>
        {t('sales.seat.selected')}
      </li>
    </ul>
  );
}
