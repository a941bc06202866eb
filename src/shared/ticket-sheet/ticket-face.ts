import { Type, type Static } from 'typebox';

/**
 * Everything one ticket blank shows. The server builds it when it issues a print job (barcode and blank
 * number are assigned then); the station renders it onto the A4 sheet without asking anything else. Times
 * are ISO 8601 instants; the sheet formats them in `timeZone` (IANA name, e.g. Europe/Berlin).
 */
export const TicketFace = Type.Object(
  {
    printId: Type.String({ format: 'uuid' }),
    ticketId: Type.String({ format: 'uuid' }),
    /** The supplier's pre-printed serial number of the blank this ticket goes onto. */
    blankNumber: Type.Integer({ minimum: 1 }),
    /** Digits only, check digits included (src/shared/barcode.ts). */
    barcode: Type.String({ pattern: '^[0-9]{20,40}$' }),
    eventName: Type.String({ maxLength: 200 }),
    venueName: Type.String({ maxLength: 200 }),
    venueCity: Type.Optional(Type.String({ maxLength: 100 })),
    startsAt: Type.String({ format: 'date-time' }),
    timeZone: Type.String({ maxLength: 64 }),
    categoryName: Type.String({ maxLength: 100 }),
    /** A reduction such as "Student", when the ticket was sold at a price variant. */
    variantName: Type.Optional(Type.String({ maxLength: 100 })),
    /** Null for general admission. */
    seat: Type.Union([Type.Object({ block: Type.String(), row: Type.String(), seat: Type.String() }, { additionalProperties: false }), Type.Null()]),
    priceCents: Type.Integer({ minimum: 0 }),
    /** VAT rate in basis points (700 = 7 %). */
    vatRateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
    orderNumber: Type.String({ maxLength: 30 }),
    outletName: Type.String({ maxLength: 200 }),
    printedAt: Type.String({ format: 'date-time' }),
    /** 0 for the first print of the ticket, 1 for the first reprint, … (shown as "Ersatzticket"). */
    reprintCount: Type.Integer({ minimum: 0 }),
    /**
     * True when this print replaces an earlier print of the ticket (a print job of kind 'reprint'): the
     * sheet then carries a large "DUPLIKAT" mark on ticket and stub (UX.md 13). A spoiled blank printed
     * again within the same first print job is not a duplicate.
     */
    duplicate: Type.Boolean(),
    promoterName: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type TicketFace = Static<typeof TicketFace>;
