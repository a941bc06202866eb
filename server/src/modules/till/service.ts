import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  TillErrorCode,
  type CloseTillRequest,
  type OpenTillRequest,
  type StoredTillReport,
  type TillClosingSummary,
  type TillClosingsQuery,
  type TillReport,
  type TillTotals,
} from '../../../../src/shared/api/till.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import type { PdfRenderer } from '../../pdf/renderer.js';
import { tillReportDocument } from '../../pdf/till-report.js';
import { yearIn } from '../../pdf/format.js';
import { appendActorAudit } from '../audit/repository.js';
import { AuthErrorCode } from '../identity/auth-service.js';
import type { Actor } from '../identity/users-service.js';
import { onceOnly, type StoredResponse } from '../idempotency/idempotency.js';
import { createTillRepository, isOpenTillConflict, type ClosingRow, type PaymentSums, type TillSessionRow } from './repository.js';

/** Outlets of this network are in Germany; report times and the year in "Z-<year>-<n>" use this zone. */
export const DEFAULT_TILL_TIME_ZONE = 'Europe/Berlin';

export interface TillServiceDeps {
  knex: Knex;
  clock: Clock;
  pdf: PdfRenderer;
  timeZone?: string;
  /** Longest wait for the till or counter row lock before a closing is refused as busy (retry). */
  lockTimeoutMs?: number;
}

const MIN_REASON_LENGTH = 3;

const tillNotOpen = () => new AppError(404, TillErrorCode.tillNotOpen, 'The till of this workstation is not open for you. Open it first.');

export const closingLabel = (closedAt: Date, number: number, timeZone: string): string => `Z-${yearIn(closedAt, timeZone)}-${number}`;

export function totalsOf(openingFloatCents: number, sums: PaymentSums): TillTotals {
  const netCashCents = sums.cashSalesCents + sums.cashRefundsCents;
  return {
    openingFloatCents,
    cashSalesCents: sums.cashSalesCents,
    cashRefundsCents: sums.cashRefundsCents,
    netCashCents,
    cardSalesCents: sums.cardSalesCents,
    cardRefundsCents: sums.cardRefundsCents,
    netCardCents: sums.cardSalesCents + sums.cardRefundsCents,
    orderCount: sums.orderCount,
    ticketCount: sums.ticketCount,
    refundCount: sums.refundCount,
    expectedCashCents: openingFloatCents + netCashCents,
  };
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Till sessions per (workstation, user): open with a float, interim report (X) at any time, blind-count
 * closing with a numbered, frozen report (Z) as JSON and PDF. Payments reach a session through
 * payments.till_session_id (the sales service books them via findOpenTillSession).
 */
export function createTillService(deps: TillServiceDeps) {
  const repo = createTillRepository();
  const timeZone = deps.timeZone ?? DEFAULT_TILL_TIME_ZONE;
  const lockTimeoutMs = deps.lockTimeoutMs ?? 15_000;
  const who = (actor: Actor) => ({ workstationId: actor.workstation.id, userId: actor.userId });

  async function interimReport(trx: Knex.Transaction, session: TillSessionRow, now: Date): Promise<TillReport> {
    const names = await repo.names(trx, { tenantId: session.tenant_id, workstationId: session.workstation_id, userId: session.user_id });
    const totals = totalsOf(session.opening_float_cents, await repo.paymentSums(trx, session.id));
    return {
      kind: 'X',
      tillSessionId: session.id,
      outlet: { id: session.tenant_id, name: names.outlet },
      workstation: { id: session.workstation_id, name: names.workstation },
      user: { id: session.user_id, login: names.login, displayName: names.displayName },
      openedAt: session.opened_at.toISOString(),
      createdAt: now.toISOString(),
      totals,
      closing: null,
      pdfSha256: null,
    };
  }

  /** A clerk (sales.sell) reads own closings; reports.view reads every closing of the outlet. */
  function readerFilter(actor: Actor): { userId?: string } {
    if (actor.permissions.has('reports.view')) return {};
    if (actor.permissions.has('sales.sell')) return { userId: actor.userId };
    throw new AppError(403, AuthErrorCode.forbidden, 'This needs the right reports.view (or sales.sell for your own closings).');
  }

  const readable = (row: { user_id: string } | undefined, filter: { userId?: string }) =>
    row !== undefined && (filter.userId === undefined || row.user_id === filter.userId);

  const view = (row: ClosingRow): TillReport => ({ ...row.report, pdfSha256: row.report_sha256 });

  return {
    timeZone,

    async open(actor: Actor, input: OpenTillRequest): Promise<TillReport> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        if ((await repo.findOpen(trx, actor.tenantId, who(actor))) !== undefined) {
          throw new AppError(409, TillErrorCode.tillAlreadyOpen, 'Your till on this workstation is already open.');
        }
        const last = input.openingFloatCents === undefined ? await repo.lastCountedCash(trx, actor.tenantId, actor.workstation.id) : undefined;
        const openingFloatCents = input.openingFloatCents ?? last ?? 0;
        const floatSource = input.openingFloatCents !== undefined ? 'entered' : last !== undefined ? 'last_closing' : 'none';
        let session: TillSessionRow;
        try {
          session = await repo.insertOpen(trx, { tenantId: actor.tenantId, ...who(actor), openedAt: now, openingFloatCents });
        } catch (error) {
          // A concurrent open of the same till won the race.
          if (isOpenTillConflict(error)) throw new AppError(409, TillErrorCode.tillAlreadyOpen, 'Your till on this workstation is already open.');
          throw error;
        }
        await appendActorAudit(trx, actor, now, {
                    action: 'till.open',
          entity: 'till_session',
          entityId: session.id,
          details: { openingFloatCents, floatSource },
        });
        return interimReport(trx, session, now);
      });
    },

    /** The interim report (X-Bon) of the caller's open till. */
    async current(actor: Actor): Promise<TillReport> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const session = await repo.findOpen(trx, actor.tenantId, who(actor));
        if (session === undefined) throw tillNotOpen();
        return interimReport(trx, session, now);
      });
    },

    /**
     * Closes the caller's till after a blind count. In one transaction: lock the session (new payments
     * wait, see findOpenTillSession), sum its payments, check the difference rule, take the outlet's next
     * closing number, render and store the report and its PDF, audit. Any failure leaves nothing behind,
     * not even a used number. With an idempotency key, a replay returns the first result.
     */
    async close(actor: Actor, input: CloseTillRequest, idem?: { key: string; hash: string }): Promise<StoredResponse<TillReport>> {
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${lockTimeoutMs}ms`]);
        const run = async (): Promise<{ status: number; body: TillReport }> => {
          const session = await repo.findOpen(trx, actor.tenantId, who(actor), 'update');
          if (session === undefined) throw tillNotOpen();
          const totals = totalsOf(session.opening_float_cents, await repo.paymentSums(trx, session.id));
          const differenceCents = input.countedCashCents - totals.expectedCashCents;
          const reason = input.differenceReason?.trim() ?? '';
          if (differenceCents !== 0 && reason.length < MIN_REASON_LENGTH) {
            // Says that there is a difference (the rule needs that) but not how much: the count stays blind.
            throw new AppError(422, TillErrorCode.differenceReasonRequired, 'The counted cash does not match the till. Count again, or give a reason for the difference (at least 3 characters).');
          }
          const names = await repo.names(trx, { tenantId: session.tenant_id, workstationId: session.workstation_id, userId: session.user_id });
          const number = await repo.takeClosingNumber(trx, actor.tenantId);
          const closing = {
            number,
            label: closingLabel(now, number, timeZone),
            closedAt: now.toISOString(),
            countedCashCents: input.countedCashCents,
            differenceCents,
            differenceReason: reason === '' ? null : reason,
          };
          const report: StoredTillReport & { closing: typeof closing } = {
            kind: 'Z',
            tillSessionId: session.id,
            outlet: { id: session.tenant_id, name: names.outlet },
            workstation: { id: session.workstation_id, name: names.workstation },
            user: { id: session.user_id, login: names.login, displayName: names.displayName },
            openedAt: session.opened_at.toISOString(),
            createdAt: closing.closedAt,
            totals,
            closing,
          };
          const pdf = await deps.pdf.render(tillReportDocument(report, { timeZone }));
          const pdfSha256 = sha256Hex(pdf);
          await repo.close(trx, session.id, {
            closedAt: now,
            closingNumber: number,
            countedCashCents: input.countedCashCents,
            expectedCashCents: totals.expectedCashCents,
            differenceCents,
            differenceReason: closing.differenceReason,
            report,
            pdf,
            pdfSha256,
          });
          await appendActorAudit(trx, actor, now, {
                        action: 'till.close',
            entity: 'till_session',
            entityId: session.id,
            details: {
              closingNumber: number,
              closingLabel: closing.label,
              countedCashCents: input.countedCashCents,
              expectedCashCents: totals.expectedCashCents,
              differenceCents,
              differenceReason: closing.differenceReason,
              pdfSha256,
            },
          });
          return { status: 200, body: { ...report, pdfSha256 } };
        };
        if (idem === undefined) return { ...(await run()), replayed: false };
        return onceOnly(trx, { tenantId: actor.tenantId, scope: 'till.close', key: idem.key, requestHash: idem.hash, now }, run);
      });
    },

    async listClosings(actor: Actor, query: TillClosingsQuery): Promise<TillClosingSummary[]> {
      const filter = readerFilter(actor);
      const rows = await inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) =>
        repo.listClosings(trx, actor.tenantId, { ...filter, limit: query.limit ?? 50, ...(query.beforeNumber === undefined ? {} : { beforeNumber: query.beforeNumber }) }),
      );
      return rows.map((row) => ({
        tillSessionId: row.id,
        closingNumber: row.closing_number,
        closingLabel: row.report.closing?.label ?? closingLabel(row.closed_at, row.closing_number, timeZone),
        openedAt: row.opened_at.toISOString(),
        closedAt: row.closed_at.toISOString(),
        workstation: row.report.workstation,
        user: row.report.user,
        openingFloatCents: row.opening_float_cents,
        expectedCashCents: row.expected_cash_cents,
        countedCashCents: row.counted_cash_cents,
        differenceCents: row.difference_cents,
        differenceReason: row.difference_reason,
        pdfSha256: row.report_sha256,
      }));
    },

    async getClosing(actor: Actor, tillSessionId: string): Promise<TillReport> {
      const filter = readerFilter(actor);
      const row = await inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) => repo.findClosing(trx, actor.tenantId, tillSessionId));
      if (row === undefined || !readable(row, filter)) throw notFound('Till closing');
      return view(row);
    },

    /**
     * The stored PDF, byte for byte, after checking it against the SHA-256 stored with it. A mismatch
     * means the stored report was altered outside the application; it is not served.
     */
    async closingPdf(actor: Actor, tillSessionId: string): Promise<{ pdf: Buffer; sha256: string; label: string }> {
      const filter = readerFilter(actor);
      const row = await inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) => repo.findClosingPdf(trx, actor.tenantId, tillSessionId));
      if (row === undefined || !readable(row, filter)) throw notFound('Till closing');
      const pdf = row.report_pdf === null ? Buffer.alloc(0) : Buffer.from(row.report_pdf.buffer, row.report_pdf.byteOffset, row.report_pdf.byteLength);
      if (pdf.length === 0 || sha256Hex(pdf) !== row.report_sha256) {
        throw new AppError(500, TillErrorCode.reportIntegrityFailed, 'The stored closing report failed its integrity check and is not served. Quote the request id when reporting it.');
      }
      return { pdf, sha256: row.report_sha256, label: row.report.closing?.label ?? 'Z-Bon' };
    },
  };
}

export type TillService = ReturnType<typeof createTillService>;
