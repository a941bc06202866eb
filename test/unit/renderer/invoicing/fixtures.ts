import type { EscrowTransactionView, InvoiceSummary, InvoiceView, StatementImportResult } from '../../../../src/shared/api/invoicing.js';

let counter = 0;
export const uuid = (n = ++counter) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function summary(overrides: Partial<InvoiceSummary> = {}): InvoiceSummary {
  return {
    id: uuid(),
    kind: 'business_order',
    status: 'issued',
    numberLabel: 'RE-2026-000001',
    recipientName: 'Firma Nord GmbH',
    issueDate: '2026-12-01',
    grossCents: 11_900,
    paidCents: 0,
    openCents: 11_900,
    paymentState: 'open',
    ...overrides,
  };
}

export function invoice(overrides: Partial<InvoiceView> = {}): InvoiceView {
  return {
    id: uuid(),
    issuerTenantId: uuid(),
    kind: 'business_order',
    status: 'issued',
    series: 'invoice',
    number: 1,
    numberLabel: 'RE-2026-000001',
    issuer: null,
    recipient: { name: 'Firma Nord GmbH', street: 'Hafenstraße 1', postalCode: '20457', city: 'Hamburg', country: 'DE' },
    recipientTenantId: null,
    orderId: uuid(),
    eventId: null,
    periodFrom: null,
    periodTo: null,
    serviceDate: '2026-12-01',
    issueDate: '2026-12-01',
    note: null,
    lines: [{ position: 1, description: '2 × Sommerkonzert, Stehplatz', quantity: 2, unitGrossCents: 5_950, lineGrossCents: 11_900, vatRateBp: 700 }],
    rates: [{ vatRateBp: 700, netCents: 11_121, taxCents: 779, grossCents: 11_900 }],
    netCents: 11_121,
    taxCents: 779,
    grossCents: 11_900,
    paidCents: 0,
    openCents: 11_900,
    paymentState: 'open',
    paidAt: null,
    pdfSha256: null,
    smallAmount: true,
    settlement: null,
    // Not cancelled.
    cancelReason: null,
    cancelledAt: null,
    cancelsInvoiceId: null,
    cancelledByInvoiceId: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    issuedAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

export function transaction(overrides: Partial<EscrowTransactionView> = {}): EscrowTransactionView {
  return {
    id: uuid(),
    source: 'camt053',
    statementId: null,
    bookingDate: '2026-12-03',
    amountCents: 11_900,
    currency: 'EUR',
    payerName: 'Firma Nord GmbH',
    payerIban: null,
    reference: 'Rechnung Dezember',
    bankRef: null,
    status: 'unmatched',
    rejectReason: null,
    discardReason: null,
    invoiceId: null,
    invoiceNumber: null,
    matchedBy: null,
    ...overrides,
  };
}

export function importResult(transactions: EscrowTransactionView[]): StatementImportResult {
  const count = (status: EscrowTransactionView['status']) => transactions.filter((t) => t.status === status).length;
  return {
    statementId: uuid(),
    accountIban: 'DE02120300000000202051',
    statementRef: 'STMT-2026-12-03',
    fileSha256: 'a'.repeat(64),
    matched: count('matched'),
    unmatched: count('unmatched'),
    rejected: count('rejected'),
    transactions,
  };
}
