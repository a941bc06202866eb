import type { Knex } from 'knex';
import type { StoredTillReport } from '../../../../src/shared/api/till.js';

export interface TillSessionRow {
  id: string;
  tenant_id: string;
  workstation_id: string;
  user_id: string;
  opened_at: Date;
  opening_float_cents: number;
  closed_at: Date | null;
  closing_number: number | null;
  counted_cash_cents: number | null;
  expected_cash_cents: number | null;
  difference_cents: number | null;
  difference_reason: string | null;
  report: StoredTillReport | null;
  report_sha256: string | null;
}

/** A closed session: the columns a closing always has (the table's CHECK constraints guarantee them). */
export interface ClosingRow extends TillSessionRow {
  closed_at: Date;
  closing_number: number;
  counted_cash_cents: number;
  expected_cash_cents: number;
  difference_cents: number;
  report: StoredTillReport;
  report_sha256: string;
}

export interface PaymentSums {
  cashSalesCents: number;
  cashRefundsCents: number;
  cardSalesCents: number;
  cardRefundsCents: number;
  orderCount: number;
  ticketCount: number;
  refundCount: number;
}

export interface ClosingUpdate {
  closedAt: Date;
  closingNumber: number;
  countedCashCents: number;
  expectedCashCents: number;
  differenceCents: number;
  differenceReason: string | null;
  report: StoredTillReport;
  pdf: Buffer;
  pdfSha256: string;
}

/** Everything but the PDF bytes, which only the PDF route reads. */
const SESSION_COLUMNS = [
  'id',
  'tenant_id',
  'workstation_id',
  'user_id',
  'opened_at',
  'opening_float_cents',
  'closed_at',
  'closing_number',
  'counted_cash_cents',
  'expected_cash_cents',
  'difference_cents',
  'difference_reason',
  'report',
  'report_sha256',
] as const;

const UNIQUE_VIOLATION = '23505';

export const isOpenTillConflict = (error: unknown): boolean =>
  (error as { code?: unknown }).code === UNIQUE_VIOLATION && (error as { constraint?: unknown }).constraint === 'till_sessions_one_open';

/** knex only; every method runs on the tenant-scoped transaction it is given. */
export function createTillRepository() {
  return {
    async findOpen(trx: Knex.Transaction, tenantId: string, who: { workstationId: string; userId: string }, lock: 'none' | 'update' = 'none'): Promise<TillSessionRow | undefined> {
      const query = trx('till_sessions').where({ tenant_id: tenantId, workstation_id: who.workstationId, user_id: who.userId }).whereNull('closed_at');
      if (lock === 'update') void query.forUpdate();
      return query.first<TillSessionRow | undefined>(...SESSION_COLUMNS);
    },

    /** Counted cash of the workstation's most recent closing (whoever closed it). */
    async lastCountedCash(trx: Knex.Transaction, tenantId: string, workstationId: string): Promise<number | undefined> {
      const row = await trx('till_sessions')
        .where({ tenant_id: tenantId, workstation_id: workstationId })
        .whereNotNull('closed_at')
        .orderBy([{ column: 'closed_at', order: 'desc' }, { column: 'closing_number', order: 'desc' }])
        .first<{ counted_cash_cents: number } | undefined>('counted_cash_cents');
      return row?.counted_cash_cents;
    },

    async insertOpen(trx: Knex.Transaction, input: { tenantId: string; workstationId: string; userId: string; openedAt: Date; openingFloatCents: number }): Promise<TillSessionRow> {
      const [row] = await trx('till_sessions')
        .insert({
          tenant_id: input.tenantId,
          workstation_id: input.workstationId,
          user_id: input.userId,
          opened_at: input.openedAt,
          opening_float_cents: input.openingFloatCents,
        })
        .returning<TillSessionRow[]>([...SESSION_COLUMNS]);
      if (row === undefined) throw new Error('till session insert returned no row');
      return row;
    },

    /** Sums of the session's payments; refunds are negative amounts. Escrow transfers are not till money. */
    async paymentSums(trx: Knex.Transaction, tillSessionId: string): Promise<PaymentSums> {
      const sums = await trx('payments')
        .where({ till_session_id: tillSessionId })
        .first<{ cash_sales: number; cash_refunds: number; card_sales: number; card_refunds: number; order_count: number; refund_count: number }>(
          trx.raw(`COALESCE(SUM(amount_cents) FILTER (WHERE method = 'cash' AND amount_cents > 0), 0)::bigint AS cash_sales`),
          trx.raw(`COALESCE(SUM(amount_cents) FILTER (WHERE method = 'cash' AND amount_cents < 0), 0)::bigint AS cash_refunds`),
          trx.raw(`COALESCE(SUM(amount_cents) FILTER (WHERE method = 'card' AND amount_cents > 0), 0)::bigint AS card_sales`),
          trx.raw(`COALESCE(SUM(amount_cents) FILTER (WHERE method = 'card' AND amount_cents < 0), 0)::bigint AS card_refunds`),
          trx.raw(`COUNT(DISTINCT order_id) FILTER (WHERE method IN ('cash', 'card') AND amount_cents > 0) AS order_count`),
          trx.raw(`COUNT(*) FILTER (WHERE method IN ('cash', 'card') AND amount_cents < 0) AS refund_count`),
        );
      const tickets = await trx('tickets')
        .whereIn('order_id', trx('payments').where({ till_session_id: tillSessionId }).whereIn('method', ['cash', 'card']).where('amount_cents', '>', 0).select('order_id'))
        .first<{ count: number }>(trx.raw('COUNT(*) AS count'));
      return {
        cashSalesCents: sums.cash_sales,
        cashRefundsCents: sums.cash_refunds,
        cardSalesCents: sums.card_sales,
        cardRefundsCents: sums.card_refunds,
        orderCount: sums.order_count,
        ticketCount: tickets.count,
        refundCount: sums.refund_count,
      };
    },

    /**
     * The outlet's next closing number. The upsert locks the counter row until the transaction ends, so
     * concurrent closings of one outlet take turns: numbers are unique, and a closing that rolls back
     * returns its number (no gaps).
     */
    async takeClosingNumber(trx: Knex.Transaction, tenantId: string): Promise<number> {
      const { rows } = await trx.raw<{ rows: Array<{ number: number }> }>(
        `INSERT INTO till_counters AS c (tenant_id, next_number) VALUES (?, 2)
           ON CONFLICT (tenant_id) DO UPDATE SET next_number = c.next_number + 1
         RETURNING c.next_number - 1 AS number`,
        [tenantId],
      );
      const number = rows[0]?.number;
      if (number === undefined) throw new Error('till counter upsert returned no row');
      return number;
    },

    async close(trx: Knex.Transaction, tillSessionId: string, update: ClosingUpdate): Promise<void> {
      const changed = await trx('till_sessions')
        .where({ id: tillSessionId })
        .whereNull('closed_at')
        .update({
          closed_at: update.closedAt,
          closing_number: update.closingNumber,
          counted_cash_cents: update.countedCashCents,
          expected_cash_cents: update.expectedCashCents,
          difference_cents: update.differenceCents,
          difference_reason: update.differenceReason,
          report: JSON.stringify(update.report),
          report_pdf: update.pdf,
          report_sha256: update.pdfSha256,
        });
      if (changed !== 1) throw new Error(`closing till session ${tillSessionId} changed ${changed} rows`);
    },

    async listClosings(trx: Knex.Transaction, tenantId: string, filter: { userId?: string; beforeNumber?: number; limit: number }): Promise<ClosingRow[]> {
      const query = trx('till_sessions').where({ tenant_id: tenantId }).whereNotNull('closed_at').orderBy('closing_number', 'desc').limit(filter.limit);
      if (filter.userId !== undefined) void query.where({ user_id: filter.userId });
      if (filter.beforeNumber !== undefined) void query.where('closing_number', '<', filter.beforeNumber);
      return query.select<ClosingRow[]>(...SESSION_COLUMNS);
    },

    async findClosing(trx: Knex.Transaction, tenantId: string, tillSessionId: string): Promise<ClosingRow | undefined> {
      return trx('till_sessions').where({ tenant_id: tenantId, id: tillSessionId }).whereNotNull('closed_at').first<ClosingRow | undefined>(...SESSION_COLUMNS);
    },

    async findClosingPdf(trx: Knex.Transaction, tenantId: string, tillSessionId: string): Promise<{ user_id: string; report: StoredTillReport; report_pdf: Uint8Array | null; report_sha256: string } | undefined> {
      return trx('till_sessions')
        .where({ tenant_id: tenantId, id: tillSessionId })
        .whereNotNull('closed_at')
        .first('user_id', 'report', 'report_pdf', 'report_sha256');
    },

    /** Names as they are now, frozen into the report when it is made. */
    async names(trx: Knex.Transaction, input: { tenantId: string; workstationId: string; userId: string }): Promise<{ outlet: string; workstation: string; login: string; displayName: string }> {
      const tenant = await trx('tenants').where({ id: input.tenantId }).first<{ name: string } | undefined>('name');
      const ws = await trx('workstations').where({ id: input.workstationId, tenant_id: input.tenantId }).first<{ name: string } | undefined>('name');
      const user = await trx('users').where({ id: input.userId, tenant_id: input.tenantId }).first<{ login: string; display_name: string } | undefined>('login', 'display_name');
      if (tenant === undefined || ws === undefined || user === undefined) throw new Error('till session refers to an invisible tenant, workstation or user');
      return { outlet: tenant.name, workstation: ws.name, login: user.login, displayName: user.display_name };
    },
  };
}

export type TillRepository = ReturnType<typeof createTillRepository>;
