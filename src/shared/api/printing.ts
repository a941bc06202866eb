import { Type, type Static } from 'typebox';
import { TicketFace } from '../ticket-sheet/ticket-face.js';

/**
 * Ticket printing on pre-numbered A4 security paper: blank stock, the paper tray of a workstation, print
 * jobs (issue → confirm or spoil), reprints and the stock report. Blank numbers are the supplier's serial
 * numbers; sheet n holds blanks 3n−2, 3n−1 and 3n.
 */

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
/** A supplier's blank number (12 digits at most). */
const BlankNumber = Type.Integer({ minimum: 1, maximum: 999_999_999_999 });
const Count = Type.Integer({ minimum: 0 });
const Note = Type.String({ minLength: 1, maxLength: 500 });
const Person = Type.Object({ id: Uuid, login: Type.String(), displayName: Type.String() });
const Named = Type.Object({ id: Uuid, name: Type.String() });

/** Blanks on one sheet of security paper. */
export const BLANKS_PER_SHEET = 3;
/** Largest batch the operator registers at once (10 000 sheets). */
export const MAX_BATCH_BLANKS = 30_000;
/** Largest print job (100 sheets). */
export const MAX_TICKETS_PER_JOB = 300;

/** The sheet a blank is on and its position there (1..3). */
export function sheetOf(blankNumber: number): { sheet: number; position: 1 | 2 | 3 } {
  const sheet = Math.ceil(blankNumber / BLANKS_PER_SHEET);
  return { sheet, position: (blankNumber - (sheet - 1) * BLANKS_PER_SHEET) as 1 | 2 | 3 };
}

export const OrderIdParams = Type.Object({ orderId: Uuid }, { additionalProperties: false });
export const TicketIdParams = Type.Object({ ticketId: Uuid }, { additionalProperties: false });
export const PrintJobIdParams = Type.Object({ printJobId: Uuid }, { additionalProperties: false });
export const WorkstationIdParams = Type.Object({ workstationId: Uuid }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------- stock

/** Operator staff hand an outlet a batch of whole sheets: first ≡ 1 and last ≡ 0 modulo 3. */
export const RegisterBlankBatchRequest = Type.Object(
  { outletId: Uuid, firstNumber: BlankNumber, lastNumber: BlankNumber, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type RegisterBlankBatchRequest = Static<typeof RegisterBlankBatchRequest>;

/**
 * Where the blanks are. registered = inStock + pending + printed + spoiled + voided. pending: handed to a
 * print job that the station has neither confirmed nor spoiled yet; unresolved: those of them older than
 * the configured time (part of pending, not added again).
 */
export const BlankCounts = Type.Object({
  registered: Count,
  inStock: Count,
  pending: Count,
  unresolved: Count,
  printed: Count,
  spoiled: Count,
  voided: Count,
});
export type BlankCounts = Static<typeof BlankCounts>;

export const BlankBatchView = Type.Object({
  id: Uuid,
  outletId: Uuid,
  firstNumber: BlankNumber,
  lastNumber: BlankNumber,
  sheets: Count,
  note: Type.String(),
  registeredAt: DateTime,
  counts: BlankCounts,
});
export type BlankBatchView = Static<typeof BlankBatchView>;

/** Outlet staff see their own outlet; operator staff name the outlet. */
export const StockQuery = Type.Object({ outletId: Type.Optional(Uuid) }, { additionalProperties: false });
export type StockQuery = Static<typeof StockQuery>;

/** A print job with prints that are neither confirmed nor spoiled, for the clerk to resolve. */
export const PendingPrintJob = Type.Object({
  printJobId: Uuid,
  orderId: Uuid,
  orderNumber: Type.Integer(),
  workstation: Named,
  createdBy: Person,
  createdAt: DateTime,
  /** Older than the configured time: the station has not reported back. */
  unresolved: Type.Boolean(),
  pendingBlanks: Type.Array(BlankNumber),
});
export type PendingPrintJob = Static<typeof PendingPrintJob>;

export const SpoiledBlank = Type.Object({ blankNumber: BlankNumber, reason: Type.String(), at: DateTime, workstation: Type.Union([Named, Type.Null()]) });

export const StockReport = Type.Object({
  outlet: Named,
  createdAt: DateTime,
  timeZone: Type.String(),
  unresolvedAfterMinutes: Type.Integer({ minimum: 1 }),
  batches: Type.Array(BlankBatchView),
  totals: BlankCounts,
  /** Whether every registered blank is in exactly one state (the report balances to zero). */
  balanced: Type.Boolean(),
  pendingJobs: Type.Array(PendingPrintJob),
  spoiled: Type.Array(SpoiledBlank),
});
export type StockReport = Static<typeof StockReport>;

// ----------------------------------------------------------------------------------------------- tray

/** The station loads paper: the number of the next blank in its tray (typed or scanned). */
export const LoadTrayRequest = Type.Object({ nextBlankNumber: BlankNumber }, { additionalProperties: false });
export type LoadTrayRequest = Static<typeof LoadTrayRequest>;

export const PrintSettingsRequest = Type.Object({ reusePartialSheets: Type.Boolean() }, { additionalProperties: false });
export type PrintSettingsRequest = Static<typeof PrintSettingsRequest>;

export const TrayView = Type.Object({
  workstationId: Uuid,
  /** Null until paper is loaded. */
  nextBlankNumber: Type.Union([BlankNumber, Type.Null()]),
  sheet: Type.Union([Count, Type.Null()]),
  position: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
  /** Feed a partly used sheet again (start position 2 or 3) instead of voiding its leftover blanks. */
  reusePartialSheets: Type.Boolean(),
  /** Consecutive blanks in stock from the next one on: how many tickets fit without loading paper. */
  available: Count,
  /** Leftover blanks voided by this change (when a load gave up a partly used sheet). */
  voidedLeftovers: Type.Array(BlankNumber),
});
export type TrayView = Static<typeof TrayView>;

// ----------------------------------------------------------------------------------------------- jobs

/** Print the order's tickets that have no print yet, or the chosen ones. */
export const CreatePrintJobRequest = Type.Object(
  { ticketIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MAX_TICKETS_PER_JOB, uniqueItems: true })) },
  { additionalProperties: false },
);
export type CreatePrintJobRequest = Static<typeof CreatePrintJobRequest>;

export const PrintStatus = Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('void')]);
export type PrintStatus = Static<typeof PrintStatus>;
export const VoidReason = Type.Union([Type.Literal('spoiled'), Type.Literal('reprinted'), Type.Literal('cancelled')]);
export const ReprintReason = Type.Union([Type.Literal('damaged'), Type.Literal('lost'), Type.Literal('printer_fault'), Type.Literal('other')]);
export type ReprintReason = Static<typeof ReprintReason>;
export const SpoilReason = Type.Union([Type.Literal('paper_jam'), Type.Literal('misprint'), Type.Literal('printer_error'), Type.Literal('not_printed'), Type.Literal('other')]);
export type SpoilReason = Static<typeof SpoilReason>;

export const PrintState = Type.Object({
  printId: Uuid,
  ticketId: Uuid,
  blankNumber: BlankNumber,
  status: PrintStatus,
  voidReason: Type.Union([VoidReason, Type.Null()]),
});
export type PrintState = Static<typeof PrintState>;

export const PrintJobView = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('print'), Type.Literal('reprint')]),
  orderId: Uuid,
  orderNumber: Type.Integer(),
  workstationId: Uuid,
  createdAt: DateTime,
  firstBlank: BlankNumber,
  lastBlank: BlankNumber,
  /** Position of the first blank on its sheet: 2 or 3 when a partly used sheet is fed again. */
  startPosition: Type.Integer({ minimum: 1, maximum: 3 }),
  /** Leftover blanks of a partly used sheet voided when this job started a new sheet. */
  voidedLeftovers: Type.Array(BlankNumber),
  prints: Type.Array(PrintState),
  /** What each blank shows, in blank order. */
  tickets: Type.Array(TicketFace),
});
export type PrintJobView = Static<typeof PrintJobView>;

/** The printer accepted the job: its pending prints (or the named blanks) become active. */
export const ConfirmPrintJobRequest = Type.Object(
  { blankNumbers: Type.Optional(Type.Array(BlankNumber, { minItems: 1, maxItems: MAX_TICKETS_PER_JOB, uniqueItems: true })) },
  { additionalProperties: false },
);
export type ConfirmPrintJobRequest = Static<typeof ConfirmPrintJobRequest>;

/** These blanks of the job failed: their prints become void, the blanks spoiled. `note` is required for other. */
export const SpoilBlanksRequest = Type.Object(
  {
    blankNumbers: Type.Array(BlankNumber, { minItems: 1, maxItems: MAX_TICKETS_PER_JOB, uniqueItems: true }),
    reason: SpoilReason,
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type SpoilBlanksRequest = Static<typeof SpoilBlanksRequest>;

// -------------------------------------------------------------------------------------------- reprint

/** Reprint a printed ticket: the old barcode dies at once. `note` is required for other. */
export const ReprintRequest = Type.Object({ reason: ReprintReason, note: Type.Optional(Note) }, { additionalProperties: false });
export type ReprintRequest = Static<typeof ReprintRequest>;

/** One print of a ticket of the order, as the order's print history shows it. */
export const PrintRecord = Type.Object({
  printId: Uuid,
  ticketId: Uuid,
  printJobId: Uuid,
  blankNumber: BlankNumber,
  status: PrintStatus,
  issuedAt: DateTime,
  issuedBy: Person,
  workstation: Named,
  confirmedAt: Type.Union([DateTime, Type.Null()]),
  voidedAt: Type.Union([DateTime, Type.Null()]),
  voidReason: Type.Union([VoidReason, Type.Null()]),
  reprint: Type.Union([Type.Object({ previousPrintId: Uuid, previousBlankNumber: BlankNumber, reason: ReprintReason, note: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
export type PrintRecord = Static<typeof PrintRecord>;

/** Problem codes of the printing API. */
export const PrintingErrorCode = {
  orderNotPaid: 'ORDER_NOT_PAID',
  orderCancelled: 'ORDER_CANCELLED',
  eventCancelled: 'EVENT_CANCELLED',
  ticketNotPrintable: 'TICKET_NOT_PRINTABLE',
  ticketAlreadyPrinted: 'TICKET_ALREADY_PRINTED',
  ticketAlreadyUsed: 'TICKET_ALREADY_USED',
  printPending: 'PRINT_PENDING',
  notPrinted: 'NOT_PRINTED',
  nothingToPrint: 'NOTHING_TO_PRINT',
  trayNotLoaded: 'TRAY_NOT_LOADED',
  blanksExhausted: 'BLANKS_EXHAUSTED',
  blankNotInStock: 'BLANK_NOT_IN_STOCK',
  blankAlreadyUsed: 'BLANK_ALREADY_USED',
  partialSheetNotAllowed: 'PARTIAL_SHEET_NOT_ALLOWED',
  sheetHasUnusedBlanks: 'SHEET_HAS_UNUSED_BLANKS',
  blankNotInJob: 'BLANK_NOT_IN_JOB',
  printAlreadyConfirmed: 'PRINT_ALREADY_CONFIRMED',
  printAlreadySpoiled: 'PRINT_ALREADY_SPOILED',
  noteRequired: 'NOTE_REQUIRED',
  blankRangeInvalid: 'BLANK_RANGE_INVALID',
  blankRangeTaken: 'BLANK_RANGE_TAKEN',
  outletRequired: 'OUTLET_REQUIRED',
  operatorOnly: 'OPERATOR_ONLY',
} as const;
