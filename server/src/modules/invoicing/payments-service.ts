import type { Knex } from 'knex';
import {
  InvoicingErrorCode,
  type AssignPaymentRequest,
  type EscrowTransactionView,
  type InvoiceKind,
  type Settlement,
  type ManualPaymentRequest,
  type StatementImportRequest,
  type StatementImportResult,
} from '../../../../src/shared/api/invoicing.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { appendAudit } from '../audit/repository.js';
import { onceOnly, type StoredResponse } from '../idempotency/idempotency.js';
import { DUE_SQL, dueOf, isUniqueViolation } from './repository.js';
import { scopeOf, sha256Hex, who, type InvoicingActor } from './service.js';
import { parseCamt053, parseCsvStatement, type StatementEntry } from './statement.js';

interface TransactionRow {
  id: string;
  statement_id: string | null;
  source: EscrowTransactionView['source'];
  booking_date: string;
  amount_cents: number;
  currency: string;
  payer_name: string;
  payer_iban: string | null;
  reference: string;
  bank_ref: string | null;
  status: EscrowTransactionView['status'];
  reject_reason: string | null;
  discard_reason: string | null;
  invoice_id: string | null;
  matched_by: string | null;
  number_label?: string | null;
}

interface PayableInvoice {
  id: string;
  tenant_id: string;
  kind: InvoiceKind;
  status: string;
  number_label: string | null;
  gross_cents: number;
  settlement: Settlement | null;
  paid_cents: number;
  paid_at: Date | null;
  order_id: string | null;
  order_tenant_id: string | null;
}

const PAYABLE_COLUMNS = ['id', 'tenant_id', 'kind', 'status', 'number_label', 'gross_cents', 'settlement', 'paid_cents', 'paid_at', 'order_id', 'order_tenant_id'] as const;

/** Issued invoices with an amount due (dueOf) take payments; drafts, cancelled invoices, cancellations and promoter settlements do not. */
const isPayable = (i: PayableInvoice): boolean => i.status === 'issued' && dueOf(i) > 0;
/** A payable invoice not yet fully paid: only these are matched automatically or assigned by hand. */
const isOpen = (i: PayableInvoice): boolean => isPayable(i) && i.paid_cents < dueOf(i);

const view = (t: TransactionRow): EscrowTransactionView => ({
  id: t.id,
  source: t.source,
  statementId: t.statement_id,
  bookingDate: t.booking_date,
  amountCents: t.amount_cents,
  currency: t.currency,
  payerName: t.payer_name,
  payerIban: t.payer_iban,
  reference: t.reference,
  bankRef: t.bank_ref,
  status: t.status,
  rejectReason: t.reject_reason,
  discardReason: t.discard_reason,
  invoiceId: t.invoice_id,
  invoiceNumber: t.number_label ?? null,
  matchedBy: t.matched_by,
});

/** Invoice numbers as printed ("RE-2026-000123") and order numbers after a keyword ("Auftrag 4711"). */
const INVOICE_NUMBER = /\b([A-Z0-9]{1,10})[- ]?(\d{4})-(\d{1,10})\b/gi;
const ORDER_NUMBER = /\b(?:auftrag(?:s)?(?:nummer|nr\.?)?|bestell(?:ung|nummer|nr\.?)|order(?: no\.?)?|best\.-?nr\.?)\s*[:#]?\s*(\d{1,12})\b/gi;

export const TRANSACTION_COLUMNS = [
  'et.id', 'et.statement_id', 'et.source', 'et.booking_date', 'et.amount_cents', 'et.currency', 'et.payer_name', 'et.payer_iban', 'et.reference', 'et.bank_ref',
  'et.status', 'et.reject_reason', 'et.discard_reason', 'et.invoice_id', 'et.matched_by', 'i.number_label',
] as const;

/**
 * Incoming transfers on the escrow account (right payments.book). Operator staff book for the whole
 * platform (their scope covers the tenants below), so a transfer can pay an invoice of any outlet.
 */
export function createPaymentsService(deps: { knex: Knex; clock: Clock }) {
  /** The one issued, payable invoice the remittance text names, if exactly one. */
  async function match(trx: Knex.Transaction, reference: string): Promise<PayableInvoice | undefined> {
    const labels = new Set<string>();
    for (const m of reference.matchAll(INVOICE_NUMBER)) labels.add(`${m[1]!.toUpperCase()}-${m[2]}-${m[3]}`);
    const orders = new Set<number>();
    for (const m of reference.matchAll(ORDER_NUMBER)) orders.add(Number(m[1]));
    const candidates = new Map<string, PayableInvoice>();
    if (labels.size > 0) {
      for (const row of await payable(trx).whereIn('number_label', [...labels])) candidates.set(row.id, row);
    }
    if (orders.size > 0) {
      const rows = await payable(trx).whereIn('order_id', trx('orders').whereIn('order_number', [...orders]).select('id'));
      for (const row of rows) candidates.set(row.id, row);
    }
    // Ambiguous (two tenants' invoices with the same number, or two numbers named): left for a person.
    return candidates.size === 1 ? [...candidates.values()][0] : undefined;
  }

  const payable = (trx: Knex.Transaction) =>
    trx('invoices').where({ status: 'issued' }).whereRaw(`paid_cents < ${DUE_SQL}`).select<PayableInvoice[]>(...PAYABLE_COLUMNS);

  /**
   * Adds a payment to an invoice (locked by lockPayable in this transaction). When the payments cover it for the first time, the invoice is
   * paid, and the business order behind it becomes paid in the same transaction — which releases its
   * tickets for printing (orders.status = 'paid', paid_at, an escrow_transfer payment of the invoiced amount).
   */
  async function applyPayment(trx: Knex.Transaction, actor: InvoicingActor, invoice: PayableInvoice, amountCents: number, now: Date): Promise<void> {
    const paid = invoice.paid_cents + amountCents;
    const nowPaid = invoice.paid_at === null && paid >= dueOf(invoice);
    await trx('invoices').where({ id: invoice.id }).update({ paid_cents: paid, ...(nowPaid ? { paid_at: now } : {}) });
    let orderReleased: string | null = null;
    if (nowPaid && invoice.kind === 'business_order' && invoice.order_id !== null) {
      const order = await trx('orders').where({ id: invoice.order_id }).forUpdate().first<{ id: string; tenant_id: string; status: string } | undefined>('id', 'tenant_id', 'status');
      if (order !== undefined && order.status === 'unpaid') {
        await trx('orders').where({ id: order.id }).update({ status: 'paid', paid_at: now });
        // The order's payment is the invoiced amount (tickets cancelled before invoicing are not on the
        // invoice; the frozen order total still counts them).
        if (invoice.gross_cents > 0) {
          await trx('payments').insert({
            tenant_id: order.tenant_id,
            order_id: order.id,
            method: 'escrow_transfer',
            amount_cents: invoice.gross_cents,
            booked_by: actor.userId,
            workstation_id: actor.workstation.id,
            created_at: now,
          });
        }
        orderReleased = order.id;
      }
    }
    await appendAudit(trx, {
      tenantId: actor.tenantId,
      at: now,
      ...who(actor),
      action: nowPaid ? 'invoice.paid' : 'invoice.payment',
      entity: 'invoice',
      entityId: invoice.id,
      details: { numberLabel: invoice.number_label, amountCents, paidCents: paid, dueCents: dueOf(invoice), orderReleased },
    });
  }

  async function insertTransaction(
    trx: Knex.Transaction,
    actor: InvoicingActor,
    now: Date,
    entry: StatementEntry,
    source: 'camt053' | 'csv' | 'manual',
    statementId: string | null,
    forcedInvoice?: PayableInvoice,
  ): Promise<TransactionRow> {
    const reject = entry.currency !== 'EUR' ? 'FOREIGN_CURRENCY' : !entry.credit ? 'NOT_A_CREDIT' : !entry.booked ? 'NOT_BOOKED' : null;
    const candidate = reject !== null ? undefined : (forcedInvoice ?? (await match(trx, entry.reference)));
    // Matching read without a lock; a cancellation that committed since leaves the transfer unmatched.
    const invoice = candidate === undefined || forcedInvoice !== undefined ? candidate : await lockPayable(trx, candidate.id);
    const [row] = await trx('escrow_transactions')
      .insert({
        tenant_id: actor.tenantId,
        statement_id: statementId,
        source,
        booking_date: entry.bookingDate,
        amount_cents: entry.amountCents,
        currency: entry.currency,
        payer_name: entry.payerName,
        payer_iban: entry.payerIban,
        reference: entry.reference,
        bank_ref: entry.bankRef,
        status: reject !== null ? 'rejected' : invoice !== undefined ? 'matched' : 'unmatched',
        reject_reason: reject,
        invoice_id: invoice?.id ?? null,
        matched_by: invoice === undefined ? null : forcedInvoice !== undefined ? 'manual' : 'reference',
        matched_at: invoice === undefined ? null : now,
        created_at: now,
        created_by: actor.userId,
      })
      .returning<TransactionRow[]>(['id', 'statement_id', 'source', 'booking_date', 'amount_cents', 'currency', 'payer_name', 'payer_iban', 'reference', 'bank_ref', 'status', 'reject_reason', 'discard_reason', 'invoice_id', 'matched_by']);
    if (row === undefined) throw new Error('escrow transaction insert returned no row');
    if (invoice !== undefined) await applyPayment(trx, actor, invoice, entry.amountCents, now);
    return { ...row, number_label: invoice?.number_label ?? null };
  }

  /** The one visible issued invoice with this number (numbers repeat across issuing tenants). */
  async function invoiceIdOfNumber(trx: Knex.Transaction, numberLabel: string): Promise<string> {
    const rows = await trx('invoices').where({ number_label: numberLabel.trim().toUpperCase() }).whereNot({ status: 'draft' }).pluck<string[]>('id');
    if (rows.length === 0) throw notFound('Invoice');
    if (rows.length > 1) throw new AppError(409, InvoicingErrorCode.invoiceNumberAmbiguous, `Several issuers have an invoice ${numberLabel}; choose it from the list.`);
    return rows[0]!;
  }

  /** The invoice, locked until commit (payments and cancellations of one invoice take turns), if it takes payments. */
  async function lockPayable(trx: Knex.Transaction, invoiceId: string): Promise<PayableInvoice | undefined> {
    const invoice = await trx('invoices').where({ id: invoiceId }).forUpdate().first<PayableInvoice | undefined>(...PAYABLE_COLUMNS);
    return invoice !== undefined && isOpen(invoice) ? invoice : undefined;
  }

  /** An invoice chosen by a person: locked, or a clear refusal. */
  async function payableInvoice(trx: Knex.Transaction, invoiceId: string): Promise<PayableInvoice> {
    const invoice = await trx('invoices').where({ id: invoiceId }).forUpdate().first<PayableInvoice | undefined>(...PAYABLE_COLUMNS);
    if (invoice === undefined) throw notFound('Invoice');
    if (!isPayable(invoice)) {
      throw new AppError(409, InvoicingErrorCode.invoiceNotPayable, 'Only issued invoices with an amount due take payments (not drafts, cancelled invoices or cancellations).');
    }
    if (!isOpen(invoice)) throw new AppError(409, InvoicingErrorCode.invoiceAlreadyPaid, `Invoice ${invoice.number_label ?? ''} is already paid.`);
    return invoice;
  }

  async function bookIn(trx: Knex.Transaction, actor: InvoicingActor, input: ManualPaymentRequest, now: Date): Promise<EscrowTransactionView> {
    const forced = input.invoiceId === undefined ? undefined : await payableInvoice(trx, input.invoiceId);
    const entry: StatementEntry = { amountCents: input.amountCents, currency: 'EUR', credit: true, booked: true, bookingDate: input.bookingDate, payerName: input.payerName.trim(), payerIban: input.payerIban ?? null, reference: input.reference.trim(), bankRef: null };
    const row = await insertTransaction(trx, actor, now, entry, 'manual', null, forced);
    await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'payment.book', entity: 'escrow_transaction', entityId: row.id, details: { amountCents: input.amountCents, bookingDate: input.bookingDate, status: row.status, invoiceId: row.invoice_id } });
    return view(row);
  }

  return {
    /** A manual booking; with an idempotency key, a retry returns the first booking instead of booking twice. */
    async book(actor: InvoicingActor, input: ManualPaymentRequest, idem?: { key: string; hash: string }): Promise<StoredResponse<EscrowTransactionView>> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const run = async () => ({ status: 201, body: await bookIn(trx, actor, input, now) });
        if (idem === undefined) return { ...(await run()), replayed: false };
        return onceOnly(trx, { tenantId: actor.tenantId, scope: 'payments.book', key: idem.key, requestHash: idem.hash, now }, run);
      });
    },


    /**
     * Imports a statement in one transaction: a file already imported (same SHA-256, or the same statement
     * of the same account) is refused and books nothing. Entries in another currency than EUR, debits and
     * unbooked entries are kept as rejected with their reason; credits are matched or left unmatched.
     */
    async importStatement(actor: InvoicingActor, input: StatementImportRequest): Promise<StatementImportResult> {
      const now = deps.clock.now();
      const fileSha256 = sha256Hex(input.content);
      const parsed = input.format === 'camt053' ? parseCamt053(input.content) : parseCsvStatement(input.content, fileSha256);
      const duplicate = () => new AppError(409, InvoicingErrorCode.statementDuplicate, 'This statement has already been imported; nothing was booked.');
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const seen = await trx('bank_statements')
          .where({ tenant_id: actor.tenantId })
          .andWhere((q) => void q.where({ file_sha256: fileSha256 }).orWhere({ account_iban: parsed.accountIban, statement_ref: parsed.statementRef }))
          .first<{ id: string } | undefined>('id');
        if (seen !== undefined) throw duplicate();
        let statement: { id: string } | undefined;
        try {
          [statement] = await trx('bank_statements')
            .insert({ tenant_id: actor.tenantId, format: input.format, account_iban: parsed.accountIban, statement_ref: parsed.statementRef, file_sha256: fileSha256, entry_count: parsed.entries.length, imported_at: now, imported_by: actor.userId })
            .returning<Array<{ id: string }>>('id');
        } catch (error) {
          // A concurrent import of the same file won.
          if (isUniqueViolation(error, 'bank_statements_tenant_id_file_sha256_key') || isUniqueViolation(error, 'bank_statements_tenant_id_account_iban_statement_ref_key')) throw duplicate();
          throw error;
        }
        if (statement === undefined) throw new Error('statement insert returned no row');
        const rows: TransactionRow[] = [];
        for (const entry of parsed.entries) rows.push(await insertTransaction(trx, actor, now, entry, input.format, statement.id));
        const count = (status: string) => rows.filter((r) => r.status === status).length;
        const result: StatementImportResult = {
          statementId: statement.id,
          accountIban: parsed.accountIban,
          statementRef: parsed.statementRef,
          fileSha256,
          matched: count('matched'),
          unmatched: count('unmatched'),
          rejected: count('rejected'),
          transactions: rows.map(view),
        };
        await appendAudit(trx, {
          tenantId: actor.tenantId,
          at: now,
          ...who(actor),
          action: 'payment.import',
          entity: 'bank_statement',
          entityId: statement.id,
          details: { format: input.format, accountIban: parsed.accountIban, statementRef: parsed.statementRef, fileSha256, matched: result.matched, unmatched: result.unmatched, rejected: result.rejected },
        });
        return result;
      });
    },

    /** Assigns an unmatched transfer to an invoice by hand. */
    async assign(actor: InvoicingActor, transactionId: string, target: AssignPaymentRequest): Promise<EscrowTransactionView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const tx = await trx('escrow_transactions').where({ id: transactionId, tenant_id: actor.tenantId }).forUpdate().first<{ id: string; status: string; amount_cents: number } | undefined>('id', 'status', 'amount_cents');
        if (tx === undefined) throw notFound('Payment');
        if (tx.status !== 'unmatched') throw new AppError(409, InvoicingErrorCode.transactionNotOpen, 'Only unmatched payments can be assigned.');
        const invoice = await payableInvoice(trx, 'invoiceId' in target ? target.invoiceId : await invoiceIdOfNumber(trx, target.invoiceNumber));
        await trx('escrow_transactions').where({ id: tx.id }).update({ status: 'matched', invoice_id: invoice.id, matched_by: 'manual', matched_at: now });
        await applyPayment(trx, actor, invoice, tx.amount_cents, now);
        await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'payment.assign', entity: 'escrow_transaction', entityId: tx.id, details: { invoiceId: invoice.id, numberLabel: invoice.number_label, amountCents: tx.amount_cents } });
        const row = await trx('escrow_transactions as et').leftJoin('invoices as i', 'i.id', 'et.invoice_id').where('et.id', tx.id).first<TransactionRow>(...TRANSACTION_COLUMNS);
        return view(row);
      });
    },

    /** Sets an unmatched transfer aside with a reason (it stays on the statement, never booked). */
    async discard(actor: InvoicingActor, transactionId: string, reason: string): Promise<EscrowTransactionView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const tx = await trx('escrow_transactions').where({ id: transactionId, tenant_id: actor.tenantId }).forUpdate().first<{ id: string; status: string; amount_cents: number } | undefined>('id', 'status', 'amount_cents');
        if (tx === undefined) throw notFound('Payment');
        if (tx.status !== 'unmatched') throw new AppError(409, InvoicingErrorCode.transactionNotOpen, 'Only unmatched payments can be discarded.');
        await trx('escrow_transactions').where({ id: tx.id }).update({ status: 'discarded', discard_reason: reason, discarded_at: now, discarded_by: actor.userId });
        await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'payment.discard', entity: 'escrow_transaction', entityId: tx.id, details: { amountCents: tx.amount_cents, reason } });
        const row = await trx('escrow_transactions as et').leftJoin('invoices as i', 'i.id', 'et.invoice_id').where('et.id', tx.id).first<TransactionRow>(...TRANSACTION_COLUMNS);
        return view(row);
      });
    },

    async list(actor: InvoicingActor, query: { status?: EscrowTransactionView['status']; limit?: number }): Promise<EscrowTransactionView[]> {
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const q = trx('escrow_transactions as et').leftJoin('invoices as i', 'i.id', 'et.invoice_id').where('et.tenant_id', actor.tenantId).orderBy([{ column: 'et.booking_date', order: 'desc' }, { column: 'et.created_at', order: 'desc' }]).limit(query.limit ?? 200);
        if (query.status !== undefined) void q.where('et.status', query.status);
        return (await q.select<TransactionRow[]>(...TRANSACTION_COLUMNS)).map(view);
      });
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
