/**
 * The entry part of the IPC contract: the gate's entry list (opened once per shift), scans from the
 * keyboard wedge (HID scans are handled in main and reported through the same verdicts), and the gate's
 * status — online or offline, the age of its scan list and what is still to upload.
 */
import { Type, type Static } from 'typebox';
import { EntryListView, VERDICTS, type Verdict } from '../api/entry.js';

/** Codes of the station's entry path, each with a text in the renderer. */
export const ENTRY_ERROR_CODES = ['ENTRY_NOT_OPEN', 'SCAN_LIST_MISSING', 'JOURNAL_FAILED', 'CODE_EMPTY', 'ENTRY_NOT_AVAILABLE'] as const;

export const GateStatusSchema = Type.Object(
  {
    entryListId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    gate: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
    mode: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    listAgeMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    pendingUploads: Type.Integer({ minimum: 0 }),
    lastError: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type GateStatusView = Static<typeof GateStatusSchema>;

export const GateVerdictSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    verdict: Type.Unsafe<Verdict>(Type.String({ enum: [...VERDICTS] })),
    ok: Type.Boolean(),
    scannedAt: Type.String({ format: 'date-time' }),
    admittedAt: Type.Optional(Type.String({ format: 'date-time' })),
    admittedGate: Type.Optional(Type.String({ maxLength: 100 })),
    /** Online only: the workstation of the first admission, and why a voided code died (reprinted, …). */
    admittedDevice: Type.Optional(Type.String({ maxLength: 200 })),
    voidReason: Type.Optional(Type.String({ maxLength: 64 })),
    listAgeMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type GateVerdictView = Static<typeof GateVerdictSchema>;

export const ENTRY_IPC = {
  /** Entry lists the logged-in gate user may scan for (the server's list). */
  lists: { args: Type.Object({ eventId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }), result: Type.Array(EntryListView) },
  /** Binds this station to an entry list and a gate name, downloads the scan list and starts syncing. */
  open: { args: Type.Object({ entryListId: Type.String({ format: 'uuid' }), gate: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), result: GateStatusSchema },
  /** One scan typed or wedged in the renderer. */
  scan: {
    args: Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }), direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])) }, { additionalProperties: false }),
    result: GateVerdictSchema,
  },
  status: { args: Type.Object({}, { additionalProperties: false }), result: GateStatusSchema },
  /** Ends the shift at this gate: a last upload attempt, then the gate is closed (the journal stays). */
  close: { args: Type.Object({}, { additionalProperties: false }), result: GateStatusSchema },
} as const;
