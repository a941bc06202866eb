/**
 * The texts printed on a ticket blank, German (the tickets are German documents; the station's UI
 * language does not change them). Pure: money stays integer cents until formatted, times are formatted
 * in the event's time zone from the face, never in the station's.
 */
import { formatEuro } from '../money-format.js';
import type { TicketFace } from './ticket-face.js';

const NBSP = '\u00a0';

/** 123456 → "1.234,56 €" (the same formatting as every printed document). */
export const euro = formatEuro;

/** 1900 → "19 %", 550 → "5,5 %". */
export function vatRate(bp: number): string {
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  const fraction = rest === 0 ? '' : `,${(rest % 10 === 0 ? rest / 10 : rest).toString().padStart(rest % 10 === 0 ? 1 : 2, '0')}`;
  return `${whole}${fraction}${NBSP}%`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone: building an Intl.DateTimeFormat costs more than rendering a ticket line. */
function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('de-DE', { timeZone, weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimeFormats.set(timeZone, format);
  }
  return format;
}

/** "Sa., 12.12.2026, 20:00 Uhr" in the given IANA time zone. */
export function eventDateTime(iso: string, timeZone: string): string {
  return `${dateTimeFormat(timeZone).format(new Date(iso))}${NBSP}Uhr`;
}

/** "04.12.2026, 15:30" (print time, same zone as the event: the sheet has one clock). */
export function shortDateTime(iso: string, timeZone: string): string {
  const parts = dateTimeFormat(timeZone).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')}, ${get('hour')}:${get('minute')}`;
}

export interface TicketTexts {
  readonly promoter: string;
  readonly event: string;
  readonly dateTime: string;
  readonly venue: string;
  /** "Block A · Reihe 5 · Platz 12", or "Stehplatz" for general admission. */
  readonly seat: string;
  readonly category: string;
  readonly price: string;
  readonly vatNote: string;
  readonly order: string;
  readonly outlet: string;
  readonly printedAt: string;
  readonly blank: string;
  /** "Ersatzticket (2. Druck)" for a reprint; empty for the first print. */
  readonly reprint: string;
  /** "DUPLIKAT" on a reprint's sheet (UX.md 13); empty otherwise. */
  readonly duplicate: string;
}

/** The mark on a reprinted ticket's face (German, like the rest of the face). */
export const DUPLICATE_MARK = 'DUPLIKAT';

export function ticketTexts(face: TicketFace): TicketTexts {
  const seat = face.seat === null ? 'Stehplatz / freie Platzwahl' : `Block ${face.seat.block} · Reihe ${face.seat.row} · Platz ${face.seat.seat}`;
  return {
    promoter: `Veranstalter: ${face.promoterName}`,
    event: face.eventName,
    dateTime: eventDateTime(face.startsAt, face.timeZone),
    venue: face.venueCity === undefined ? face.venueName : `${face.venueName}, ${face.venueCity}`,
    seat,
    category: face.variantName === undefined ? face.categoryName : `${face.categoryName} – ${face.variantName}`,
    price: euro(face.priceCents),
    vatNote: face.vatRateBp === 0 ? 'umsatzsteuerfrei' : `inkl. ${vatRate(face.vatRateBp)} USt.`,
    order: `Auftrag ${face.orderNumber}`,
    outlet: face.outletName,
    printedAt: `Gedruckt ${shortDateTime(face.printedAt, face.timeZone)}`,
    blank: `Blanko-Nr. ${face.blankNumber}`,
    reprint: face.reprintCount === 0 ? '' : `Ersatzticket (${face.reprintCount + 1}. Druck)`,
    duplicate: face.duplicate ? DUPLICATE_MARK : '',
  };
}
