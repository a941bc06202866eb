/**
 * The printing part of the IPC contract: the workstation's printer, the calibration sheet and print
 * jobs (issue → print → confirm, retry on the same blanks, or spoil). A print that failed is not an IPC
 * error: the report says per blank what happened and carries the code the clerk gets a text for.
 */
import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Code = Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$' });
const BlankNumber = Type.Integer({ minimum: 1 });

/** Codes of the station's print path (printer adapters and print service). */
export const PRINTING_ERROR_CODES = [
  'PRINTER_UNKNOWN',
  'PRINTER_OFFLINE',
  'PAPER_OUT',
  'PRINT_FAILED',
  'PRINTER_NOT_CONFIGURED',
  'BLANK_SEQUENCE_INVALID',
  'START_POSITION_MISMATCH',
  'PRINT_RENDER_FAILED',
  'PRINT_FONT_MISSING',
  'PRINT_JOB_UNKNOWN',
  'PRINT_BACKEND_UNAVAILABLE',
] as const;

export const PrinterStateSchema = Type.Union([Type.Literal('idle'), Type.Literal('printing'), Type.Literal('offline'), Type.Literal('paper-out'), Type.Literal('unknown')]);

export const PrinterInfoSchema = Type.Object(
  { name: Type.String({ maxLength: 200 }), state: PrinterStateSchema, isDefault: Type.Boolean(), detail: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type PrinterInfoView = Static<typeof PrinterInfoSchema>;

export const PrintReportSchema = Type.Object(
  {
    jobId: Type.String({ maxLength: 100 }),
    ok: Type.Boolean(),
    spoolerJobId: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    blanks: Type.Array(
      Type.Object(
        { blankNumber: BlankNumber, printId: Uuid, ticketId: Uuid, outcome: Type.Union([Type.Literal('printed'), Type.Literal('not-printed')]) },
        { additionalProperties: false },
      ),
    ),
    error: Type.Optional(Type.Object({ code: Code, message: Type.String({ maxLength: 500 }) }, { additionalProperties: false })),
    /** With ok=false: the job can be sent again on the same blanks; otherwise its blanks must be spoiled. */
    retryable: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PrintReportView = Static<typeof PrintReportSchema>;

export const PrintOutcomeSchema = Type.Object(
  {
    report: PrintReportSchema,
    /** The server has heard that the blanks were printed; false: the station confirms again later. */
    confirmed: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const UnresolvedJobSchema = Type.Object(
  {
    jobId: Type.String({ maxLength: 100 }),
    state: Type.Union([Type.Literal('failed'), Type.Literal('printed-unconfirmed'), Type.Literal('spoil-unreported')]),
    blankNumbers: Type.Array(BlankNumber),
    report: PrintReportSchema,
  },
  { additionalProperties: false },
);

export const SpoilReasonSchema = Type.Union([Type.Literal('paper_jam'), Type.Literal('misprint'), Type.Literal('printer_error'), Type.Literal('not_printed'), Type.Literal('other')]);

export const PRINTING_IPC = {
  /** The operating system's printer queues, for the settings screen. */
  listPrinters: { args: Type.Object({}, { additionalProperties: false }), result: Type.Array(PrinterInfoSchema) },
  /** State of the workstation's configured printer. */
  printerStatus: { args: Type.Object({}, { additionalProperties: false }), result: PrinterInfoSchema },
  /** The calibration sheet on the configured printer, with the saved offsets applied. */
  printCalibrationSheet: { args: Type.Object({}, { additionalProperties: false }), result: Type.Object({ spoolerJobId: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }) },
  /** Issue a print job for the order's unprinted (or the given) tickets, print it and confirm it. */
  printOrder: {
    args: Type.Object({ orderId: Uuid, ticketIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 300, uniqueItems: true })) }, { additionalProperties: false }),
    result: PrintOutcomeSchema,
  },
  /** Reprint one ticket (the old barcode dies at once), print it on the next blank and confirm it. */
  reprintTicket: {
    args: Type.Object(
      {
        ticketId: Uuid,
        reason: Type.Union([Type.Literal('damaged'), Type.Literal('lost'), Type.Literal('printer_fault'), Type.Literal('other')]),
        note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    result: PrintOutcomeSchema,
  },
  /** Send a failed job again, on the same blanks (paper loaded, printer back online). */
  retryJob: { args: Type.Object({ jobId: Uuid }, { additionalProperties: false }), result: PrintOutcomeSchema },
  /** Give a failed job up: its blanks are reported spoiled; a new job prints on new blanks. */
  spoilJob: {
    args: Type.Object({ jobId: Uuid, reason: SpoilReasonSchema, note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false }),
    result: Type.Null(),
  },
  /** Jobs the server has not yet heard the outcome of. */
  unresolvedJobs: { args: Type.Object({}, { additionalProperties: false }), result: Type.Array(UnresolvedJobSchema) },
} as const;
