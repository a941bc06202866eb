import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
/** A client-chosen unique value per scan: the same nonce sent again returns the first verdict. */
export const Nonce = Type.String({ pattern: '^[A-Za-z0-9_-]{16,100}$' });

export const CreateEntryListRequest = Type.Object(
  {
    eventId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Omitted: every category of the event. */
    categoryIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 100 })),
    allowReentry: Type.Optional(Type.Boolean()),
    validFrom: Type.Optional(Type.String({ format: 'date-time' })),
    validUntil: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type CreateEntryListRequest = Static<typeof CreateEntryListRequest>;

export const EntryListView = Type.Object({
  id: Uuid,
  eventId: Uuid,
  eventName: Type.String(),
  name: Type.String(),
  categoryIds: Type.Union([Type.Array(Uuid), Type.Null()]),
  allowReentry: Type.Boolean(),
  validFrom: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type EntryListView = Static<typeof EntryListView>;

export const CheckInRequest = Type.Object(
  {
    entryListId: Uuid,
    gate: Type.String({ minLength: 1, maxLength: 100 }),
    /** As scanned; anything but a well-formed barcode is answered "malformed" without a lookup. */
    code: Type.String({ minLength: 1, maxLength: 200 }),
    nonce: Nonce,
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
  },
  { additionalProperties: false },
);
export type CheckInRequest = Static<typeof CheckInRequest>;

export const VERDICTS = [
  'admitted',
  'already_admitted',
  'checked_out',
  'not_inside',
  'voided',
  'cancelled',
  'unpaid',
  'wrong_event',
  'wrong_entry_list',
  'not_yet_valid',
  'no_longer_valid',
  'unknown',
  'malformed',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export const CheckInVerdict = Type.Object({
  checkInId: Uuid,
  verdict: Type.Unsafe<Verdict>(Type.String({ enum: [...VERDICTS] })),
  /** Green light for the gate: admitted or checked out. */
  ok: Type.Boolean(),
  /** Why, in German, for the gate display. */
  message: Type.String(),
  ticket: Type.Optional(
    Type.Object({
      id: Uuid,
      categoryName: Type.String(),
      seat: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  /** For already_admitted: the first admission. */
  admittedAt: Type.Optional(Type.String({ format: 'date-time' })),
  admittedGate: Type.Optional(Type.String()),
  /** For already_admitted: the workstation (device) that made that admission. */
  admittedDevice: Type.Optional(Type.String()),
  /** For voided: why the print died (reprinted, cancelled, spoiled). */
  voidReason: Type.Optional(Type.String()),
  /** For not_yet_valid / no_longer_valid. */
  validFrom: Type.Optional(Type.String({ format: 'date-time' })),
  validUntil: Type.Optional(Type.String({ format: 'date-time' })),
  scannedAt: Type.String({ format: 'date-time' }),
  replayed: Type.Boolean(),
});
export type CheckInVerdict = Static<typeof CheckInVerdict>;

export const EntryStats = Type.Object({
  entryListId: Uuid,
  expected: Type.Integer(),
  admitted: Type.Integer(),
  inside: Type.Integer(),
  refused: Type.Integer(),
  perGate: Type.Array(Type.Object({ gate: Type.String(), admitted: Type.Integer(), refused: Type.Integer(), lastMinute: Type.Integer() })),
  lastMinute: Type.Integer(),
});
export type EntryStats = Static<typeof EntryStats>;

export const EntryListIdParams = Type.Object({ entryListId: Uuid }, { additionalProperties: false });

/** A scan the station decided offline, uploaded later in scan order. */
export const OfflineScan = Type.Object(
  {
    nonce: Nonce,
    code: Type.String({ minLength: 1, maxLength: 200 }),
    gate: Type.String({ minLength: 1, maxLength: 100 }),
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
    scannedAt: Type.String({ format: 'date-time' }),
    /** What the station showed staff (its offline verdict). */
    shownVerdict: Type.Unsafe<Verdict>(Type.String({ enum: [...VERDICTS] })),
  },
  { additionalProperties: false },
);
export type OfflineScan = Static<typeof OfflineScan>;

export const OfflineScansRequest = Type.Object({ scans: Type.Array(OfflineScan, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });
export type OfflineScansRequest = Static<typeof OfflineScansRequest>;

export const OfflineScansResult = Type.Object({
  received: Type.Integer(),
  recorded: Type.Integer(),
  /** Already uploaded before (same nonce): not recorded again. */
  replayed: Type.Integer(),
  conflicts: Type.Integer(),
  results: Type.Array(
    Type.Object({
      nonce: Nonce,
      checkInId: Uuid,
      verdict: Type.Unsafe<Verdict>(Type.String({ enum: [...VERDICTS] })),
      replayed: Type.Boolean(),
      conflict: Type.Boolean(),
    }),
  ),
});
export type OfflineScansResult = Static<typeof OfflineScansResult>;

/**
 * The offline scan list of an entry list: keyed hashes of the barcodes, never the codes. An entry is
 * base64url(first 16 bytes of HMAC-SHA256(key, barcode)); `key` is base64. `valid` may be admitted,
 * `cancelled` must not be (the ticket was cancelled), `invalid` must not be either (voided by a reprint or
 * spoiled, or the order is unpaid). Incremental lists (since a cursor) carry
 * the changed entries only; applying a newer state of the same hash replaces the older.
 */
export const ScanList = Type.Object({
  entryListId: Uuid,
  key: Type.String(),
  full: Type.Boolean(),
  /** Pass as `since` for the next incremental list. */
  cursor: Type.String({ format: 'date-time' }),
  generatedAt: Type.String({ format: 'date-time' }),
  valid: Type.Array(Type.String()),
  cancelled: Type.Array(Type.String()),
  invalid: Type.Array(Type.String()),
});
export type ScanList = Static<typeof ScanList>;

export const ScanListQuery = Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false });

export const EntryConflict = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  kind: Type.Union([Type.Literal('double_admission'), Type.Literal('admitted_offline_while_invalid')]),
  detectedAt: Type.String({ format: 'date-time' }),
  first: Type.Object({ checkInId: Uuid, gate: Type.String(), scannedAt: Type.String({ format: 'date-time' }), offline: Type.Boolean(), workstation: Type.String(), user: Type.String() }),
  later: Type.Object({ checkInId: Uuid, gate: Type.String(), scannedAt: Type.String({ format: 'date-time' }), offline: Type.Boolean(), workstation: Type.String(), user: Type.String() }),
});
export type EntryConflict = Static<typeof EntryConflict>;
