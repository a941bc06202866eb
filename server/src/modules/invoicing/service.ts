import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  InvoicingErrorCode,
  type BillingProfileInput,
  type BillingProfileView,
  type BillingTermsInput,
  type InvoiceKind,
  type InvoiceListQuery,
  type InvoiceSummary,
  type InvoiceView,
  type Party,
  type Settlement,
  type UpdateDraftRequest,
} from '../../../../src/shared/api/invoicing.js';
import type { Clock } from '../../clock.js';
import { inTenant, type TenantScope } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { invoiceDocument } from '../../pdf/invoice-document.js';
import type { PdfRenderer } from '../../pdf/renderer.js';
import { appendAudit } from '../audit/repository.js';
import type { Actor } from '../identity/users-service.js';
import { datevCsv } from './datev.js';
import { checkEn16931 } from './en16931-rules.js';
import { createInvoiceRepository, DUE_SQL, INVOICE_COLUMNS, isUniqueViolation, partyOfProfile, profileView, summaryOf, viewOf, type InvoiceRow, type LineRow, type ProfileRow } from './repository.js';
import { computeTotals } from './totals.js';
import { toUbl } from './xrechnung.js';

/** Invoice dates, years of the number and service dates are German calendar days. */
export const INVOICE_TIME_ZONE = 'Europe/Berlin';

/** An actor of the invoicing API with its tenant's kind: operator staff act over the tenants below. */
export interface InvoicingActor extends Actor {
  tenantKind: 'operator' | 'promoter' | 'outlet';
}

export const scopeOf = (actor: InvoicingActor): TenantScope => ({ tenantId: actor.tenantId, includeChildren: actor.tenantKind === 'operator' });

/** The calendar day of an instant in the zone, as YYYY-MM-DD. */
export function localDay(at: Date, timeZone = INVOICE_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

const conflict = (code: string, message: string) => new AppError(409, code, message);
const unprocessable = (code: string, message: string) => new AppError(422, code, message);
const notDraft = () => conflict(InvoicingErrorCode.invoiceNotDraft, 'The invoice has been issued and can no longer be changed. Correct it by cancellation and a new invoice.');

// Namespace of the settlement advisory lock (see refuseSettled), apart from the audit chain's.
const SETTLEMENT_LOCK_CLASS = 0x5345_5454; // 'SETT'

/** Audit fields of an actor. */
export const who = (actor: Actor) => ({ actorUserId: actor.userId, workstationId: actor.workstation.id, sourceIp: actor.workstation.sourceIp });

export interface InvoicingDeps {
  knex: Knex;
  clock: Clock;
  pdf: PdfRenderer;
  lockTimeoutMs?: number;
}

/**
 * Runs the calls of one key one after another. Issues of one tenant take turns on its counter row anyway;
 * queueing them here first keeps the waiting requests from each holding a pooled database connection
 * (the row lock still orders issues across server instances; this only spares connections).
 */
export function createTurns() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export function createInvoicingService(deps: InvoicingDeps) {
  const repo = createInvoiceRepository();
  const inTurn = createTurns();
  const lockTimeoutMs = deps.lockTimeoutMs ?? 15_000;

  async function loadView(trx: Knex.Transaction, id: string): Promise<InvoiceView> {
    const row = await repo.find(trx, id);
    if (row === undefined) throw notFound('Invoice');
    return viewOf(row, await repo.lines(trx, id));
  }

  /** A draft of the actor's own tenant, locked; other tenants' invoices are simply not found. */
  async function ownDraft(trx: Knex.Transaction, actor: Actor, id: string): Promise<InvoiceRow> {
    const row = await repo.find(trx, id, 'update');
    if (row === undefined || row.tenant_id !== actor.tenantId) throw notFound('Invoice');
    if (row.status !== 'draft') throw notDraft();
    return row;
  }

  async function insertDraft(
    trx: Knex.Transaction,
    actor: Actor,
    now: Date,
    draft: {
      kind: InvoiceKind;
      recipient: Party | null;
      recipientTenantId?: string | null;
      orderTenantId?: string | null;
      orderId?: string | null;
      eventId?: string | null;
      periodFrom?: string | null;
      periodTo?: string | null;
      serviceDate: string | null;
      settlement?: Settlement | null;
      cancelsInvoiceId?: string | null;
      lines: Array<Omit<LineRow, 'position'>>;
      /** Cancellations carry the negated totals of the original instead of recomputed ones. */
      totals?: Pick<InvoiceRow, 'rates' | 'net_cents' | 'tax_cents' | 'gross_cents' | 'small_amount'>;
    },
  ): Promise<string> {
    const t = computeTotals(draft.lines.map((l) => ({ lineGrossCents: l.line_gross_cents, vatRateBp: l.vat_rate_bp })));
    const totals = draft.totals ?? { rates: t.rates, net_cents: t.netCents, tax_cents: t.taxCents, gross_cents: t.grossCents, small_amount: t.smallAmount };
    let row: { id: string } | undefined;
    try {
      [row] = await trx('invoices')
        .insert({
          tenant_id: actor.tenantId,
          kind: draft.kind,
          status: 'draft',
          recipient: draft.recipient === null ? null : JSON.stringify(draft.recipient),
          recipient_tenant_id: draft.recipientTenantId ?? null,
          order_tenant_id: draft.orderTenantId ?? null,
          order_id: draft.orderId ?? null,
          event_id: draft.eventId ?? null,
          period_from: draft.periodFrom ?? null,
          period_to: draft.periodTo ?? null,
          service_date: draft.serviceDate,
          settlement: draft.settlement === undefined || draft.settlement === null ? null : JSON.stringify(draft.settlement),
          cancels_invoice_id: draft.cancelsInvoiceId ?? null,
          ...totals,
          rates: JSON.stringify(totals.rates),
          created_at: now,
          created_by: actor.userId,
        })
        .returning<Array<{ id: string }>>('id');
    } catch (error) {
      if (isUniqueViolation(error, 'invoices_one_per_order')) throw conflict(InvoicingErrorCode.invoiceExists, 'This order already has an invoice. Cancel it first to issue a new one.');
      throw error;
    }
    if (row === undefined) throw new Error('invoice insert returned no row');
    await repo.replaceLines(trx, actor.tenantId, row.id, draft.lines);
    return row.id;
  }

  /** Recomputes a draft's totals from its lines. */
  async function refreshTotals(trx: Knex.Transaction, id: string): Promise<void> {
    const lines = await repo.lines(trx, id);
    const t = computeTotals(lines.map((l) => ({ lineGrossCents: l.line_gross_cents, vatRateBp: l.vat_rate_bp })));
    await trx('invoices').where({ id }).update({ rates: JSON.stringify(t.rates), net_cents: t.netCents, tax_cents: t.taxCents, gross_cents: t.grossCents, small_amount: t.smallAmount });
  }

  /**
   * Issues a draft inside the caller's transaction: checks the §14 content, takes the next number of the
   * series from the row-locked counter, freezes the issuer's data, renders the PDF and stores it with its
   * SHA-256. Anything failing rolls back everything, the number included.
   */
  async function issueDraft(trx: Knex.Transaction, actor: Actor, row: InvoiceRow, now: Date): Promise<InvoiceRow> {
    const lines = await repo.lines(trx, row.id);
    if (lines.length === 0) throw unprocessable(InvoicingErrorCode.invoiceEmpty, 'An invoice needs at least one line.');
    const profile = await repo.profile(trx, actor.tenantId);
    if (profile === undefined || (profile.tax_number === null && profile.vat_id === null)) {
      throw unprocessable(InvoicingErrorCode.billingProfileIncomplete, 'Your billing profile needs the legal name, address and a tax number or VAT id before invoices can be issued.');
    }
    if (!row.small_amount && row.recipient === null) {
      throw unprocessable(InvoicingErrorCode.recipientRequired, 'Invoices above 250 € need the recipient\'s name and address.');
    }
    if (row.kind === 'business_order' && row.order_id !== null) {
      const order = await trx('orders').where({ id: row.order_id }).first<{ status: string } | undefined>('status');
      if (order === undefined || order.status !== 'unpaid') throw conflict(InvoicingErrorCode.orderNotInvoiceable, 'The order is no longer open for invoicing (paid or cancelled).');
    }
    const series = row.kind === 'cancellation' ? 'cancellation' : 'invoice';
    const issueDate = localDay(now);
    const year = Number(issueDate.slice(0, 4));
    const number = await repo.takeNumber(trx, actor.tenantId, series, year);
    const prefix = series === 'cancellation' ? profile.cancellation_prefix : profile.invoice_prefix;
    const numberLabel = `${prefix}-${year}-${String(number).padStart(profile.number_digits, '0')}`;
    const issuer = partyOfProfile(profile);
    let cancels: { numberLabel: string; issueDate: string; reason: string } | null = null;
    if (row.cancels_invoice_id !== null) {
      const original = await repo.find(trx, row.cancels_invoice_id);
      if (original === undefined || original.number_label === null || original.issue_date === null) throw new Error('cancellation refers to an unissued invoice');
      cancels = { numberLabel: original.number_label, issueDate: original.issue_date, reason: row.note ?? '' };
    }
    const orderNumber = row.order_id === null ? null : ((await trx('orders').where({ id: row.order_id }).first<{ order_number: number } | undefined>('order_number'))?.order_number ?? null);
    const pdf = await deps.pdf.render(
      invoiceDocument({
        kind: row.kind,
        numberLabel,
        issueDate,
        serviceDate: row.service_date,
        periodFrom: row.period_from,
        periodTo: row.period_to,
        issuer,
        recipient: row.recipient,
        lines: lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unitGrossCents: l.unit_gross_cents, lineGrossCents: l.line_gross_cents, vatRateBp: l.vat_rate_bp })),
        rates: row.rates,
        netCents: row.net_cents,
        taxCents: row.tax_cents,
        grossCents: row.gross_cents,
        smallAmount: row.small_amount,
        note: row.kind === 'cancellation' ? null : row.note,
        orderNumber,
        settlement: row.settlement,
        cancels,
        issuedAt: now,
      }),
    );
    const pdfSha256 = sha256Hex(pdf);
    await trx('invoices')
      .where({ id: row.id, status: 'draft' })
      .update({ status: 'issued', series, year, number, number_label: numberLabel, issue_date: issueDate, issuer: JSON.stringify(issuer), pdf, pdf_sha256: pdfSha256, issued_at: now, issued_by: actor.userId });
    await appendAudit(trx, {
      tenantId: actor.tenantId,
      at: now,
      ...who(actor),
      action: 'invoice.issue',
      entity: 'invoice',
      entityId: row.id,
      details: { kind: row.kind, numberLabel, series, grossCents: row.gross_cents, taxCents: row.tax_cents, pdfSha256, cancelsInvoiceId: row.cancels_invoice_id, orderId: row.order_id },
    });
    const issued = await repo.find(trx, row.id);
    if (issued === undefined) throw new Error('issued invoice vanished');
    return issued;
  }

  /**
   * One live settlement per outlet period (no overlap) or per event. Settlements of one issuer are drafted
   * one at a time (an advisory lock until commit), so two concurrent drafts cannot both pass the check.
   */
  async function refuseSettled(trx: Knex.Transaction, actor: Actor, scope: { kind: 'outlet_settlement'; from: string; to: string } | { kind: 'promoter_settlement'; eventId: string }) {
    await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [SETTLEMENT_LOCK_CLASS, actor.tenantId]);
    const q = trx('invoices').where({ tenant_id: actor.tenantId, kind: scope.kind }).whereNot({ status: 'cancelled' });
    if (scope.kind === 'outlet_settlement') void q.where('period_from', '<=', scope.to).where('period_to', '>=', scope.from);
    else void q.where({ event_id: scope.eventId });
    const existing = await q.first<{ id: string; number_label: string | null } | undefined>('id', 'number_label');
    if (existing !== undefined) {
      throw conflict(InvoicingErrorCode.alreadySettled, `Already settled by ${existing.number_label ?? 'a draft'} (${existing.id}); cancel that settlement first.`);
    }
  }

  async function draftAudit(trx: Knex.Transaction, actor: Actor, now: Date, id: string, details: Record<string, unknown>) {
    await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'invoice.draft', entity: 'invoice', entityId: id, details });
  }

  const service = {
    /* ------------------------------------------------------------ billing profile */

    async getProfile(actor: InvoicingActor): Promise<BillingProfileView | null> {
      const row = await inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) => repo.profile(trx, actor.tenantId));
      return row === undefined ? null : profileView(row);
    },

    async putProfile(actor: InvoicingActor, input: BillingProfileInput): Promise<BillingProfileView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const values = {
          legal_name: input.legalName.trim(),
          street: input.street.trim(),
          postal_code: input.postalCode.trim(),
          city: input.city.trim(),
          country: input.country,
          tax_number: input.taxNumber ?? null,
          vat_id: input.vatId ?? null,
          email: input.email ?? null,
          contact_name: input.contactName?.trim() ?? null,
          phone: input.phone ?? null,
          iban: input.iban ?? null,
          bank_name: input.bankName ?? null,
          invoice_prefix: input.invoicePrefix ?? 'RE',
          cancellation_prefix: input.cancellationPrefix ?? 'ST',
          number_digits: input.numberDigits ?? 6,
          updated_at: now,
          updated_by: actor.userId,
        };
        if (values.invoice_prefix === values.cancellation_prefix) throw new AppError(400, 'PREFIXES_EQUAL', 'Invoices and cancellations need different prefixes.');
        await trx('tenant_billing_profiles').insert({ tenant_id: actor.tenantId, ...values }).onConflict('tenant_id').merge(Object.keys(values));
        await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'billing_profile.update', entity: 'tenant', entityId: actor.tenantId, details: { ...input } });
        const row = await repo.profile(trx, actor.tenantId);
        if (row === undefined) throw new Error('billing profile upsert returned no row');
        return profileView(row);
      });
    },

    /** The operator sets an outlet's commission or a promoter's platform fee (their profile must exist). */
    async putTerms(actor: InvoicingActor, tenantId: string, input: BillingTermsInput): Promise<BillingProfileView> {
      const now = deps.clock.now();
      if (actor.tenantKind !== 'operator') throw notFound('Tenant');
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const tenant = await trx('tenants').where({ id: tenantId, parent_id: actor.tenantId }).first<{ id: string } | undefined>('id');
        if (tenant === undefined) throw notFound('Tenant');
        const update = {
          ...(input.commissionBp === undefined ? {} : { commission_bp: input.commissionBp }),
          ...(input.platformFeeBp === undefined ? {} : { platform_fee_bp: input.platformFeeBp }),
        };
        if (Object.keys(update).length > 0) {
          const changed = await trx('tenant_billing_profiles').where({ tenant_id: tenantId }).update({ ...update, updated_at: now, updated_by: actor.userId });
          if (changed === 0) throw unprocessable(InvoicingErrorCode.billingProfileIncomplete, 'The tenant has no billing profile yet; its management enters it first.');
        }
        await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'billing_terms.update', entity: 'tenant', entityId: tenantId, details: { ...input } });
        const row = await repo.profile(trx, tenantId);
        if (row === undefined) throw unprocessable(InvoicingErrorCode.billingProfileIncomplete, 'The tenant has no billing profile yet; its management enters it first.');
        return profileView(row);
      });
    },

    /* ------------------------------------------------------------ drafts */

    /** A draft invoice for a business order on invoice: tickets grouped by category, variant and price. */
    async draftForOrder(actor: InvoicingActor, orderId: string): Promise<InvoiceView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const order = await trx('orders as o')
          .join('events as e', 'e.id', 'o.event_id')
          .where('o.id', orderId)
          .first<{ id: string; tenant_id: string; channel: string; status: string; business_customer: Record<string, string> | null; event_id: string; event_name: string; starts_at: Date } | undefined>(
            'o.id', 'o.tenant_id', 'o.channel', 'o.status', 'o.business_customer', 'o.event_id', 'e.name as event_name', 'e.starts_at',
          );
        // The seller's own orders; operator staff also those of the tenants below (a promoter's read access to orders does not count).
        if (order === undefined || (order.tenant_id !== actor.tenantId && actor.tenantKind !== 'operator')) throw notFound('Order');
        if (order.channel !== 'business' || order.status !== 'unpaid' || order.business_customer === null) {
          throw conflict(InvoicingErrorCode.orderNotInvoiceable, 'Only unpaid business orders on invoice are invoiced here.');
        }
        const groups = await trx('tickets as t')
          .join('price_categories as c', 'c.id', 't.category_id')
          .leftJoin('price_variants as v', 'v.id', 't.variant_id')
          .where({ 't.order_id': order.id, 't.status': 'valid' })
          .groupBy('c.name', 'v.name', 't.price_cents', 't.vat_rate_bp', 'c.sort_order')
          .orderBy([{ column: 'c.sort_order' }, { column: 'c.name' }, { column: 't.price_cents', order: 'desc' }])
          .select<Array<{ category: string; variant: string | null; price_cents: number; vat_rate_bp: number; quantity: number }>>(
            'c.name as category', 'v.name as variant', 't.price_cents', 't.vat_rate_bp', trx.raw('count(*)::int AS quantity'),
          );
        if (groups.length === 0) throw conflict(InvoicingErrorCode.orderNotInvoiceable, 'The order has no valid tickets.');
        for (const g of groups) {
          if (![0, 700, 1900].includes(g.vat_rate_bp)) throw conflict(InvoicingErrorCode.orderNotInvoiceable, `Unsupported VAT rate ${g.vat_rate_bp / 100} %.`);
        }
        const c = order.business_customer;
        const recipient: Party = {
          name: c['company'] ?? '',
          ...(c['contactName'] ? { contactName: c['contactName'] } : {}),
          street: c['street'] ?? '',
          postalCode: c['postalCode'] ?? '',
          city: c['city'] ?? '',
          country: c['country'] ?? 'DE',
          ...(c['vatId'] ? { vatId: c['vatId'] } : {}),
          ...(c['email'] ? { email: c['email'] } : {}),
        };
        const id = await insertDraft(trx, actor, now, {
          kind: 'business_order',
          recipient,
          orderTenantId: order.tenant_id,
          orderId: order.id,
          eventId: order.event_id,
          serviceDate: localDay(order.starts_at),
          lines: groups.map((g) => ({
            description: `Eintrittskarte ${order.event_name} – ${g.category}${g.variant === null ? '' : ` (${g.variant})`}`,
            quantity: g.quantity,
            unit_gross_cents: g.price_cents,
            line_gross_cents: g.quantity * g.price_cents,
            vat_rate_bp: g.vat_rate_bp,
          })),
        });
        await draftAudit(trx, actor, now, id, { kind: 'business_order', orderId: order.id });
        return loadView(trx, id);
      });
    },

    /**
     * An outlet's settlement for a period (German calendar days, inclusive): its counter sales and refunds
     * (cash and card), the commission it keeps (its rate, plus 19 % VAT) as the taxable line of this
     * commission invoice to the operator, and the balance it owes to the escrow account.
     */
    async draftOutletSettlement(actor: InvoicingActor, input: { from: string; to: string }): Promise<InvoiceView> {
      const now = deps.clock.now();
      if (actor.tenantKind !== 'outlet') throw new AppError(403, InvoicingErrorCode.wrongTenantKind, 'Outlet settlements are issued by the outlet.');
      if (input.from > input.to) throw new AppError(400, InvoicingErrorCode.badPeriod, 'The period ends before it starts.');
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await refuseSettled(trx, actor, { kind: 'outlet_settlement', from: input.from, to: input.to });
        const profile = await repo.profile(trx, actor.tenantId);
        const operator = await trx('tenants as t').leftJoin('tenant_billing_profiles as p', 'p.tenant_id', 't.id').where('t.kind', 'operator').first<(ProfileRow & { id: string }) | undefined>('p.*', 't.id');
        if (operator === undefined || operator.legal_name === null) throw unprocessable(InvoicingErrorCode.billingProfileIncomplete, 'The operator has no billing profile yet.');
        const sums = await trx('payments as p')
          .where('p.tenant_id', actor.tenantId)
          .whereIn('p.method', ['cash', 'card'])
          .whereRaw(`(p.created_at AT TIME ZONE ?)::date BETWEEN ?::date AND ?::date`, [INVOICE_TIME_ZONE, input.from, input.to])
          .first<{ sales: number; refunds: number }>(
            trx.raw('COALESCE(SUM(p.amount_cents) FILTER (WHERE p.amount_cents > 0), 0)::bigint AS sales'),
            trx.raw('COALESCE(SUM(p.amount_cents) FILTER (WHERE p.amount_cents < 0), 0)::bigint AS refunds'),
          );
        const tickets = await trx('tickets as t')
          .whereIn('t.order_id', trx('payments as p').where('p.tenant_id', actor.tenantId).whereIn('p.method', ['cash', 'card']).where('p.amount_cents', '>', 0)
            .whereRaw(`(p.created_at AT TIME ZONE ?)::date BETWEEN ?::date AND ?::date`, [INVOICE_TIME_ZONE, input.from, input.to]).select('p.order_id'))
          .first<{ n: number }>(trx.raw('count(*)::int AS n'));
        const rateBp = profile?.commission_bp ?? 0;
        const netSales = sums.sales + sums.refunds;
        // Commission net on the net sales, half-up; VAT 19 % on top (computed again from the gross line).
        const commissionNet = Math.max(0, Math.round((netSales * rateBp) / 10_000));
        const commissionGross = commissionNet + Math.round((commissionNet * 19) / 100);
        const settlement: Settlement = {
          kind: 'outlet',
          periodFrom: input.from,
          periodTo: input.to,
          eventId: null,
          eventName: null,
          salesCents: sums.sales,
          refundsCents: sums.refunds,
          netSalesCents: netSales,
          ticketCount: tickets.n,
          rateBp,
          feeGrossCents: commissionGross,
          balanceCents: netSales - commissionGross,
          perOutlet: [],
        };
        const id = await insertDraft(trx, actor, now, {
          kind: 'outlet_settlement',
          recipient: partyOfProfile(operator),
          recipientTenantId: operator.id,
          periodFrom: input.from,
          periodTo: input.to,
          serviceDate: input.to,
          settlement,
          lines: [{ description: `Vermittlungsprovision ${(rateBp / 100).toLocaleString('de-DE')} % auf Ticketumsatz ${input.from} bis ${input.to}`, quantity: 1, unit_gross_cents: commissionGross, line_gross_cents: commissionGross, vat_rate_bp: 1900 }],
        });
        await draftAudit(trx, actor, now, id, { kind: 'outlet_settlement', from: input.from, to: input.to, netSalesCents: netSales, commissionGrossCents: commissionGross });
        return loadView(trx, id);
      });
    },

    /**
     * The operator's settlement with a promoter after an event: ticket revenue across all outlets (valid
     * tickets of paid orders), the platform fee (the promoter's rate plus 19 % VAT) as the taxable line,
     * and the payout.
     */
    async draftPromoterSettlement(actor: InvoicingActor, input: { eventId: string }): Promise<InvoiceView> {
      const now = deps.clock.now();
      if (actor.tenantKind !== 'operator') throw new AppError(403, InvoicingErrorCode.wrongTenantKind, 'Promoter settlements are issued by the operator.');
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const event = await trx('events').where({ id: input.eventId }).first<{ id: string; tenant_id: string; name: string; starts_at: Date } | undefined>('id', 'tenant_id', 'name', 'starts_at');
        if (event === undefined) throw notFound('Event');
        if (event.starts_at > now) throw conflict(InvoicingErrorCode.eventNotOver, 'The event has not taken place yet.');
        await refuseSettled(trx, actor, { kind: 'promoter_settlement', eventId: event.id });
        const promoter = await repo.profile(trx, event.tenant_id);
        if (promoter === undefined) throw unprocessable(InvoicingErrorCode.billingProfileIncomplete, 'The promoter has no billing profile yet.');
        const perOutlet = await trx('tickets as t')
          .join('orders as o', 'o.id', 't.order_id')
          .join('tenants as s', 's.id', 'o.tenant_id')
          .where({ 't.event_id': event.id, 't.status': 'valid', 'o.status': 'paid' })
          .groupBy('o.tenant_id', 's.name')
          .orderBy('s.name')
          .select<Array<{ outlet_id: string; outlet_name: string; sales: number; n: number }>>('o.tenant_id as outlet_id', 's.name as outlet_name', trx.raw('SUM(t.price_cents)::bigint AS sales'), trx.raw('count(*)::int AS n'));
        const revenue = perOutlet.reduce((s, o) => s + o.sales, 0);
        const rateBp = promoter.platform_fee_bp;
        const feeNet = Math.round((revenue * rateBp) / 10_000);
        const feeGross = feeNet + Math.round((feeNet * 19) / 100);
        const settlement: Settlement = {
          kind: 'promoter',
          periodFrom: null,
          periodTo: null,
          eventId: event.id,
          eventName: event.name,
          salesCents: revenue,
          refundsCents: 0,
          netSalesCents: revenue,
          ticketCount: perOutlet.reduce((s, o) => s + o.n, 0),
          rateBp,
          feeGrossCents: feeGross,
          balanceCents: revenue - feeGross,
          perOutlet: perOutlet.map((o) => ({ outletId: o.outlet_id, outletName: o.outlet_name, salesCents: o.sales, ticketCount: o.n })),
        };
        const id = await insertDraft(trx, actor, now, {
          kind: 'promoter_settlement',
          recipient: partyOfProfile(promoter),
          recipientTenantId: event.tenant_id,
          eventId: event.id,
          serviceDate: localDay(event.starts_at),
          settlement,
          lines: [{ description: `Plattformgebühr ${(rateBp / 100).toLocaleString('de-DE')} % – ${event.name}`, quantity: 1, unit_gross_cents: feeGross, line_gross_cents: feeGross, vat_rate_bp: 1900 }],
        });
        await draftAudit(trx, actor, now, id, { kind: 'promoter_settlement', eventId: event.id, revenueCents: revenue, feeGrossCents: feeGross });
        return loadView(trx, id);
      });
    },

    async updateDraft(actor: InvoicingActor, id: string, patch: UpdateDraftRequest): Promise<InvoiceView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const row = await ownDraft(trx, actor, id);
        if (patch.lines !== undefined && row.kind !== 'business_order') {
          throw unprocessable(InvoicingErrorCode.linesNotEditable, 'The lines of a settlement follow from its figures; create a new settlement instead.');
        }
        const update: Record<string, unknown> = {};
        if (patch.recipient !== undefined) update['recipient'] = patch.recipient === null ? null : JSON.stringify(patch.recipient);
        if (patch.note !== undefined) update['note'] = patch.note;
        if (patch.serviceDate !== undefined) update['service_date'] = patch.serviceDate;
        if (Object.keys(update).length > 0) await trx('invoices').where({ id }).update(update);
        if (patch.lines !== undefined) {
          await repo.replaceLines(trx, actor.tenantId, id, patch.lines.map((l) => ({ description: l.description.trim(), quantity: l.quantity, unit_gross_cents: l.unitGrossCents, line_gross_cents: l.quantity * l.unitGrossCents, vat_rate_bp: l.vatRateBp })));
          await refreshTotals(trx, id);
        }
        await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'invoice.update_draft', entity: 'invoice', entityId: id, details: { fields: Object.keys(patch) } });
        return loadView(trx, id);
      });
    },

    /** Throws a draft away (issued invoices are never deleted: the database refuses it). */
    async deleteDraft(actor: InvoicingActor, id: string): Promise<void> {
      const now = deps.clock.now();
      await inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const row = await ownDraft(trx, actor, id);
        await repo.replaceLines(trx, actor.tenantId, id, []);
        await trx('invoices').where({ id, status: 'draft' }).delete();
        await appendAudit(trx, { tenantId: actor.tenantId, at: now, ...who(actor), action: 'invoice.delete_draft', entity: 'invoice', entityId: id, details: { kind: row.kind, orderId: row.order_id } });
      });
    },

    /* ------------------------------------------------------------ issue, cancel */

    async issue(actor: InvoicingActor, id: string): Promise<InvoiceView> {
      return inTurn(actor.tenantId, () => service.issueNow(actor, id));
    },

    /** issue without the in-process queue (the row lock alone keeps numbers gapless). */
    async issueNow(actor: InvoicingActor, id: string): Promise<InvoiceView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${lockTimeoutMs}ms`]);
        const row = await ownDraft(trx, actor, id);
        const issued = await issueDraft(trx, actor, row, now);
        return viewOf(issued, await repo.lines(trx, id));
      });
    },

    /**
     * Cancels an issued invoice by a cancellation invoice of its own series: the same lines with negated
     * quantities, every amount negated, a reference to the original. The original is marked cancelled and
     * stays readable as issued.
     */
    async cancel(actor: InvoicingActor, id: string, reason: string): Promise<InvoiceView> {
      return inTurn(actor.tenantId, () => service.cancelNow(actor, id, reason));
    },

    async cancelNow(actor: InvoicingActor, id: string, reason: string): Promise<InvoiceView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${lockTimeoutMs}ms`]);
        const original = await repo.find(trx, id, 'update');
        if (original === undefined || original.tenant_id !== actor.tenantId) throw notFound('Invoice');
        if (original.kind === 'cancellation') throw conflict(InvoicingErrorCode.cancellationNotCancellable, 'A cancellation invoice cannot be cancelled; issue a new invoice instead.');
        if (original.status !== 'issued') throw conflict(InvoicingErrorCode.invoiceNotIssued, original.status === 'draft' ? 'A draft is not cancelled; change it instead.' : 'The invoice is already cancelled.');
        const lines = await repo.lines(trx, id);
        const cancellationId = await insertDraft(trx, actor, now, {
          kind: 'cancellation',
          recipient: original.recipient,
          recipientTenantId: original.recipient_tenant_id,
          orderTenantId: original.order_tenant_id,
          orderId: original.order_id,
          eventId: original.event_id,
          periodFrom: original.period_from,
          periodTo: original.period_to,
          serviceDate: original.service_date,
          settlement: null,
          cancelsInvoiceId: original.id,
          lines: lines.map((l) => ({ description: l.description, quantity: -l.quantity, unit_gross_cents: l.unit_gross_cents, line_gross_cents: -l.line_gross_cents, vat_rate_bp: l.vat_rate_bp })),
          totals: {
            rates: original.rates.map((r) => ({ vatRateBp: r.vatRateBp, netCents: -r.netCents, taxCents: -r.taxCents, grossCents: -r.grossCents })),
            net_cents: -original.net_cents,
            tax_cents: -original.tax_cents,
            gross_cents: -original.gross_cents,
            small_amount: original.small_amount,
          },
        });
        await trx('invoices').where({ id: cancellationId }).update({ note: reason });
        const draft = await repo.find(trx, cancellationId);
        if (draft === undefined) throw new Error('cancellation draft vanished');
        const cancellation = await issueDraft(trx, actor, draft, now);
        await trx('invoices').where({ id }).update({ status: 'cancelled', cancelled_by_invoice_id: cancellationId, cancel_reason: reason, cancelled_at: now });
        await appendAudit(trx, {
          tenantId: actor.tenantId,
          at: now,
          ...who(actor),
          action: 'invoice.cancel',
          entity: 'invoice',
          entityId: id,
          details: { numberLabel: original.number_label, cancellationId, cancellationNumber: cancellation.number_label, reason },
        });
        return viewOf(cancellation, await repo.lines(trx, cancellationId));
      });
    },

    /* ------------------------------------------------------------ reading */

    async get(actor: InvoicingActor, id: string): Promise<InvoiceView> {
      return inTenant(deps.knex, scopeOf(actor), (trx) => loadView(trx, id));
    },

    async list(actor: InvoicingActor, query: InvoiceListQuery & { openOnly?: boolean }): Promise<InvoiceSummary[]> {
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const q = trx('invoices').orderBy([{ column: 'issue_date', order: 'desc', nulls: 'first' }, { column: 'created_at', order: 'desc' }]).limit(query.limit ?? 200);
        if (query.status !== undefined) void q.where({ status: query.status });
        if (query.kind !== undefined) void q.where({ kind: query.kind });
        if (query.from !== undefined) void q.where('issue_date', '>=', query.from);
        if (query.to !== undefined) void q.where('issue_date', '<=', query.to);
        if (query.recipient !== undefined) void q.whereRaw(`lower(recipient->>'name') LIKE ?`, [`%${query.recipient.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
        if (query.openOnly === true) void q.where({ status: 'issued' }).whereRaw(`paid_cents < ${DUE_SQL}`);
        const rows = await q.select<InvoiceRow[]>(...INVOICE_COLUMNS);
        return rows.map(summaryOf);
      });
    },

    /** The stored PDF, byte for byte, after checking it against its stored SHA-256. */
    async pdf(actor: InvoicingActor, id: string): Promise<{ pdf: Buffer; sha256: string; label: string }> {
      const row = await inTenant(deps.knex, scopeOf(actor), (trx) => repo.pdf(trx, id));
      if (row === undefined) throw notFound('Invoice');
      if (row.status === 'draft' || row.pdf_sha256 === null || row.number_label === null) throw conflict(InvoicingErrorCode.invoiceNotIssued, 'A draft has no PDF; issue it first.');
      const pdf = row.pdf === null ? Buffer.alloc(0) : Buffer.from(row.pdf.buffer, row.pdf.byteOffset, row.pdf.byteLength);
      if (pdf.length === 0 || sha256Hex(pdf) !== row.pdf_sha256) {
        throw new AppError(500, InvoicingErrorCode.pdfIntegrityFailed, 'The stored invoice PDF failed its integrity check and is not served. Quote the request id when reporting it.');
      }
      return { pdf, sha256: row.pdf_sha256, label: row.number_label };
    },

    /** EN 16931 (XRechnung, UBL syntax) of an issued invoice. */
    async xml(actor: InvoicingActor, id: string): Promise<{ xml: string; label: string }> {
      return inTenant(deps.knex, scopeOf(actor), async (trx) => {
        const view = await loadView(trx, id);
        if (view.status === 'draft' || view.numberLabel === null) throw conflict(InvoicingErrorCode.invoiceNotIssued, 'A draft has no e-invoice; issue it first.');
        const original = view.cancelsInvoiceId === null ? null : await repo.find(trx, view.cancelsInvoiceId);
        const orderNumber = view.orderId === null ? null : ((await trx('orders').where({ id: view.orderId }).first<{ order_number: number } | undefined>('order_number'))?.order_number ?? null);
        const xml = toUbl(view, { original: original === undefined || original === null ? null : { numberLabel: original.number_label ?? '', issueDate: original.issue_date ?? '' }, orderNumber });
        // The export checks itself: an e-invoice that breaks a rule we check is never handed out.
        const violations = checkEn16931(xml);
        if (violations.length > 0) throw new Error(`e-invoice ${view.numberLabel} breaks EN 16931 rules: ${violations.map((v) => `${v.rule} ${v.message}`).join('; ')}`);
        return { xml, label: view.numberLabel };
      });
    },

    /** DATEV-style booking lines of issued invoices and cancellations in a period (see README). */
    async datev(actor: InvoicingActor, query: { from?: string; to?: string }): Promise<string> {
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const q = trx('invoices').where({ tenant_id: actor.tenantId }).whereNot({ status: 'draft' }).orderBy([{ column: 'issue_date' }, { column: 'series' }, { column: 'number' }]);
        if (query.from !== undefined) void q.where('issue_date', '>=', query.from);
        if (query.to !== undefined) void q.where('issue_date', '<=', query.to);
        const rows = await q.select<InvoiceRow[]>('number_label', 'issue_date', 'recipient', 'rates', 'kind');
        return datevCsv(rows.map((r) => ({ numberLabel: r.number_label ?? '', issueDate: r.issue_date ?? '', recipientName: r.recipient?.name ?? 'Barverkauf', rates: r.rates, kind: r.kind })));
      });
    },
  };
  return service;
}

export type InvoicingService = ReturnType<typeof createInvoicingService>;
