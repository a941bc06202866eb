import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
/** Integer cents; signed where refunds or differences can make it negative. */
const Cents = Type.Integer();
const Count = Type.Integer({ minimum: 0 });
/** Largest cash amount a till accepts as float or count: 10 million euros, far above any real drawer. */
const MAX_CASH_CENTS = 1_000_000_000;

export const TillSessionIdParams = Type.Object({ tillSessionId: Uuid }, { additionalProperties: false });
export type TillSessionIdParams = Static<typeof TillSessionIdParams>;

/** Opens the till of (this workstation, this user). Without a float, the last closing's counted cash is taken. */
export const OpenTillRequest = Type.Object(
  { openingFloatCents: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CASH_CENTS })) },
  { additionalProperties: false },
);
export type OpenTillRequest = Static<typeof OpenTillRequest>;

/**
 * Blind count: the clerk sends what is in the drawer; the server computes the expected amount and the
 * difference. A difference needs a reason of at least 3 characters.
 */
export const CloseTillRequest = Type.Object(
  {
    countedCashCents: Type.Integer({ minimum: 0, maximum: MAX_CASH_CENTS }),
    differenceReason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CloseTillRequest = Static<typeof CloseTillRequest>;

/**
 * Sums over the payments of one till session. Sales are positive, refunds negative (as stored), so
 * `net = sales + refunds`; expected cash = opening float + net cash.
 */
export const TillTotals = Type.Object({
  openingFloatCents: Cents,
  cashSalesCents: Cents,
  /** ≤ 0 */
  cashRefundsCents: Cents,
  netCashCents: Cents,
  cardSalesCents: Cents,
  /** ≤ 0 */
  cardRefundsCents: Cents,
  netCardCents: Cents,
  /** Orders paid in this session (distinct orders with a positive payment). */
  orderCount: Count,
  /** Tickets of those orders as sold (a later cancellation shows as a refund, not here). */
  ticketCount: Count,
  /** Refund payments booked in this session. */
  refundCount: Count,
  expectedCashCents: Cents,
});
export type TillTotals = Static<typeof TillTotals>;

/** The facts that only a closing (Z report) has. */
export const TillClosingFacts = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  /** "Z-<year>-<number>", the year of the closing in the outlet's time zone. */
  label: Type.String(),
  closedAt: DateTime,
  countedCashCents: Cents,
  /** counted − expected: positive is a surplus, negative a shortage. */
  differenceCents: Cents,
  differenceReason: Type.Union([Type.String(), Type.Null()]),
});
export type TillClosingFacts = Static<typeof TillClosingFacts>;

/**
 * An interim report (X, any time while the till is open) or a closing report (Z, numbered, frozen).
 * `pdfSha256` is the SHA-256 of the stored Z report PDF (null for X reports); everything else is the
 * report exactly as it was stored and printed.
 */
export const TillReport = Type.Object({
  kind: Type.Union([Type.Literal('X'), Type.Literal('Z')]),
  tillSessionId: Uuid,
  outlet: Type.Object({ id: Uuid, name: Type.String() }),
  workstation: Type.Object({ id: Uuid, name: Type.String() }),
  user: Type.Object({ id: Uuid, login: Type.String(), displayName: Type.String() }),
  openedAt: DateTime,
  /** When the report was made: now for X, the closing time for Z. */
  createdAt: DateTime,
  totals: TillTotals,
  closing: Type.Union([TillClosingFacts, Type.Null()]),
  pdfSha256: Type.Union([Type.String({ pattern: '^[0-9a-f]{64}$' }), Type.Null()]),
});
export type TillReport = Static<typeof TillReport>;
/** The report as stored with the closing and rendered into its PDF. */
export type StoredTillReport = Omit<TillReport, 'pdfSha256'>;

export const TillClosingSummary = Type.Object({
  tillSessionId: Uuid,
  closingNumber: Type.Integer({ minimum: 1 }),
  closingLabel: Type.String(),
  openedAt: DateTime,
  closedAt: DateTime,
  workstation: Type.Object({ id: Uuid, name: Type.String() }),
  user: Type.Object({ id: Uuid, login: Type.String(), displayName: Type.String() }),
  openingFloatCents: Cents,
  expectedCashCents: Cents,
  countedCashCents: Cents,
  differenceCents: Cents,
  differenceReason: Type.Union([Type.String(), Type.Null()]),
  pdfSha256: Type.String(),
});
export type TillClosingSummary = Static<typeof TillClosingSummary>;

export const TillClosingsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    /** Paging: only closings with a smaller number. */
    // closing_number is an int4 column.
    beforeNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);
export type TillClosingsQuery = Static<typeof TillClosingsQuery>;

/** Problem codes of the till API. */
export const TillErrorCode = {
  tillNotOpen: 'TILL_NOT_OPEN',
  tillAlreadyOpen: 'TILL_ALREADY_OPEN',
  differenceReasonRequired: 'DIFFERENCE_REASON_REQUIRED',
  reportIntegrityFailed: 'REPORT_INTEGRITY_FAILED',
} as const;
