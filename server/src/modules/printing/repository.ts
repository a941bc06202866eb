import type { Knex } from 'knex';
import { BLANKS_PER_SHEET, sheetOf, type BlankCounts } from '../../../../src/shared/api/printing.js';

export interface TrayRow {
  workstation_id: string;
  tenant_id: string;
  next_blank: number | null;
  reuse_partial_sheets: boolean;
}

export interface BlankRow {
  number: number;
  state: 'in_stock' | 'issued' | 'printed' | 'spoiled' | 'voided';
}

export interface PrintRow {
  id: string;
  ticket_id: string;
  print_job_id: string;
  blank_number: number;
  barcode: string;
  status: 'pending' | 'active' | 'void';
  void_reason: 'spoiled' | 'reprinted' | 'cancelled' | null;
  confirmed_at: Date | null;
}

export interface PrintJobRow {
  id: string;
  tenant_id: string;
  order_id: string;
  kind: 'print' | 'reprint';
  workstation_id: string;
  created_by: string;
  created_at: Date;
  first_blank: number;
  last_blank: number;
  voided_first: number | null;
  voided_last: number | null;
}

export interface Who {
  tenantId: string;
  userId: string;
  workstationId: string;
  now: Date;
}

const PRINT_COLUMNS = ['id', 'ticket_id', 'print_job_id', 'blank_number', 'barcode', 'status', 'void_reason', 'confirmed_at'] as const;

export const lastOfSheet = (blank: number): number => sheetOf(blank).sheet * BLANKS_PER_SHEET;

/** Where the next job starts: a partly used sheet is given up (its rest voided) unless the station may feed it again. */
export function effectiveStart(tray: Pick<TrayRow, 'next_blank' | 'reuse_partial_sheets'>): { start: number; leftover: [number, number] | null } | undefined {
  if (tray.next_blank === null) return undefined;
  if (tray.reuse_partial_sheets || sheetOf(tray.next_blank).position === 1) return { start: tray.next_blank, leftover: null };
  return { start: lastOfSheet(tray.next_blank) + 1, leftover: [tray.next_blank, lastOfSheet(tray.next_blank)] };
}

/** knex only; every function runs on the tenant-scoped transaction it is given. */
export const printingRepository = {
  async findTray(trx: Knex.Transaction, tenantId: string, workstationId: string): Promise<TrayRow | undefined> {
    return trx('print_trays').where({ tenant_id: tenantId, workstation_id: workstationId }).first<TrayRow | undefined>('workstation_id', 'tenant_id', 'next_blank', 'reuse_partial_sheets');
  },

  /** The workstation's tray row, created empty when missing, locked until the transaction ends. */
  async lockTray(trx: Knex.Transaction, who: Who): Promise<TrayRow> {
    await trx('print_trays')
      .insert({ workstation_id: who.workstationId, tenant_id: who.tenantId, next_blank: null, updated_at: who.now, updated_by: who.userId })
      .onConflict('workstation_id')
      .ignore();
    const tray = await trx('print_trays')
      .where({ tenant_id: who.tenantId, workstation_id: who.workstationId })
      .forUpdate()
      .first<TrayRow | undefined>('workstation_id', 'tenant_id', 'next_blank', 'reuse_partial_sheets');
    if (tray === undefined) throw new Error('tray row of the workstation is not visible');
    return tray;
  },

  async updateTray(trx: Knex.Transaction, who: Who, changes: { next_blank?: number | null; reuse_partial_sheets?: boolean }): Promise<void> {
    await trx('print_trays')
      .where({ tenant_id: who.tenantId, workstation_id: who.workstationId })
      .update({ ...changes, updated_at: who.now, updated_by: who.userId });
  },

  async findBlank(trx: Knex.Transaction, tenantId: string, number: number): Promise<BlankRow | undefined> {
    return trx('blanks').where({ tenant_id: tenantId, number }).first<BlankRow | undefined>('number', 'state');
  },

  /** The outlet's blanks in [from, to], in number order, locked when asked. */
  async blanksBetween(trx: Knex.Transaction, tenantId: string, from: number, to: number, lock = false): Promise<BlankRow[]> {
    const query = trx('blanks').where({ tenant_id: tenantId }).whereBetween('number', [from, to]).orderBy('number');
    if (lock) void query.forUpdate();
    return query.select<BlankRow[]>('number', 'state');
  },

  /** How many consecutive blanks from `start` on are in stock (looking at most `limit` ahead). */
  async consecutiveInStock(trx: Knex.Transaction, tenantId: string, start: number, limit: number): Promise<number> {
    const rows = await printingRepository.blanksBetween(trx, tenantId, start, start + limit - 1);
    let n = 0;
    for (const row of rows) {
      if (row.number !== start + n || row.state !== 'in_stock') break;
      n += 1;
    }
    return n;
  },

  /** Voids the blanks of [from, to] that are still in stock (leftovers of a given-up sheet); returns their numbers. */
  async voidLeftovers(trx: Knex.Transaction, who: Who, from: number, to: number): Promise<number[]> {
    const rows = await trx('blanks')
      .where({ tenant_id: who.tenantId, state: 'in_stock' })
      .whereBetween('number', [from, to])
      .update({ state: 'voided', reason: 'leftover of a partly used sheet', changed_at: who.now, changed_by: who.userId, workstation_id: who.workstationId })
      .returning<Array<{ number: number }>>('number');
    return rows.map((r) => r.number).sort((a, b) => a - b);
  },

  /** Moves the given blanks from one state to another; returns how many moved. */
  async moveBlanks(trx: Knex.Transaction, who: Who, numbers: number[], from: BlankRow['state'], to: BlankRow['state'], reason: string | null = null): Promise<number> {
    if (numbers.length === 0) return 0;
    return trx('blanks')
      .where({ tenant_id: who.tenantId, state: from })
      .whereIn('number', numbers)
      .update({ state: to, reason, changed_at: who.now, changed_by: who.userId, workstation_id: who.workstationId });
  },

  async insertJob(trx: Knex.Transaction, row: Omit<PrintJobRow, 'id'>): Promise<PrintJobRow> {
    const [job] = await trx('print_jobs').insert(row).returning<PrintJobRow[]>('*');
    if (job === undefined) throw new Error('print job insert returned no row');
    return job;
  },

  async findJob(trx: Knex.Transaction, tenantId: string, jobId: string): Promise<PrintJobRow | undefined> {
    return trx('print_jobs').where({ tenant_id: tenantId, id: jobId }).first<PrintJobRow | undefined>('*');
  },

  async printsOfJob(trx: Knex.Transaction, jobId: string, lock = false): Promise<PrintRow[]> {
    const query = trx('ticket_prints').where({ print_job_id: jobId }).orderBy('blank_number');
    if (lock) void query.forUpdate();
    return query.select<PrintRow[]>(...PRINT_COLUMNS);
  },

  /** The ticket's pending or active print (at most one, by a unique index). */
  async livePrints(trx: Knex.Transaction, ticketIds: string[]): Promise<PrintRow[]> {
    if (ticketIds.length === 0) return [];
    return trx('ticket_prints').whereIn('ticket_id', ticketIds).whereIn('status', ['pending', 'active']).select<PrintRow[]>(...PRINT_COLUMNS);
  },

  /** Prints of the ticket that were handed out (confirmed) so far. */
  async handedOutCount(trx: Knex.Transaction, ticketId: string): Promise<number> {
    const row = await trx('ticket_prints').where({ ticket_id: ticketId }).whereNotNull('confirmed_at').first<{ n: number }>(trx.raw('count(*)::int AS n'));
    return row.n;
  },

  /** Voids live prints; returns what was voided. */
  async voidPrints(trx: Knex.Transaction, who: Who, where: { ids?: string[]; ticketIds?: string[] }, reason: 'spoiled' | 'reprinted' | 'cancelled'): Promise<PrintRow[]> {
    const query = trx('ticket_prints').where({ tenant_id: who.tenantId }).whereIn('status', ['pending', 'active']);
    if (where.ids !== undefined) void query.whereIn('id', where.ids);
    if (where.ticketIds !== undefined) void query.whereIn('ticket_id', where.ticketIds);
    return query.update({ status: 'void', voided_at: who.now, void_reason: reason, voided_by: who.userId }).returning<PrintRow[]>([...PRINT_COLUMNS]);
  },

  /** Per-batch counts of the outlet's blanks; `cutoff` separates unresolved from recent pending blanks. */
  async countsPerBatch(trx: Knex.Transaction, tenantId: string, cutoff: Date): Promise<Map<string, BlankCounts & { rows: number }>> {
    const rows = await trx('blanks')
      .where({ tenant_id: tenantId })
      .groupBy('batch_id')
      .select<Array<{ batch_id: string; rows: number; in_stock: number; pending: number; unresolved: number; printed: number; spoiled: number; voided: number }>>(
        'batch_id',
        trx.raw('count(*)::int AS rows'),
        trx.raw(`count(*) FILTER (WHERE state = 'in_stock')::int AS in_stock`),
        trx.raw(`count(*) FILTER (WHERE state = 'issued')::int AS pending`),
        trx.raw(`count(*) FILTER (WHERE state = 'issued' AND changed_at < ?)::int AS unresolved`, [cutoff]),
        trx.raw(`count(*) FILTER (WHERE state = 'printed')::int AS printed`),
        trx.raw(`count(*) FILTER (WHERE state = 'spoiled')::int AS spoiled`),
        trx.raw(`count(*) FILTER (WHERE state = 'voided')::int AS voided`),
      );
    return new Map(
      rows.map((r) => [
        r.batch_id,
        { rows: r.rows, registered: 0, inStock: r.in_stock, pending: r.pending, unresolved: r.unresolved, printed: r.printed, spoiled: r.spoiled, voided: r.voided },
      ]),
    );
  },
};
