import type { Knex } from 'knex';
import type { BillingProfileView, InvoiceKind, InvoiceLine, InvoiceStatus, InvoiceSummary, InvoiceView, Party, RateTotal, Settlement } from '../../../../src/shared/api/invoicing.js';

export interface InvoiceRow {
  id: string;
  tenant_id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  series: 'invoice' | 'cancellation' | null;
  year: number | null;
  number: number | null;
  number_label: string | null;
  recipient_tenant_id: string | null;
  order_tenant_id: string | null;
  order_id: string | null;
  event_id: string | null;
  period_from: string | null;
  period_to: string | null;
  service_date: string | null;
  issue_date: string | null;
  issuer: Party | null;
  recipient: Party | null;
  note: string | null;
  settlement: Settlement | null;
  rates: RateTotal[];
  net_cents: number;
  tax_cents: number;
  gross_cents: number;
  small_amount: boolean;
  cancels_invoice_id: string | null;
  cancelled_by_invoice_id: string | null;
  cancel_reason: string | null;
  cancelled_at: Date | null;
  pdf_sha256: string | null;
  paid_cents: number;
  paid_at: Date | null;
  created_at: Date;
  issued_at: Date | null;
}

export interface LineRow {
  position: number;
  description: string;
  quantity: number;
  unit_gross_cents: number;
  line_gross_cents: number;
  vat_rate_bp: number;
}

export interface ProfileRow {
  tenant_id: string;
  legal_name: string;
  street: string;
  postal_code: string;
  city: string;
  country: string;
  tax_number: string | null;
  vat_id: string | null;
  email: string | null;
  contact_name: string | null;
  phone: string | null;
  iban: string | null;
  bank_name: string | null;
  invoice_prefix: string;
  cancellation_prefix: string;
  number_digits: number;
  commission_bp: number;
  platform_fee_bp: number;
  updated_at: Date;
}

/** Every column but the PDF bytes, which only the PDF route reads. */
export const INVOICE_COLUMNS = [
  'id', 'tenant_id', 'kind', 'status', 'series', 'year', 'number', 'number_label', 'recipient_tenant_id', 'order_tenant_id', 'order_id', 'event_id',
  'period_from', 'period_to', 'service_date', 'issue_date', 'issuer', 'recipient', 'note', 'settlement', 'rates', 'net_cents', 'tax_cents',
  'gross_cents', 'small_amount', 'cancels_invoice_id', 'cancelled_by_invoice_id', 'cancel_reason', 'cancelled_at', 'pdf_sha256', 'paid_cents',
  'paid_at', 'created_at', 'issued_at',
] as const;

export const lineOfRow = (l: LineRow): InvoiceLine => ({
  position: l.position,
  description: l.description,
  quantity: l.quantity,
  unitGrossCents: l.unit_gross_cents,
  lineGrossCents: l.line_gross_cents,
  vatRateBp: l.vat_rate_bp,
});

/**
 * What an invoice asks to be paid into the escrow account: a business-order invoice its gross amount; an
 * outlet settlement the balance the outlet owes (sales − refunds − commission; the commission itself is
 * netted); a promoter settlement nothing (its payout goes out of escrow) and a cancellation nothing.
 */
export function dueOf(row: Pick<InvoiceRow, 'kind' | 'gross_cents' | 'settlement'>): number {
  switch (row.kind) {
    case 'business_order':
      return row.gross_cents;
    case 'outlet_settlement':
      return Math.max(0, row.settlement?.balanceCents ?? 0);
    case 'promoter_settlement':
    case 'cancellation':
      return 0;
    default: {
      const unknown: never = row.kind;
      throw new Error(`unknown invoice kind ${String(unknown)}`);
    }
  }
}

/** dueOf in SQL, for lists and matching. */
export const DUE_SQL = `(CASE kind WHEN 'business_order' THEN gross_cents WHEN 'outlet_settlement' THEN GREATEST(COALESCE((settlement->>'balanceCents')::bigint, 0), 0) ELSE 0 END)`;

export function paymentStateOf(dueCents: number, paidCents: number): InvoiceView['paymentState'] {
  if (paidCents <= 0) return dueCents <= 0 ? 'paid' : 'open';
  if (paidCents < dueCents) return 'partial';
  return paidCents === dueCents ? 'paid' : 'overpaid';
}

export function viewOf(row: InvoiceRow, lines: LineRow[]): InvoiceView {
  return {
    id: row.id,
    issuerTenantId: row.tenant_id,
    kind: row.kind,
    status: row.status,
    series: row.series,
    number: row.number,
    numberLabel: row.number_label,
    issuer: row.issuer,
    recipient: row.recipient,
    recipientTenantId: row.recipient_tenant_id,
    orderId: row.order_id,
    eventId: row.event_id,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    serviceDate: row.service_date,
    issueDate: row.issue_date,
    note: row.note,
    lines: lines.map(lineOfRow),
    rates: row.rates,
    netCents: row.net_cents,
    taxCents: row.tax_cents,
    grossCents: row.gross_cents,
    smallAmount: row.small_amount,
    settlement: row.settlement,
    cancelsInvoiceId: row.cancels_invoice_id,
    cancelledByInvoiceId: row.cancelled_by_invoice_id,
    cancelReason: row.cancel_reason,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    pdfSha256: row.pdf_sha256,
    paidCents: row.paid_cents,
    openCents: dueOf(row) - row.paid_cents,
    paymentState: paymentStateOf(dueOf(row), row.paid_cents),
    paidAt: row.paid_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    issuedAt: row.issued_at?.toISOString() ?? null,
  };
}

export const summaryOf = (row: InvoiceRow): InvoiceSummary => {
  const v = viewOf(row, []);
  return {
    id: v.id,
    kind: v.kind,
    status: v.status,
    numberLabel: v.numberLabel,
    recipientName: v.recipient?.name ?? null,
    issueDate: v.issueDate,
    grossCents: v.grossCents,
    paidCents: v.paidCents,
    openCents: v.openCents,
    paymentState: v.paymentState,
  };
};

export const profileView = (p: ProfileRow): BillingProfileView => ({
  tenantId: p.tenant_id,
  legalName: p.legal_name,
  street: p.street,
  postalCode: p.postal_code,
  city: p.city,
  country: p.country,
  taxNumber: p.tax_number,
  vatId: p.vat_id,
  email: p.email,
  contactName: p.contact_name,
  phone: p.phone,
  iban: p.iban,
  bankName: p.bank_name,
  invoicePrefix: p.invoice_prefix,
  cancellationPrefix: p.cancellation_prefix,
  numberDigits: p.number_digits,
  commissionBp: p.commission_bp,
  platformFeeBp: p.platform_fee_bp,
  updatedAt: p.updated_at.toISOString(),
});

/** The party as printed, from a billing profile. */
export function partyOfProfile(p: ProfileRow): Party {
  return {
    name: p.legal_name,
    street: p.street,
    postalCode: p.postal_code,
    city: p.city,
    country: p.country,
    ...(p.tax_number === null ? {} : { taxNumber: p.tax_number }),
    ...(p.vat_id === null ? {} : { vatId: p.vat_id }),
    ...(p.contact_name === null ? {} : { contactName: p.contact_name }),
    ...(p.email === null ? {} : { email: p.email }),
    ...(p.phone === null ? {} : { phone: p.phone }),
    ...(p.iban === null ? {} : { iban: p.iban }),
    ...(p.bank_name === null ? {} : { bankName: p.bank_name }),
  };
}

const UNIQUE_VIOLATION = '23505';
export const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  (error as { code?: unknown }).code === UNIQUE_VIOLATION && (error as { constraint?: unknown }).constraint === constraint;

/** knex only; every method runs on the tenant-scoped transaction it is given. */
export function createInvoiceRepository() {
  return {
    async profile(trx: Knex.Transaction, tenantId: string): Promise<ProfileRow | undefined> {
      return trx('tenant_billing_profiles').where({ tenant_id: tenantId }).first<ProfileRow | undefined>('*');
    },

    async find(trx: Knex.Transaction, id: string, lock: 'none' | 'update' = 'none'): Promise<InvoiceRow | undefined> {
      const query = trx('invoices').where({ id });
      if (lock === 'update') void query.forUpdate();
      return query.first<InvoiceRow | undefined>(...INVOICE_COLUMNS);
    },

    async lines(trx: Knex.Transaction, invoiceId: string): Promise<LineRow[]> {
      return trx('invoice_lines').where({ invoice_id: invoiceId }).orderBy('position').select<LineRow[]>('position', 'description', 'quantity', 'unit_gross_cents', 'line_gross_cents', 'vat_rate_bp');
    },

    async replaceLines(trx: Knex.Transaction, tenantId: string, invoiceId: string, lines: ReadonlyArray<Omit<LineRow, 'position'>>): Promise<void> {
      await trx('invoice_lines').where({ invoice_id: invoiceId }).delete();
      if (lines.length === 0) return;
      await trx('invoice_lines').insert(lines.map((l, i) => ({ tenant_id: tenantId, invoice_id: invoiceId, position: i + 1, ...l })));
    },

    /**
     * The next number of (tenant, series, year). The upsert locks the counter row until the transaction
     * ends: concurrent issues take turns, and a rolled-back issue gives its number back.
     */
    async takeNumber(trx: Knex.Transaction, tenantId: string, series: 'invoice' | 'cancellation', year: number): Promise<number> {
      const { rows } = await trx.raw<{ rows: Array<{ number: number }> }>(
        `INSERT INTO invoice_counters AS c (tenant_id, series, year, next_number) VALUES (?, ?, ?, 2)
           ON CONFLICT (tenant_id, series, year) DO UPDATE SET next_number = c.next_number + 1
         RETURNING c.next_number - 1 AS number`,
        [tenantId, series, year],
      );
      const number = rows[0]?.number;
      if (number === undefined) throw new Error('invoice counter upsert returned no row');
      return number;
    },

    async pdf(trx: Knex.Transaction, id: string): Promise<{ number_label: string | null; status: InvoiceStatus; pdf: Uint8Array | null; pdf_sha256: string | null } | undefined> {
      return trx('invoices').where({ id }).first('number_label', 'status', 'pdf', 'pdf_sha256');
    },
  };
}

export type InvoiceRepository = ReturnType<typeof createInvoiceRepository>;
