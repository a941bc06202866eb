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
