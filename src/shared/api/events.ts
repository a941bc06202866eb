import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
/** Gross price in cents: up to 100 000 €. */
const PriceCents = Type.Integer({ minimum: 0, maximum: 10_000_000 });
/** VAT in basis points: 700 = 7 % (admission to concerts and theatre), 1900 = 19 %. */
const VatRateBp = Type.Integer({ minimum: 0, maximum: 10_000 });
const Capacity = Type.Integer({ minimum: 0, maximum: 1_000_000 });

/** Problem codes of the events API (server/src/modules/events), for the station's texts. */
export const EVENT_PROBLEM_CODES = [
  'PROMOTER_ONLY',
  'EVENT_NOT_DRAFT',
  'EVENT_CANCELLED',
  'EVENT_IN_PAST',
  'EVENT_NOT_READY',
  'INVALID_SALES_WINDOW',
  'INVALID_STATUS_TRANSITION',
  'CATEGORY_NAME_TAKEN',
  'VARIANT_NAME_TAKEN',
  'CAPACITY_REQUIRED',
  'CAPACITY_BELOW_SOLD',
  'SEATED_CAPACITY_FROM_SEATS',
  'TOO_MANY_CATEGORIES',
  'TOO_MANY_VARIANTS',
  'SEAT_DEFINITION_EMPTY',
  'SEAT_DEFINITION_SYNTAX',
  'SEAT_RANGE_INVALID',
  'ROW_KIND_MIXED',
  'SEAT_OVERLAP',
  'TOO_MANY_SEATS',
  'UNKNOWN_CATEGORY',
  'CATEGORY_NOT_SEATED',
  'DUPLICATE_CATEGORY',
  'QUOTA_BELOW_SOLD',
  'SALES_RIGHT_HAS_SALES',
] as const;

// ---- venues ----

export const VenueView = Type.Object({
  id: Uuid,
  name: Type.String(),
  address: Type.String(),
  city: Type.String(),
  createdAt: DateTime,
});
export type VenueView = Static<typeof VenueView>;

export const CreateVenueRequest = Type.Object(
  {
    name: Name,
    address: Type.Optional(Type.String({ maxLength: 500 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CreateVenueRequest = Static<typeof CreateVenueRequest>;

// ---- events ----

export const EVENT_STATUSES = ['draft', 'on_sale', 'sales_stopped', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const EventStatus = Type.Union([Type.Literal('draft'), Type.Literal('on_sale'), Type.Literal('sales_stopped'), Type.Literal('cancelled')]);
/** The stored status, or `past` once the performance has begun (derived, never stored; cancelled stays cancelled). */
export const EffectiveStatus = Type.Union([...EventStatus.anyOf, Type.Literal('past')]);
export type EffectiveStatus = Static<typeof EffectiveStatus>;

export const EventIdParams = Type.Object({ eventId: Uuid }, { additionalProperties: false });
export const CategoryIdParams = Type.Object({ eventId: Uuid, categoryId: Uuid }, { additionalProperties: false });
export const SalesRightParams = Type.Object({ eventId: Uuid, outletId: Uuid }, { additionalProperties: false });

export const CreateEventRequest = Type.Object(
  {
    venueId: Uuid,
    name: Name,
    startsAt: DateTime,
    /** Defaults to now. */
    salesStart: Type.Optional(DateTime),
    /** Defaults to the start of the performance; at most one day after it (evening box office). */
    salesEnd: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type CreateEventRequest = Static<typeof CreateEventRequest>;

/** Everything may change while the event is a draft; afterwards only the end of sales. */
export const UpdateEventRequest = Type.Object(
  {
    venueId: Type.Optional(Uuid),
    name: Type.Optional(Name),
    startsAt: Type.Optional(DateTime),
    salesStart: Type.Optional(DateTime),
    salesEnd: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type UpdateEventRequest = Static<typeof UpdateEventRequest>;

/** draft → on_sale, on_sale ↔ sales_stopped, any → cancelled (final). */
export const ChangeEventStatusRequest = Type.Object({ status: Type.Union([Type.Literal('on_sale'), Type.Literal('sales_stopped'), Type.Literal('cancelled')]) }, { additionalProperties: false });
export type ChangeEventStatusRequest = Static<typeof ChangeEventStatusRequest>;

export const EventSearchQuery = Type.Object(
  {
    /** Type-ahead: every word must start a word of the event's or the venue's name (case-insensitive). */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Performances starting at or after `from` (overrides the default of today). */
    from: Type.Optional(DateTime),
    /** Performances starting before `to`. */
    to: Type.Optional(DateTime),
    venueId: Type.Optional(Uuid),
    status: Type.Optional(EventStatus),
    /** Without `from`, only today's and future performances are listed unless this is true. */
    includePast: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type EventSearchQuery = Static<typeof EventSearchQuery>;

export const EventVenue = Type.Object({ id: Uuid, name: Type.String(), city: Type.String() });

export const EventSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  startsAt: DateTime,
  salesStart: DateTime,
  salesEnd: DateTime,
  status: EventStatus,
  effectiveStatus: EffectiveStatus,
  /** On sale and inside the sales window right now. */
  salesOpen: Type.Boolean(),
  venue: EventVenue,
});
export type EventSummary = Static<typeof EventSummary>;

export const VariantView = Type.Object({ id: Uuid, name: Type.String(), priceCents: Type.Integer() });
export type VariantView = Static<typeof VariantView>;

/**
 * A price category as the caller may see it. For the promoter: capacity, sold across all outlets,
 * remaining. For an outlet: no capacity and no figures of other outlets — `sold` is what this outlet
 * sold, `remaining` what it can still sell (the smaller of the category's and its quota's remainder).
 */
export const CategoryView = Type.Object({
  id: Uuid,
  name: Type.String(),
  priceCents: Type.Integer(),
  vatRateBp: Type.Integer(),
  seated: Type.Boolean(),
  sortOrder: Type.Integer(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  sold: Type.Integer(),
  remaining: Type.Integer(),
  /** The outlet's own quota (outlet view only). */
  quota: Type.Union([Type.Object({ quota: Type.Integer(), sold: Type.Integer() }), Type.Null()]),
  variants: Type.Array(VariantView),
});
export type CategoryView = Static<typeof CategoryView>;

export const EventDetail = Type.Object({
  ...EventSummary.properties,
  venue: Type.Object({ id: Uuid, name: Type.String(), address: Type.String(), city: Type.String() }),
  /** Whether the event has a seat map. */
  seated: Type.Boolean(),
  categories: Type.Array(CategoryView),
});
export type EventDetail = Static<typeof EventDetail>;

// ---- categories and variants ----

export const CreateCategoryRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    priceCents: PriceCents,
    vatRateBp: Type.Optional(VatRateBp),
    /** Seated categories get their capacity from the seat definition. */
    seated: Type.Optional(Type.Boolean()),
    /** Required for general admission. */
    capacity: Type.Optional(Capacity),
  },
  { additionalProperties: false },
);
export type CreateCategoryRequest = Static<typeof CreateCategoryRequest>;

/** Name, price and VAT while the event is a draft; a general-admission capacity at any time, never below sold. */
export const UpdateCategoryRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })),
    priceCents: Type.Optional(PriceCents),
    vatRateBp: Type.Optional(VatRateBp),
    capacity: Type.Optional(Capacity),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type UpdateCategoryRequest = Static<typeof UpdateCategoryRequest>;

export const CreateVariantRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), priceCents: PriceCents },
  { additionalProperties: false },
);
export type CreateVariantRequest = Static<typeof CreateVariantRequest>;

// ---- seats ----

/** The compact definition (src/shared/domain/seat-definition.ts), one range per line. */
export const CreateSeatsRequest = Type.Object({ definition: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false });
export type CreateSeatsRequest = Static<typeof CreateSeatsRequest>;

export const CreateSeatsResponse = Type.Object({
  createdSeats: Type.Integer(),
  totalSeats: Type.Integer(),
  categories: Type.Array(Type.Object({ id: Uuid, name: Type.String(), capacity: Type.Integer() })),
});
export type CreateSeatsResponse = Static<typeof CreateSeatsResponse>;

/** Decodes the status number of a seat-map seat. */
export const SEAT_STATUSES = ['available', 'held', 'sold'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

/**
 * One seat as a tuple, to keep a 20 000-seat map small: [seat id, seat number, index into
 * `categories`, index into `statuses`]. An expired hold is shown as available.
 */
export const SeatTuple = Type.Tuple([Uuid, Type.Integer(), Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0, maximum: 2 })]);
export type SeatTuple = Static<typeof SeatTuple>;

export const SeatMapRow = Type.Object({
  label: Type.String(),
  /** Position for drawing: rows with a higher index are further back. */
  index: Type.Integer(),
  /** Ordered by seat number. */
  seats: Type.Array(SeatTuple),
});

export const SeatMap = Type.Object({
  eventId: Uuid,
  /** Legend: the seated categories, referenced by index from each seat. */
  categories: Type.Array(Type.Object({ id: Uuid, name: Type.String(), priceCents: Type.Integer() })),
  statuses: Type.Array(Type.String()),
  /** Blocks in natural name order; rows front to back. */
  blocks: Type.Array(Type.Object({ name: Type.String(), rows: Type.Array(SeatMapRow) })),
  counts: Type.Object({ available: Type.Integer(), held: Type.Integer(), sold: Type.Integer() }),
});
export type SeatMap = Static<typeof SeatMap>;

// ---- sales rights ----

export const OutletDirectoryEntry = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  /** Whether the outlet may sell this event already. */
  granted: Type.Boolean(),
});

export const PutSalesRightRequest = Type.Object(
  {
    /** The outlet's complete quota list for this event; a category not listed has no quota (the category's capacity is the limit). */
    quotas: Type.Optional(Type.Array(Type.Object({ categoryId: Uuid, quota: Capacity }, { additionalProperties: false }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type PutSalesRightRequest = Static<typeof PutSalesRightRequest>;

export const SalesRightView = Type.Object({
  outletId: Uuid,
  outletCode: Type.String(),
  outletName: Type.String(),
  grantedAt: DateTime,
  /** Every category of the event: this outlet's quota (null = none) and the valid tickets it sold. */
  categories: Type.Array(Type.Object({ categoryId: Uuid, quota: Type.Union([Type.Integer(), Type.Null()]), sold: Type.Integer() })),
});
export type SalesRightView = Static<typeof SalesRightView>;
