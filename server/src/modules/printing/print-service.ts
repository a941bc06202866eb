import type { Knex } from 'knex';
import {
  PrintingErrorCode as Code,
  sheetOf,
  type ConfirmPrintJobRequest,
  type CreatePrintJobRequest,
  type PendingPrintJob,
  type PrintJobView,
  type PrintRecord,
  type ReprintRequest,
  type SpoilBlanksRequest,
} from '../../../../src/shared/api/printing.js';
import { generateBarcode } from '../../../../src/shared/barcode.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import type { Actor } from '../identity/users-service.js';
import { onceOnly, type StoredResponse } from '../idempotency/idempotency.js';
import { appendActorAudit } from '../audit/repository.js';
import { loadTicketFaces } from './faces.js';
import { effectiveStart, printingRepository as repo, type PrintJobRow, type PrintRow, type TrayRow, type Who } from './repository.js';
import { DEFAULT_PRINTING_SETTINGS, type PrintingSettings } from './settings.js';

const conflict = (code: string, message: string) => new AppError(409, code, message);
const MAX_BARCODE_ATTEMPTS = 5;
const UNIQUE_VIOLATION = '23505';

/** Another print somewhere on the platform already carries the barcode just drawn (about 1 in 10^20 per code). */
function isBarcodeCollision(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return e.code === UNIQUE_VIOLATION && (e.constraint === 'ticket_prints_barcode' || (typeof e.message === 'string' && e.message.includes('ticket_prints_barcode')));
}

interface NewPrint {
  ticketId: string;
  blankNumber: number;
  reprintOf?: { printId: string; reason: ReprintRequest['reason']; note: string | null };
}

interface OrderRow {
  id: string;
  order_number: number;
  status: 'paid' | 'unpaid' | 'cancelled';
  paid_at: Date | null;
  event_id: string;
  promoter_id: string;
}

interface TicketRow {
  id: string;
  order_id: string;
  status: 'valid' | 'cancelled';
  admitted_at: Date | null;
}

/**
 * Print jobs, confirmation, spoilage and reprints. Every write is one transaction in the outlet's scope
 * with its audit row. Locks are taken in one order everywhere — order, tickets, prints, tray, blanks — so
 * that concurrent jobs, reprints and cancellations wait for each other instead of deadlocking.
 */
export function createPrintService(deps: { knex: Knex; clock: Clock; settings?: Partial<PrintingSettings> }) {
  const settings: PrintingSettings = { ...DEFAULT_PRINTING_SETTINGS, ...deps.settings };
  const whoOf = (actor: Actor, now: Date): Who => ({ tenantId: actor.tenantId, userId: actor.userId, workstationId: actor.workstation.id, now });
  const audit = (trx: Knex.Transaction, actor: Actor, now: Date, action: string, entity: string, entityId: string, details: Record<string, unknown>) =>
    appendActorAudit(trx, actor, now, { action, entity, entityId, details });

  async function begin(trx: Knex.Transaction): Promise<void> {
    await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${settings.lockTimeoutMs}ms`]);
  }

  /** The outlet's paid order, share-locked so that its status cannot change while the job is issued. */
  async function lockPaidOrder(trx: Knex.Transaction, tenantId: string, orderId: string): Promise<OrderRow> {
    const order = await trx('orders')
      .where({ id: orderId, tenant_id: tenantId })
      .forShare()
      .first<OrderRow | undefined>('id', 'order_number', 'status', 'paid_at', 'event_id', 'promoter_id');
    if (order === undefined) throw notFound('Order');
    if (order.status === 'cancelled') throw conflict(Code.orderCancelled, 'The order is cancelled; its tickets cannot be printed.');
    // Payment before delivery: business orders stay unpaid until the invoice is paid.
    if (order.status !== 'paid' || order.paid_at === null) throw conflict(Code.orderNotPaid, 'The order is not paid yet; tickets are handed out only after payment.');
    const event = await trx('events').where({ id: order.event_id }).first<{ status: string } | undefined>('status');
    if (event?.status === 'cancelled') throw conflict(Code.eventCancelled, 'The event is cancelled; its tickets are no longer printed.');
    return order;
  }

  /**
   * Takes `count` consecutive blanks from the tray: gives up a partly used sheet first (voiding its rest)
   * unless the workstation feeds such sheets again. All of them must be in this outlet's stock.
   */
  async function takeBlanks(trx: Knex.Transaction, who: Who, tray: TrayRow, count: number): Promise<{ first: number; voided: number[] }> {
    const plan = effectiveStart(tray);
    if (plan === undefined) throw conflict(Code.trayNotLoaded, 'Load paper first: enter the number of the next blank in the tray.');
    const voided = plan.leftover === null ? [] : await repo.voidLeftovers(trx, who, plan.leftover[0], plan.leftover[1]);
    const blanks = await repo.blanksBetween(trx, who.tenantId, plan.start, plan.start + count - 1, true);
    let available = 0;
    for (const b of blanks) {
      if (b.number !== plan.start + available || b.state !== 'in_stock') break;
      available += 1;
    }
    if (available < count) {
      const blocking = blanks[available];
      if (blocking !== undefined && blocking.number === plan.start + available) {
        // In stock once, but used since (another station printed on it, or it was spoiled or voided).
        throw conflict(Code.blankAlreadyUsed, `Blank ${blocking.number} in the tray has been used already (${blocking.state}). Check the paper and load it again from the next unused blank.`);
      }
      throw conflict(
        Code.blanksExhausted,
        `The tray holds ${available} usable blank(s) from number ${plan.start} on, ${count} are needed. Load paper (or print fewer tickets) and try again.`,
      );
    }
    const moved = await repo.moveBlanks(trx, who, blanks.map((b) => b.number), 'in_stock', 'issued');
    if (moved !== count) throw new Error(`claimed ${moved} of ${count} locked blanks`);
    await repo.updateTray(trx, who, { next_blank: plan.start + count });
    return { first: plan.start, voided };
  }

  /** Inserts the prints with fresh barcodes; a barcode collision (another print has it) draws new ones. */
  async function insertPrints(trx: Knex.Transaction, who: Who, job: PrintJobRow, promoterId: string, prints: NewPrint[]): Promise<PrintRow[]> {
    const reprintCounts = new Map<string, number>();
    for (const p of prints) reprintCounts.set(p.ticketId, await repo.handedOutCount(trx, p.ticketId));
    for (let attempt = 1; ; attempt += 1) {
      const codes = prints.map(() => generateBarcode(settings.randomBytes));
      if (new Set(codes).size !== codes.length) {
        if (attempt < MAX_BARCODE_ATTEMPTS) continue;
        throw new Error('the random source keeps repeating barcodes');
      }
      const rows = prints.map((p, i) => ({
        tenant_id: who.tenantId,
        promoter_id: promoterId,
        ticket_id: p.ticketId,
        print_job_id: job.id,
        blank_number: p.blankNumber,
        barcode: codes[i],
        issued_at: who.now,
        reprint_of: p.reprintOf?.printId ?? null,
        reprint_reason: p.reprintOf?.reason ?? null,
        reprint_note: p.reprintOf?.note ?? null,
        reprint_count: reprintCounts.get(p.ticketId) ?? 0,
      }));
      try {
        // A savepoint, so that a collision leaves the transaction usable for the retry.
        return await trx.transaction((sp) => sp('ticket_prints').insert(rows).returning<PrintRow[]>(['id', 'ticket_id', 'print_job_id', 'blank_number', 'barcode', 'status', 'void_reason', 'confirmed_at']));
      } catch (error) {
        if (attempt < MAX_BARCODE_ATTEMPTS && isBarcodeCollision(error)) continue;
        throw error;
      }
    }
  }

  async function jobView(trx: Knex.Transaction, job: PrintJobRow): Promise<PrintJobView> {
    const prints = await repo.printsOfJob(trx, job.id);
    const order = await trx('orders').where({ id: job.order_id }).first<{ order_number: number }>('order_number');
    const voided =
      job.voided_first === null || job.voided_last === null
        ? []
        : (await repo.blanksBetween(trx, job.tenant_id, job.voided_first, job.voided_last)).filter((b) => b.state === 'voided').map((b) => b.number);
    return {
      id: job.id,
      kind: job.kind,
      orderId: job.order_id,
      orderNumber: order.order_number,
      workstationId: job.workstation_id,
      createdAt: job.created_at.toISOString(),
      firstBlank: job.first_blank,
      lastBlank: job.last_blank,
      startPosition: sheetOf(job.first_blank).position,
      voidedLeftovers: voided,
      prints: prints.map((p) => ({ printId: p.id, ticketId: p.ticket_id, blankNumber: p.blank_number, status: p.status, voidReason: p.void_reason })),
      tickets: await loadTicketFaces(trx, prints.map((p) => p.id), settings.timeZone),
    };
  }

  /** Creates the job row and its prints on blanks taken from the caller's tray. */
  async function issue(trx: Knex.Transaction, who: Who, order: OrderRow, kind: 'print' | 'reprint', items: Array<Omit<NewPrint, 'blankNumber'>>): Promise<PrintJobRow> {
    const tray = await repo.lockTray(trx, who);
    const { first, voided } = await takeBlanks(trx, who, tray, items.length);
    const job = await repo.insertJob(trx, {
      tenant_id: who.tenantId,
      order_id: order.id,
      kind,
      workstation_id: who.workstationId,
      created_by: who.userId,
      created_at: who.now,
      first_blank: first,
      last_blank: first + items.length - 1,
      voided_first: voided[0] ?? null,
      voided_last: voided[voided.length - 1] ?? null,
    });
    await insertPrints(trx, who, job, order.promoter_id, items.map((item, i) => ({ ...item, blankNumber: first + i })));
    return job;
  }

  async function lockedJob(trx: Knex.Transaction, tenantId: string, jobId: string): Promise<{ job: PrintJobRow; prints: PrintRow[]; blanks: Map<number, string> }> {
    const job = await repo.findJob(trx, tenantId, jobId);
    if (job === undefined) throw notFound('Print job');
    const prints = await repo.printsOfJob(trx, job.id, true);
    const blankRows = await repo.blanksBetween(trx, tenantId, job.first_blank, job.last_blank, true);
    return { job, prints, blanks: new Map(blankRows.map((b) => [b.number, b.state])) };
  }

  function requireNote(reason: string, note: string | undefined): string | null {
    const text = note?.trim() ?? '';
    if (reason === 'other' && text.length < 3) throw new AppError(400, Code.noteRequired, 'The reason "other" needs a short explanation (at least 3 characters).');
    return text === '' ? null : text;
  }

  return {
    settings,

    /**
     * Issues a print job for a paid order's tickets (all that have no print yet, or the chosen ones): in
     * one transaction the next blanks of the workstation's tray, a fresh barcode per ticket and pending
     * prints. At most once per idempotency key.
     */
    async createJob(actor: Actor, orderId: string, input: CreatePrintJobRequest, idem: { key: string; hash: string }): Promise<StoredResponse<PrintJobView>> {
      const now = deps.clock.now();
      const who = whoOf(actor, now);
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await begin(trx);
        return onceOnly(trx, { tenantId: actor.tenantId, scope: 'print_jobs.create', key: idem.key, requestHash: idem.hash, now }, async () => {
          const order = await lockPaidOrder(trx, actor.tenantId, orderId);
          const locked = await trx('tickets').where({ order_id: order.id, tenant_id: actor.tenantId }).orderBy('id').forUpdate().select<TicketRow[]>('id', 'order_id', 'status', 'admitted_at');
          const byId = new Map(locked.map((t) => [t.id, t]));
          const live = new Map((await repo.livePrints(trx, locked.map((t) => t.id))).map((p) => [p.ticket_id, p]));
          let chosen: string[];
          if (input.ticketIds !== undefined) {
            for (const id of input.ticketIds) {
              if (byId.get(id)?.status !== 'valid') throw conflict(Code.ticketNotPrintable, `Ticket ${id} does not belong to this order or is cancelled.`);
              const print = live.get(id);
              if (print?.status === 'active') throw conflict(Code.ticketAlreadyPrinted, `Ticket ${id} is printed already (blank ${print.blank_number}); use a reprint.`);
              if (print?.status === 'pending') throw conflict(Code.printPending, `Ticket ${id} is in a print job that is neither confirmed nor spoiled (blank ${print.blank_number}); resolve it first.`);
            }
            chosen = input.ticketIds;
          } else {
            chosen = locked.filter((t) => t.status === 'valid' && !live.has(t.id)).map((t) => t.id);
            if (chosen.length === 0) throw conflict(Code.nothingToPrint, 'Every valid ticket of this order is printed or in a print job already.');
          }
          // Blank order follows the order's seats (block, row, seat), as the order shows them.
          const ordered = await trx('tickets as t')
            .leftJoin('seats as s', 's.id', 't.seat_id')
            .whereIn('t.id', chosen)
            .orderBy([{ column: 's.block' }, { column: 's.row_index' }, { column: 's.seat_number' }, { column: 't.id' }])
            .pluck<string[]>('t.id');
          const job = await issue(trx, who, order, 'print', ordered.map((ticketId) => ({ ticketId })));
          const view = await jobView(trx, job);
          await audit(trx, actor, now, 'print_job.create', 'print_job', job.id, {
            orderId: order.id,
            orderNumber: order.order_number,
            ticketIds: ordered,
            blanks: [job.first_blank, job.last_blank],
            voidedLeftovers: view.voidedLeftovers,
          });
          return { status: 201, body: view };
        });
      });
    },

    async getJob(actor: Actor, jobId: string): Promise<PrintJobView> {
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const job = await repo.findJob(trx, actor.tenantId, jobId);
        if (job === undefined) throw notFound('Print job');
        return jobView(trx, job);
      });
    },

    /**
     * The printer took the job: its pending prints become active and their blanks printed (or only the
     * named blanks). Repeating a confirmation changes nothing, so a station may retry it.
     */
    async confirm(actor: Actor, jobId: string, input: ConfirmPrintJobRequest): Promise<PrintJobView> {
      const now = deps.clock.now();
      const who = whoOf(actor, now);
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await begin(trx);
        const { job, prints, blanks } = await lockedJob(trx, actor.tenantId, jobId);
        const targets = input.blankNumbers ?? prints.filter((p) => blanks.get(p.blank_number) === 'issued').map((p) => p.blank_number);
        for (const n of targets) {
          if (!prints.some((p) => p.blank_number === n)) throw new AppError(422, Code.blankNotInJob, `Blank ${n} does not belong to this print job.`);
          if (blanks.get(n) === 'spoiled') throw conflict(Code.printAlreadySpoiled, `Blank ${n} was reported spoiled; print its ticket again.`);
        }
        const toPrint = targets.filter((n) => blanks.get(n) === 'issued');
        if (toPrint.length > 0) {
          await repo.moveBlanks(trx, who, toPrint, 'issued', 'printed');
          // A print voided meanwhile (its ticket was cancelled) stays void: only the paper is accounted for.
          const activated = await trx('ticket_prints')
            .where({ print_job_id: job.id, status: 'pending' })
            .whereIn('blank_number', toPrint)
            .update({ status: 'active', confirmed_at: now })
            .returning<Array<{ id: string }>>('id');
          await audit(trx, actor, now, 'print_job.confirm', 'print_job', job.id, { blanks: toPrint, activatedPrintIds: activated.map((p) => p.id).sort() });
        }
        return jobView(trx, job);
      });
    },

    /**
     * The printer failed on these blanks: their prints become void and the blanks spoiled (with the reason);
     * the tickets can then be printed again on new blanks. Repeating a report changes nothing.
     */
    async spoil(actor: Actor, jobId: string, input: SpoilBlanksRequest): Promise<PrintJobView> {
      const now = deps.clock.now();
      const who = whoOf(actor, now);
      const note = requireNote(input.reason, input.note);
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await begin(trx);
        const { job, prints, blanks } = await lockedJob(trx, actor.tenantId, jobId);
        for (const n of input.blankNumbers) {
          if (!prints.some((p) => p.blank_number === n)) throw new AppError(422, Code.blankNotInJob, `Blank ${n} does not belong to this print job.`);
          if (blanks.get(n) === 'printed') throw conflict(Code.printAlreadyConfirmed, `Blank ${n} was confirmed as printed; use a reprint (reason printer fault or damaged).`);
        }
        const toSpoil = input.blankNumbers.filter((n) => blanks.get(n) === 'issued');
        if (toSpoil.length > 0) {
          const reason = note === null ? input.reason : `${input.reason}: ${note}`;
          await repo.moveBlanks(trx, who, toSpoil, 'issued', 'spoiled', reason);
          const voided = await repo.voidPrints(trx, who, { ids: prints.filter((p) => toSpoil.includes(p.blank_number)).map((p) => p.id) }, 'spoiled');
          await audit(trx, actor, now, 'print_job.spoil', 'print_job', job.id, { blanks: toSpoil, reason: input.reason, note, voidedPrintIds: voided.map((p) => p.id).sort() });
        }
        return jobView(trx, job);
      });
    },

    /**
     * Reprints a printed ticket: in one transaction the active print is voided (its barcode stops admitting
     * at once) and a new print with a new barcode on a new blank is issued. The ticket row is locked, so of
     * concurrent reprints one wins and the others find its print pending.
     */
    async reprint(actor: Actor, ticketId: string, input: ReprintRequest, idem: { key: string; hash: string }): Promise<StoredResponse<PrintJobView>> {
      const now = deps.clock.now();
      const who = whoOf(actor, now);
      const note = requireNote(input.reason, input.note);
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await begin(trx);
        return onceOnly(trx, { tenantId: actor.tenantId, scope: 'tickets.reprint', key: idem.key, requestHash: idem.hash, now }, async () => {
          const found = await trx('tickets').where({ id: ticketId, tenant_id: actor.tenantId }).first<{ order_id: string } | undefined>('order_id');
          if (found === undefined) throw notFound('Ticket');
          const order = await lockPaidOrder(trx, actor.tenantId, found.order_id);
          const ticket = await trx('tickets').where({ id: ticketId }).forUpdate().first<TicketRow>('id', 'order_id', 'status', 'admitted_at');
          if (ticket.status !== 'valid') throw conflict(Code.ticketNotPrintable, 'The ticket is cancelled.');
          if (ticket.admitted_at !== null && !actor.permissions.has('tickets.reprint_admitted')) {
            throw new AppError(403, Code.ticketAlreadyUsed, 'The ticket has already been used for admission; reprinting it needs the right tickets.reprint_admitted.');
          }
          const [live] = await repo.livePrints(trx, [ticket.id]);
          if (live === undefined) throw conflict(Code.notPrinted, 'The ticket has no printed ticket to replace; print it with a print job.');
          if (live.status === 'pending') throw conflict(Code.printPending, `The ticket is in a print job that is neither confirmed nor spoiled (blank ${live.blank_number}); resolve it first.`);
          await repo.voidPrints(trx, who, { ids: [live.id] }, 'reprinted');
          const job = await issue(trx, who, order, 'reprint', [{ ticketId: ticket.id, reprintOf: { printId: live.id, reason: input.reason, note } }]);
          const view = await jobView(trx, job);
          await audit(trx, actor, now, 'ticket.reprint', 'ticket', ticket.id, {
            orderId: order.id,
            orderNumber: order.order_number,
            printJobId: job.id,
            voidedPrintId: live.id,
            voidedBlank: live.blank_number,
            printId: view.prints[0]?.printId,
            blank: job.first_blank,
            reason: input.reason,
            note,
            admitted: ticket.admitted_at !== null,
          });
          return { status: 201, body: view };
        });
      });
    },

    /** The outlet's print jobs with blanks neither confirmed nor spoiled, oldest first. */
    async pendingJobs(actor: Actor): Promise<PendingPrintJob[]> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) => pendingJobsOf(trx, actor.tenantId, now, settings.unresolvedAfterMinutes));
    },

    /** Every print of the order's tickets, with who issued it where, and why it was reprinted or voided. */
    async printsOfOrder(actor: Actor, orderId: string): Promise<PrintRecord[]> {
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const order = await trx('orders').where({ id: orderId, tenant_id: actor.tenantId }).first<{ id: string } | undefined>('id');
        if (order === undefined) throw notFound('Order');
        const rows = await trx('ticket_prints as p')
          .join('print_jobs as j', 'j.id', 'p.print_job_id')
          .join('users as u', 'u.id', 'j.created_by')
          .join('workstations as w', 'w.id', 'j.workstation_id')
          .leftJoin('ticket_prints as prev', 'prev.id', 'p.reprint_of')
          .where('j.order_id', order.id)
          .orderBy([{ column: 'p.issued_at' }, { column: 'p.blank_number' }])
          .select<
            Array<{
              id: string;
              ticket_id: string;
              print_job_id: string;
              blank_number: number;
              status: PrintRecord['status'];
              issued_at: Date;
              confirmed_at: Date | null;
              voided_at: Date | null;
              void_reason: PrintRecord['voidReason'];
              reprint_of: string | null;
              reprint_reason: ReprintRequest['reason'] | null;
              reprint_note: string | null;
              previous_blank: number | null;
              user_id: string;
              login: string;
              display_name: string;
              workstation_id: string;
              workstation_name: string;
            }>
          >(
            'p.id',
            'p.ticket_id',
            'p.print_job_id',
            'p.blank_number',
            'p.status',
            'p.issued_at',
            'p.confirmed_at',
            'p.voided_at',
            'p.void_reason',
            'p.reprint_of',
            'p.reprint_reason',
            'p.reprint_note',
            'prev.blank_number as previous_blank',
            'u.id as user_id',
            'u.login',
            'u.display_name',
            'w.id as workstation_id',
            'w.name as workstation_name',
          );
        return rows.map((r) => ({
          printId: r.id,
          ticketId: r.ticket_id,
          printJobId: r.print_job_id,
          blankNumber: r.blank_number,
          status: r.status,
          issuedAt: r.issued_at.toISOString(),
          issuedBy: { id: r.user_id, login: r.login, displayName: r.display_name },
          workstation: { id: r.workstation_id, name: r.workstation_name },
          confirmedAt: r.confirmed_at?.toISOString() ?? null,
          voidedAt: r.voided_at?.toISOString() ?? null,
          voidReason: r.void_reason,
          reprint:
            r.reprint_of === null || r.reprint_reason === null || r.previous_blank === null
              ? null
              : { previousPrintId: r.reprint_of, previousBlankNumber: r.previous_blank, reason: r.reprint_reason, note: r.reprint_note },
        }));
      });
    },
  };
}

/** Print jobs of the outlet with blanks still issued (neither confirmed nor spoiled), oldest first. */
export async function pendingJobsOf(trx: Knex.Transaction, tenantId: string, now: Date, unresolvedAfterMinutes: number): Promise<PendingPrintJob[]> {
  const cutoff = new Date(now.getTime() - unresolvedAfterMinutes * 60_000);
  const rows = await trx('ticket_prints as p')
    .join('blanks as b', 'b.number', 'p.blank_number')
    .join('print_jobs as j', 'j.id', 'p.print_job_id')
    .join('orders as o', 'o.id', 'j.order_id')
    .join('users as u', 'u.id', 'j.created_by')
    .join('workstations as w', 'w.id', 'j.workstation_id')
    .where({ 'p.tenant_id': tenantId, 'b.state': 'issued' })
    .orderBy([{ column: 'j.created_at' }, { column: 'j.id' }, { column: 'p.blank_number' }])
    .select<
      Array<{ job_id: string; order_id: string; order_number: number; created_at: Date; user_id: string; login: string; display_name: string; workstation_id: string; workstation_name: string; blank_number: number }>
    >('j.id as job_id', 'o.id as order_id', 'o.order_number', 'j.created_at', 'u.id as user_id', 'u.login', 'u.display_name', 'w.id as workstation_id', 'w.name as workstation_name', 'p.blank_number');
  const jobs = new Map<string, PendingPrintJob>();
  for (const r of rows) {
    let job = jobs.get(r.job_id);
    if (job === undefined) {
      job = {
        printJobId: r.job_id,
        orderId: r.order_id,
        orderNumber: r.order_number,
        workstation: { id: r.workstation_id, name: r.workstation_name },
        createdBy: { id: r.user_id, login: r.login, displayName: r.display_name },
        createdAt: r.created_at.toISOString(),
        unresolved: r.created_at < cutoff,
        pendingBlanks: [],
      };
      jobs.set(r.job_id, job);
    }
    job.pendingBlanks.push(r.blank_number);
  }
  return [...jobs.values()];
}

export type PrintService = ReturnType<typeof createPrintService>;
