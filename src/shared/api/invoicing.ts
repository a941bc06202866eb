import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** Integer cents; signed (a cancellation negates every amount). */
const Cents = Type.Integer();
/** VAT rate in basis points: 1900 = 19 %. The rates German ticketing needs, and 0 for non-taxable items. */
export const VatRateBp = Type.Union([Type.Literal(0), Type.Literal(700), Type.Literal(1900)]);
export type VatRateBp = Static<typeof VatRateBp>;

/** Name and address of an invoice party as printed (§14 Abs. 4 Nr. 1 UStG). */
export const Party = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    contactName: Type.Optional(Type.String({ maxLength: 200 })),
    street: Type.String({ minLength: 1, maxLength: 200 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    taxNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    vatId: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[A-Za-z0-9+*.]{2,13}$' })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()/-]{3,30}$' })),
    iban: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$' })),
    bankName: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type Party = Static<typeof Party>;

/** The tenant's own billing data, kept by its management (users.manage). */
export const BillingProfileInput = Type.Object(
  {
    legalName: Type.String({ minLength: 1, maxLength: 200 }),
    street: Type.String({ minLength: 1, maxLength: 200 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    taxNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    vatId: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[A-Za-z0-9+*.]{2,13}$' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    /** Seller contact for e-invoices: with name, telephone, e-mail and IBAN the export is an XRechnung. */
    contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()/-]{3,30}$' })),
    iban: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$' })),
    bankName: Type.Optional(Type.String({ maxLength: 100 })),
    /** Number pattern: "<prefix>-<year>-<number, zero-padded to numberDigits>", e.g. RE-2026-000123. */
    invoicePrefix: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,10}$' })),
    cancellationPrefix: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,10}$' })),
    numberDigits: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  },
  { additionalProperties: false },
);
export type BillingProfileInput = Static<typeof BillingProfileInput>;

/** Commercial terms the operator sets for an outlet (commission) or a promoter (platform fee). */
export const BillingTermsInput = Type.Object(
  {
    commissionBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    platformFeeBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type BillingTermsInput = Static<typeof BillingTermsInput>;

export const BillingProfileView = Type.Object({
  tenantId: Uuid,
  legalName: Type.String(),
  street: Type.String(),
  postalCode: Type.String(),
  city: Type.String(),
  country: Type.String(),
  taxNumber: Nullable(Type.String()),
  vatId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  contactName: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  iban: Nullable(Type.String()),
  bankName: Nullable(Type.String()),
  invoicePrefix: Type.String(),
  cancellationPrefix: Type.String(),
  numberDigits: Type.Integer(),
  commissionBp: Type.Integer(),
  platformFeeBp: Type.Integer(),
  updatedAt: DateTime,
});
export type BillingProfileView = Static<typeof BillingProfileView>;
export const BillingProfileResponse = Type.Object({ profile: Nullable(BillingProfileView) });
export const TenantIdParams = Type.Object({ tenantId: Uuid }, { additionalProperties: false });

export const InvoiceKind = Type.Union([Type.Literal('business_order'), Type.Literal('outlet_settlement'), Type.Literal('promoter_settlement'), Type.Literal('cancellation')]);
export type InvoiceKind = Static<typeof InvoiceKind>;
export const InvoiceStatus = Type.Union([Type.Literal('draft'), Type.Literal('issued'), Type.Literal('cancelled')]);
export type InvoiceStatus = Static<typeof InvoiceStatus>;
export const PaymentState = Type.Union([Type.Literal('open'), Type.Literal('partial'), Type.Literal('paid'), Type.Literal('overpaid')]);

/** A line: quantity × gross unit price (prices are gross, as at the box office). */
export const InvoiceLineInput = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 300 }),
    quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    unitGrossCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    vatRateBp: VatRateBp,
  },
  { additionalProperties: false },
);
export type InvoiceLineInput = Static<typeof InvoiceLineInput>;

export const InvoiceLine = Type.Object({
  position: Type.Integer({ minimum: 1 }),
  description: Type.String(),
  quantity: Type.Integer(),
  unitGrossCents: Cents,
  lineGrossCents: Cents,
  vatRateBp: Type.Integer(),
});
export type InvoiceLine = Static<typeof InvoiceLine>;

/** Per VAT rate: gross sum of the lines, tax computed from it, net = gross − tax. */
export const RateTotal = Type.Object({ vatRateBp: Type.Integer(), netCents: Cents, taxCents: Cents, grossCents: Cents });
export type RateTotal = Static<typeof RateTotal>;

/** Figures of a settlement (outlet or promoter), frozen with the document. */
export const Settlement = Type.Object({
  kind: Type.Union([Type.Literal('outlet'), Type.Literal('promoter')]),
  periodFrom: Nullable(Day),
  periodTo: Nullable(Day),
  eventId: Nullable(Uuid),
  eventName: Nullable(Type.String()),
  /** Outlet: counter sales (cash and card) in the period; promoter: ticket revenue of the event, all outlets. */
  salesCents: Cents,
  /** Outlet: refunds in the period (≤ 0); promoter: 0 (cancelled tickets are not revenue). */
  refundsCents: Cents,
  netSalesCents: Cents,
  ticketCount: Type.Integer(),
  /** Commission (outlet) or platform fee (promoter) rate in basis points. */
  rateBp: Type.Integer(),
  /** Commission or fee, gross (net + 19 % VAT): the taxable lines of the document. */
  feeGrossCents: Cents,
  /** Outlet: owed to the escrow account (net sales − commission). Promoter: payout (revenue − fee). */
  balanceCents: Cents,
  perOutlet: Type.Array(Type.Object({ outletId: Uuid, outletName: Type.String(), salesCents: Cents, ticketCount: Type.Integer() })),
});
export type Settlement = Static<typeof Settlement>;

export const InvoiceView = Type.Object({
  id: Uuid,
  issuerTenantId: Uuid,
  kind: InvoiceKind,
  status: InvoiceStatus,
  series: Nullable(Type.Union([Type.Literal('invoice'), Type.Literal('cancellation')])),
  number: Nullable(Type.Integer()),
  numberLabel: Nullable(Type.String()),
  issuer: Nullable(Party),
  recipient: Nullable(Party),
  recipientTenantId: Nullable(Uuid),
  orderId: Nullable(Uuid),
  eventId: Nullable(Uuid),
  periodFrom: Nullable(Day),
  periodTo: Nullable(Day),
  serviceDate: Nullable(Day),
  issueDate: Nullable(Day),
  note: Nullable(Type.String()),
  lines: Type.Array(InvoiceLine),
  rates: Type.Array(RateTotal),
  netCents: Cents,
  taxCents: Cents,
  grossCents: Cents,
  /** Gross ≤ 250 €: a small-amount invoice (§33 UStDV). */
  smallAmount: Type.Boolean(),
  settlement: Nullable(Settlement),
  cancelsInvoiceId: Nullable(Uuid),
  cancelledByInvoiceId: Nullable(Uuid),
  cancelReason: Nullable(Type.String()),
  cancelledAt: Nullable(DateTime),
  pdfSha256: Nullable(Type.String()),
  paidCents: Cents,
  openCents: Cents,
  paymentState: PaymentState,
  paidAt: Nullable(DateTime),
  createdAt: DateTime,
  issuedAt: Nullable(DateTime),
});
export type InvoiceView = Static<typeof InvoiceView>;

export const InvoiceIdParams = Type.Object({ invoiceId: Uuid }, { additionalProperties: false });
export const CreateBusinessInvoiceRequest = Type.Object({ orderId: Uuid }, { additionalProperties: false });
export const CreateOutletSettlementRequest = Type.Object({ from: Day, to: Day }, { additionalProperties: false });
export const CreatePromoterSettlementRequest = Type.Object({ eventId: Uuid }, { additionalProperties: false });

/** Changes to a draft; issued invoices refuse every change. */
export const UpdateDraftRequest = Type.Object(
  {
    recipient: Type.Optional(Nullable(Party)),
    note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    serviceDate: Type.Optional(Day),
    lines: Type.Optional(Type.Array(InvoiceLineInput, { minItems: 1, maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type UpdateDraftRequest = Static<typeof UpdateDraftRequest>;

export const IssueInvoiceRequest = Type.Object({}, { additionalProperties: false });
export const CancelInvoiceRequest = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });

export const InvoiceListQuery = Type.Object(
  {
    status: Type.Optional(InvoiceStatus),
    kind: Type.Optional(InvoiceKind),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    /** Part of the recipient's name (case-insensitive). */
    recipient: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type InvoiceListQuery = Static<typeof InvoiceListQuery>;

export const InvoiceSummary = Type.Object({
  id: Uuid,
  kind: InvoiceKind,
  status: InvoiceStatus,
  numberLabel: Nullable(Type.String()),
  recipientName: Nullable(Type.String()),
  issueDate: Nullable(Day),
  grossCents: Cents,
  paidCents: Cents,
  openCents: Cents,
  paymentState: PaymentState,
});
export type InvoiceSummary = Static<typeof InvoiceSummary>;

export const ExportQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false });

/* ---------------------------------------------------------------- escrow payments */

export const ManualPaymentRequest = Type.Object(
  {
    amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000_000 }),
    bookingDate: Day,
    reference: Type.String({ maxLength: 1000 }),
    payerName: Type.String({ minLength: 1, maxLength: 200 }),
    payerIban: Type.Optional(Type.String({ maxLength: 34 })),
    /** Without it the reference text is matched like a statement entry. */
    invoiceId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ManualPaymentRequest = Static<typeof ManualPaymentRequest>;

/** A bank statement file as text: CAMT.053 XML (camt.053.001.02 or .08) or the CSV described in the README. */
export const StatementImportRequest = Type.Object(
  { format: Type.Union([Type.Literal('camt053'), Type.Literal('csv')]), content: Type.String({ minLength: 1, maxLength: 2_000_000 }) },
  { additionalProperties: false },
);
export type StatementImportRequest = Static<typeof StatementImportRequest>;

export const EscrowTransactionView = Type.Object({
  id: Uuid,
  source: Type.Union([Type.Literal('camt053'), Type.Literal('csv'), Type.Literal('manual')]),
  statementId: Nullable(Uuid),
  bookingDate: Day,
  amountCents: Cents,
  currency: Type.String(),
  payerName: Type.String(),
  payerIban: Nullable(Type.String()),
  reference: Type.String(),
  bankRef: Nullable(Type.String()),
  status: Type.Union([Type.Literal('matched'), Type.Literal('unmatched'), Type.Literal('rejected'), Type.Literal('discarded')]),
  rejectReason: Nullable(Type.String()),
  discardReason: Nullable(Type.String()),
  invoiceId: Nullable(Uuid),
  invoiceNumber: Nullable(Type.String()),
  matchedBy: Nullable(Type.String()),
});
export type EscrowTransactionView = Static<typeof EscrowTransactionView>;

export const StatementImportResult = Type.Object({
  statementId: Uuid,
  accountIban: Type.String(),
  statementRef: Type.String(),
  fileSha256: Type.String(),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  rejected: Type.Integer(),
  transactions: Type.Array(EscrowTransactionView),
});
export type StatementImportResult = Static<typeof StatementImportResult>;

export const TransactionIdParams = Type.Object({ transactionId: Uuid }, { additionalProperties: false });
/** The invoice by id, or by its number as typed from the remittance text. */
export const AssignPaymentRequest = Type.Union([
  Type.Object({ invoiceId: Uuid }, { additionalProperties: false }),
  Type.Object({ invoiceNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
]);
export type AssignPaymentRequest = Static<typeof AssignPaymentRequest>;
export const DiscardPaymentRequest = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
export const PaymentListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('matched'), Type.Literal('unmatched'), Type.Literal('rejected'), Type.Literal('discarded')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);

/** Problem codes of invoicing and escrow payments. */
export const InvoicingErrorCode = {
  billingProfileIncomplete: 'BILLING_PROFILE_INCOMPLETE',
  orderNotInvoiceable: 'ORDER_NOT_INVOICEABLE',
  invoiceExists: 'INVOICE_EXISTS',
  invoiceNotDraft: 'INVOICE_NOT_DRAFT',
  invoiceNotIssued: 'INVOICE_NOT_ISSUED',
  invoiceEmpty: 'INVOICE_EMPTY',
  recipientRequired: 'RECIPIENT_REQUIRED',
  wrongTenantKind: 'WRONG_TENANT_KIND',
  eventNotOver: 'EVENT_NOT_OVER',
  badPeriod: 'BAD_PERIOD',
  pdfIntegrityFailed: 'PDF_INTEGRITY_FAILED',
  statementInvalid: 'STATEMENT_INVALID',
  statementDuplicate: 'STATEMENT_DUPLICATE',
  foreignCurrency: 'FOREIGN_CURRENCY',
  transactionNotOpen: 'TRANSACTION_NOT_OPEN',
  invoiceNotPayable: 'INVOICE_NOT_PAYABLE',
  linesNotEditable: 'LINES_NOT_EDITABLE',
  alreadySettled: 'ALREADY_SETTLED',
  invoiceAlreadyPaid: 'INVOICE_ALREADY_PAID',
  invoiceNumberAmbiguous: 'INVOICE_NUMBER_AMBIGUOUS',
  cancellationNotCancellable: 'CANCELLATION_NOT_CANCELLABLE',
} as const;

/** An unpaid business order on invoice that has no live invoice yet (the accountant's work list). */
export const InvoiceableOrder = Type.Object({
  orderId: Uuid,
  orderNumber: Type.Integer(),
  customerName: Type.String(),
  eventName: Nullable(Type.String()),
  totalCents: Cents,
  createdAt: DateTime,
});
export type InvoiceableOrder = Static<typeof InvoiceableOrder>;
