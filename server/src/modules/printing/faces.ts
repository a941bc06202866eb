import type { Knex } from 'knex';
import type { TicketFace } from '../../../../src/shared/ticket-sheet/ticket-face.js';
import { AppError } from '../../errors.js';

interface FaceRow {
  print_id: string;
  ticket_id: string;
  blank_number: number;
  barcode: string;
  issued_at: Date;
  reprint_count: number;
  reprint_of: string | null;
  price_cents: number;
  vat_rate_bp: number;
  category_name: string;
  variant_name: string | null;
  block: string | null;
  row_label: string | null;
  seat_number: number | null;
  event_name: string;
  starts_at: Date;
  venue_name: string;
  venue_city: string;
  order_number: number;
  outlet_name: string;
  promoter_name: string;
}

/**
 * What each blank of a print job shows, in blank order. Everything comes from rows the printing outlet may
 * read (its order and tickets; the event, venue, categories and seats it sells; the promoter directory).
 */
export async function loadTicketFaces(trx: Knex.Transaction, printIds: string[], timeZone: string): Promise<TicketFace[]> {
  if (printIds.length === 0) return [];
  const rows = await trx('ticket_prints as p')
    .join('tickets as t', 't.id', 'p.ticket_id')
    .join('orders as o', 'o.id', 't.order_id')
    .leftJoin('price_categories as c', 'c.id', 't.category_id')
    .leftJoin('price_variants as v', 'v.id', 't.variant_id')
    .leftJoin('seats as s', 's.id', 't.seat_id')
    .leftJoin('events as e', 'e.id', 't.event_id')
    .leftJoin('venues as ve', 've.id', 'e.venue_id')
    .leftJoin('tenants as outlet', 'outlet.id', 'p.tenant_id')
    .leftJoin('tenants as promoter', 'promoter.id', 'p.promoter_id')
    .whereIn('p.id', printIds)
    .orderBy('p.blank_number')
    .select<FaceRow[]>(
      'p.id as print_id',
      'p.ticket_id',
      'p.blank_number',
      'p.barcode',
      'p.issued_at',
      'p.reprint_count',
      'p.reprint_of',
      't.price_cents',
      't.vat_rate_bp',
      'c.name as category_name',
      'v.name as variant_name',
      's.block',
      's.row_label',
      's.seat_number',
      'e.name as event_name',
      'e.starts_at',
      've.name as venue_name',
      've.city as venue_city',
      'o.order_number',
      'outlet.name as outlet_name',
      'promoter.name as promoter_name',
    );
  if (rows.length !== printIds.length || rows.some((r) => r.event_name === null || r.venue_name === null || r.category_name === null || r.promoter_name === null || r.outlet_name === null)) {
    // The event is no longer visible to the outlet (its sales right was withdrawn): nothing to print from.
    throw new AppError(409, 'EVENT_NOT_AVAILABLE', 'The event of these tickets is no longer available to this outlet; the tickets cannot be printed here.');
  }
  return rows.map((r) => ({
    printId: r.print_id,
    ticketId: r.ticket_id,
    blankNumber: r.blank_number,
    barcode: r.barcode,
    eventName: r.event_name,
    venueName: r.venue_name,
    ...(r.venue_city === '' ? {} : { venueCity: r.venue_city }),
    startsAt: r.starts_at.toISOString(),
    timeZone,
    categoryName: r.category_name,
    ...(r.variant_name === null ? {} : { variantName: r.variant_name }),
    seat: r.block === null || r.row_label === null || r.seat_number === null ? null : { block: r.block, row: r.row_label, seat: String(r.seat_number) },
    priceCents: r.price_cents,
    vatRateBp: r.vat_rate_bp,
    orderNumber: String(r.order_number),
    outletName: r.outlet_name,
    printedAt: r.issued_at.toISOString(),
    reprintCount: r.reprint_count,
    // Only a reprint job sets reprint_of (print-service.ts): the copy of a ticket issued before.
    duplicate: r.reprint_of !== null,
    promoterName: r.promoter_name,
  }));
}
