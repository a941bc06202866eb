import type { Knex } from 'knex';
import {
  MAX_BATCH_BLANKS,
  MAX_TICKETS_PER_JOB,
  PrintingErrorCode as Code,
  sheetOf,
  type BlankBatchView,
  type BlankCounts,
  type RegisterBlankBatchRequest,
  type StockReport,
  type TrayView,
} from '../../../../src/shared/api/printing.js';
import type { Clock } from '../../clock.js';
import { inTenant, type TenantScope } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import type { PdfRenderer } from '../../pdf/renderer.js';
import { stockReportDocument } from '../../pdf/stock-report.js';
import type { Actor } from '../identity/users-service.js';
import { appendActorAudit } from '../audit/repository.js';
import { pendingJobsOf } from './print-service.js';
import { effectiveStart, lastOfSheet, printingRepository as repo, type TrayRow, type Who } from './repository.js';
import { DEFAULT_PRINTING_SETTINGS, type PrintingSettings } from './settings.js';

/** Who asks: the acting user and the kind of tenant its workstation belongs to. */
export interface StockCaller {
  actor: Actor;
  tenantKind: string;
}

interface BatchRow {
  id: string;
  tenant_id: string;
  first_number: number;
  last_number: number;
  note: string;
  registered_at: Date;
}

const UNIQUE_VIOLATION = '23505';
const ZERO: BlankCounts = { registered: 0, inStock: 0, pending: 0, unresolved: 0, printed: 0, spoiled: 0, voided: 0 };

/**
 * Blank stock and paper trays. The operator registers batches of blank numbers for its outlets (stock.manage
 * with the operator's scope over its sub-tenants); an outlet's staff see their own stock; a station loads
 * paper into its own tray (tickets.print); a manager decides per workstation whether partly used sheets are
 * fed again.
 */
export function createStockService(deps: { knex: Knex; clock: Clock; pdf: PdfRenderer; settings?: Partial<PrintingSettings> }) {
  const settings: PrintingSettings = { ...DEFAULT_PRINTING_SETTINGS, ...deps.settings };
  const whoOf = (actor: Actor, now: Date, workstationId = actor.workstation.id): Who => ({ tenantId: actor.tenantId, userId: actor.userId, workstationId, now });

  /** Operator staff act on their outlets (sub-tenants); everybody else on their own tenant. */
  const scopeOf = (caller: StockCaller): TenantScope => ({ tenantId: caller.actor.tenantId, includeChildren: caller.tenantKind === 'operator' });

  async function outletOf(trx: Knex.Transaction, caller: StockCaller, outletId: string | undefined): Promise<{ id: string; name: string }> {
    if (caller.tenantKind === 'operator') {
      if (outletId === undefined) throw new AppError(400, Code.outletRequired, 'Name the outlet (outletId).');
      const outlet = await trx('tenants').where({ id: outletId, kind: 'outlet', parent_id: caller.actor.tenantId }).first<{ id: string; name: string } | undefined>('id', 'name');
      if (outlet === undefined) throw notFound('Outlet');
      return outlet;
    }
    if (outletId !== undefined && outletId !== caller.actor.tenantId) throw notFound('Outlet');
    const own = await trx('tenants').where({ id: caller.actor.tenantId }).first<{ id: string; name: string } | undefined>('id', 'name');
    if (own === undefined) throw new Error('the caller cannot see its own tenant');
    return own;
  }

  /** The outlet's batches with their counts, and how many blank rows each batch really has (for the balance). */
  async function batchViews(trx: Knex.Transaction, outletId: string, now: Date): Promise<Array<{ view: BlankBatchView; rows: number }>> {
    const cutoff = new Date(now.getTime() - settings.unresolvedAfterMinutes * 60_000);
    const counts = await repo.countsPerBatch(trx, outletId, cutoff);
    const batches = await trx('blank_batches').where({ tenant_id: outletId }).orderBy('first_number').select<BatchRow[]>('id', 'tenant_id', 'first_number', 'last_number', 'note', 'registered_at');
    return batches.map((b) => {
      const registered = b.last_number - b.first_number + 1;
      const { rows = 0, ...c } = counts.get(b.id) ?? {};
      return {
        rows,
        view: {
          id: b.id,
          outletId: b.tenant_id,
          firstNumber: b.first_number,
          lastNumber: b.last_number,
          sheets: registered / 3,
          note: b.note,
          registeredAt: b.registered_at.toISOString(),
          counts: { ...ZERO, ...c, registered },
        },
      };
    });
  }

  async function trayView(trx: Knex.Transaction, tenantId: string, workstationId: string, tray: TrayRow | undefined, voided: number[] = []): Promise<TrayView> {
    const plan = tray === undefined ? undefined : effectiveStart(tray);
    const next = tray?.next_blank ?? null;
    return {
      workstationId,
      nextBlankNumber: next,
      sheet: next === null ? null : sheetOf(next).sheet,
      position: next === null ? null : sheetOf(next).position,
      reusePartialSheets: tray?.reuse_partial_sheets ?? false,
      available: plan === undefined ? 0 : await repo.consecutiveInStock(trx, tenantId, plan.start, MAX_TICKETS_PER_JOB),
      voidedLeftovers: voided,
    };
  }

  async function buildReport(caller: StockCaller, outletId: string | undefined): Promise<StockReport> {
    const now = deps.clock.now();
    return inTenant(deps.knex, scopeOf(caller), async (trx) => {
      const outlet = await outletOf(trx, caller, outletId);
      const batches = await batchViews(trx, outlet.id, now);
      const totals = { ...ZERO };
      let balanced = true;
      for (const { view, rows } of batches) {
        const c = view.counts;
        for (const key of Object.keys(totals) as Array<keyof BlankCounts>) totals[key] += c[key];
        if (rows !== c.registered || c.inStock + c.pending + c.printed + c.spoiled + c.voided !== c.registered) balanced = false;
      }
      const spoiled = await trx('blanks as b')
        .leftJoin('workstations as w', 'w.id', 'b.workstation_id')
        .where({ 'b.tenant_id': outlet.id, 'b.state': 'spoiled' })
        .orderBy('b.number')
        .select<Array<{ number: number; reason: string; changed_at: Date; workstation_id: string | null; workstation_name: string | null }>>('b.number', 'b.reason', 'b.changed_at', 'w.id as workstation_id', 'w.name as workstation_name');
      return {
        outlet,
        createdAt: now.toISOString(),
        timeZone: settings.timeZone,
        unresolvedAfterMinutes: settings.unresolvedAfterMinutes,
        batches: batches.map((b) => b.view),
        totals,
        balanced,
        pendingJobs: await pendingJobsOf(trx, outlet.id, now, settings.unresolvedAfterMinutes),
        spoiled: spoiled.map((s) => ({
          blankNumber: s.number,
          reason: s.reason,
          at: s.changed_at.toISOString(),
          workstation: s.workstation_id === null || s.workstation_name === null ? null : { id: s.workstation_id, name: s.workstation_name },
        })),
      };
    });
  }

  return {
    settings,

    /** Operator staff register a batch of whole sheets for one of their outlets. */
    async registerBatch(caller: StockCaller, input: RegisterBlankBatchRequest): Promise<BlankBatchView> {
      const { actor } = caller;
      if (caller.tenantKind !== 'operator') throw new AppError(403, Code.operatorOnly, 'Blank stock is handed out by the operator.');
      const count = input.lastNumber - input.firstNumber + 1;
      if (input.firstNumber % 3 !== 1 || input.lastNumber % 3 !== 0 || count < 3 || count > MAX_BATCH_BLANKS) {
        throw new AppError(
          400,
          Code.blankRangeInvalid,
          `A batch is whole sheets: it starts on a sheet's first blank (3n−2), ends on a sheet's last (3n) and holds at most ${MAX_BATCH_BLANKS} blanks.`,
        );
      }
      const now = deps.clock.now();
      return inTenant(deps.knex, scopeOf(caller), async (trx) => {
        const outlet = await outletOf(trx, caller, input.outletId);
        const taken = await trx('blanks').whereBetween('number', [input.firstNumber, input.lastNumber]).first<{ n: number | null }>(trx.raw('min(number) AS n'));
        const rangeTaken = () => new AppError(409, Code.blankRangeTaken, `Blank ${taken.n ?? input.firstNumber} is registered already; a blank number exists once.`);
        if (taken.n !== null) throw rangeTaken();
        const [batch] = await trx('blank_batches')
          .insert({ tenant_id: outlet.id, first_number: input.firstNumber, last_number: input.lastNumber, note: input.note?.trim() ?? '', registered_at: now, registered_by: actor.userId })
          .returning<Array<{ id: string }>>('id');
        if (batch === undefined) throw new Error('blank batch insert returned no row');
        try {
          await trx.raw('INSERT INTO blanks (number, tenant_id, batch_id) SELECT g, ?, ? FROM generate_series(?::bigint, ?::bigint) g', [outlet.id, batch.id, input.firstNumber, input.lastNumber]);
        } catch (error) {
          // A concurrent registration of an overlapping range won.
          if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw rangeTaken();
          throw error;
        }
        await appendActorAudit(trx, actor, now, { action: 'blank_batch.register', entity: 'blank_batch', entityId: batch.id, details: { firstNumber: input.firstNumber, lastNumber: input.lastNumber, blanks: count, note: input.note?.trim() ?? '' }, tenantId: outlet.id });
        const view = (await batchViews(trx, outlet.id, now)).find((b) => b.view.id === batch.id)?.view;
        if (view === undefined) throw new Error('registered batch is not visible');
        return view;
      });
    },

    async listBatches(caller: StockCaller, outletId: string | undefined): Promise<BlankBatchView[]> {
      return (await buildReport(caller, outletId)).batches;
    },

    report: buildReport,

    async reportPdf(caller: StockCaller, outletId: string | undefined): Promise<{ pdf: Buffer; report: StockReport }> {
      const report = await buildReport(caller, outletId);
      return { report, pdf: await deps.pdf.render(stockReportDocument(report)) };
    },

    /** The caller's tray. */
    async tray(actor: Actor): Promise<TrayView> {
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) =>
        trayView(trx, actor.tenantId, actor.workstation.id, await repo.findTray(trx, actor.tenantId, actor.workstation.id)),
      );
    },

    /**
     * The station loads paper: `n` is the next blank in its tray. It must be in the outlet's stock and
     * unused; a number in the middle of a sheet means a partly used sheet is fed again, which the
     * workstation must allow and which needs the sheet's earlier blanks used. Giving up a partly used
     * sheet (when such sheets are not fed again) voids its leftover blanks.
     */
    async loadTray(actor: Actor, n: number): Promise<TrayView> {
      const now = deps.clock.now();
      const who = whoOf(actor, now);
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${settings.lockTimeoutMs}ms`]);
        const tray = await repo.lockTray(trx, who);
        const blank = await repo.findBlank(trx, actor.tenantId, n);
        if (blank === undefined) throw new AppError(422, Code.blankNotInStock, `Blank ${n} is not in this outlet's stock.`);
        if (blank.state !== 'in_stock') throw new AppError(409, Code.blankAlreadyUsed, `Blank ${n} has been used already (${blank.state}).`);
        const { sheet, position } = sheetOf(n);
        if (position > 1) {
          const firstOfSheet = (sheet - 1) * 3 + 1;
          const unused = (await repo.blanksBetween(trx, actor.tenantId, firstOfSheet, n - 1)).find((b) => b.state === 'in_stock');
          if (unused !== undefined) throw new AppError(409, Code.sheetHasUnusedBlanks, `Blank ${unused.number} on this sheet is unused: load the sheet from blank ${unused.number}.`);
          if (!tray.reuse_partial_sheets) {
            throw new AppError(409, Code.partialSheetNotAllowed, 'This workstation does not feed partly used sheets again; load a new sheet (a number 3n−2).');
          }
        }
        let voided: number[] = [];
        const previous = tray.next_blank;
        if (previous !== null && !tray.reuse_partial_sheets && sheetOf(previous).position > 1 && sheetOf(previous).sheet !== sheet) {
          voided = await repo.voidLeftovers(trx, who, previous, lastOfSheet(previous));
        }
        await repo.updateTray(trx, who, { next_blank: n });
        await appendActorAudit(trx, actor, now, { action: 'printing.tray_load', entity: 'workstation', entityId: actor.workstation.id, details: { previousNextBlank: previous, nextBlank: n, voidedLeftovers: voided } });
        return trayView(trx, actor.tenantId, actor.workstation.id, { ...tray, next_blank: n }, voided);
      });
    },

    /** Whether a workstation feeds partly used sheets again (start position 2 or 3). */
    async setSettings(actor: Actor, workstationId: string, input: { reusePartialSheets: boolean }): Promise<TrayView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const ws = await trx('workstations').where({ id: workstationId, tenant_id: actor.tenantId }).whereNull('revoked_at').first<{ id: string } | undefined>('id');
        if (ws === undefined) throw notFound('Workstation');
        const who = whoOf(actor, now, ws.id);
        const tray = await repo.lockTray(trx, who);
        await repo.updateTray(trx, who, { reuse_partial_sheets: input.reusePartialSheets });
        await appendActorAudit(trx, actor, now, { action: 'printing.settings', entity: 'workstation', entityId: ws.id, details: { reusePartialSheets: input.reusePartialSheets, before: tray.reuse_partial_sheets } });
        return trayView(trx, actor.tenantId, ws.id, { ...tray, reuse_partial_sheets: input.reusePartialSheets });
      });
    },
  };
}

export type StockService = ReturnType<typeof createStockService>;
