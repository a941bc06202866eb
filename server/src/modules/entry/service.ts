import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isValidBarcode } from '../../../../src/shared/barcode.js';
import type { CheckInRequest, CheckInVerdict, CreateEntryListRequest, EntryConflict, EntryListView, EntryStats, OfflineScansRequest, OfflineScansResult, ScanList, Verdict } from '../../../../src/shared/api/entry.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { appendActorAudit } from '../audit/repository.js';
import { AuthErrorCode } from '../identity/auth-service.js';
import type { Actor } from '../identity/users-service.js';
import { canonicalJson } from '../audit/chain.js';
import { onceOnly, requestHash, type StoredResponse } from '../idempotency/idempotency.js';

interface ListRow {
  id: string;
  tenant_id: string;
  event_id: string;
  event_name: string;
  name: string;
  category_ids: string[] | null;
  allow_reentry: boolean;
  valid_from: Date | null;
  valid_until: Date | null;
  created_at: Date;
}

interface Decision {
  verdict: Verdict;
  ticketId?: string;
  printId?: string;
  ticket?: CheckInVerdict['ticket'];
  admittedAt?: Date;
  admittedGate?: string;
  admittedDevice?: string;
  voidReason?: string;
  validFrom?: Date;
  validUntil?: Date;
  printPending?: boolean;
  /** Offline reconciliation: two admissions of one ticket (first by scan time, and the later one). */
  conflict?: { first: string; later: string; kind: 'double_admission' | 'admitted_offline_while_invalid' };
}

/** What the gate display says; the station may translate by verdict. */
const MESSAGES: Record<Verdict, string> = {
  admitted: 'Einlass',
  already_admitted: 'Bereits eingelassen',
  checked_out: 'Ausgang erfasst',
  not_inside: 'Nicht eingelassen – kein Ausgang möglich',
  voided: 'Ungültig – dieser Barcode wurde ersetzt oder verworfen',
  cancelled: 'Storniert',
  unpaid: 'Nicht bezahlt',
  wrong_event: 'Falsche Veranstaltung',
  wrong_entry_list: 'Nicht für diesen Einlass',
  not_yet_valid: 'Noch nicht gültig',
  no_longer_valid: 'Nicht mehr gültig',
  unknown: 'Unbekannter Code',
  malformed: 'Kein gültiger Ticketcode (Prüfziffer falsch)',
};

/** One scan-list entry: base64url of the first 16 bytes of HMAC-SHA256(list key, barcode). */
export function scanListEntry(key: Buffer, barcode: string): string {
  return createHmac('sha256', key).update(barcode).digest().subarray(0, 16).toString('base64url');
}

/**
 * The conflict an offline scan reveals, if any: a second admission of a ticket that staff acted on (the
 * station showed "admitted"), or an admission offline of a code the server refuses (the list was behind).
 */
function conflictOf(scan: { id: string; offline: boolean; shownVerdict?: string }, d: Decision): { ticketId: string; first: string; later: string; kind: 'double_admission' | 'admitted_offline_while_invalid' } | undefined {
  if (!scan.offline || d.ticketId === undefined) return undefined;
  if (d.conflict !== undefined) {
    const staffActed = d.conflict.later !== scan.id || scan.shownVerdict === undefined || scan.shownVerdict === 'admitted';
    return staffActed ? { ticketId: d.ticketId, ...d.conflict } : undefined;
  }
  if (scan.shownVerdict === 'admitted' && d.verdict !== 'admitted') return { ticketId: d.ticketId, first: scan.id, later: scan.id, kind: 'admitted_offline_while_invalid' };
  return undefined;
}

const OK: ReadonlySet<Verdict> = new Set(['admitted', 'checked_out']);

function requireAny(actor: Actor, ...permissions: Array<'entry.scan' | 'events.manage'>): void {
  if (!permissions.some((p) => actor.permissions.has(p))) throw new AppError(403, AuthErrorCode.forbidden, `This needs the right ${permissions.join(' or ')}.`);
}

function listView(row: ListRow): EntryListView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventName: row.event_name,
    name: row.name,
    categoryIds: row.category_ids,
    allowReentry: row.allow_reentry,
    validFrom: row.valid_from?.toISOString() ?? null,
    validUntil: row.valid_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

const LIST_COLUMNS = ['l.id', 'l.tenant_id', 'l.event_id', 'e.name as event_name', 'l.name', 'l.category_ids', 'l.allow_reentry', 'l.valid_from', 'l.valid_until', 'l.created_at'];

/**
 * Entry control, online: entry lists of the promoter's events and the check-in of a scanned code. One
 * transaction per scan: the verdict, the check-in row (append-only) and the audit row commit together.
 * The same ticket at two gates at the same instant: the ticket row is locked (FOR NO KEY UPDATE) and the
 * admission is a guarded insert on (entry list, ticket), so exactly one gate admits.
 */
export function createEntryService(deps: { knex: Knex; clock: Clock; lockTimeoutMs?: number }) {
  const lockTimeoutMs = deps.lockTimeoutMs ?? 5_000;

  async function loadList(trx: Knex.Transaction, id: string): Promise<ListRow> {
    const row = await trx('entry_lists as l').join('events as e', 'e.id', 'l.event_id').where('l.id', id).first<ListRow | undefined>(LIST_COLUMNS);
    if (row === undefined) throw notFound('Entry list');
    return row;
  }

  /**
   * The verdict for one scan at time `now` (the scan time). `checkInId` is the id the check-in row will
   * get. Offline scans (reconciled later) are ordered by scan time: see the admission step.
   */
  async function decide(trx: Knex.Transaction, list: ListRow, req: { code: string; gate: string }, direction: 'in' | 'out', now: Date, checkInId: string, offline = false): Promise<Decision> {
    // Check digits first: a misread or forged code never reaches the database.
    if (!isValidBarcode(req.code)) return { verdict: 'malformed' };
    const found = await trx('ticket_prints').where({ barcode: req.code }).first<{ ticket_id: string } | undefined>('ticket_id');
    if (found === undefined) return { verdict: 'unknown' };
    // Lock the ticket: a reprint or cancellation running now commits first (or waits for this scan).
    const ticket = await trx('tickets as t')
      .join('price_categories as c', 'c.id', 't.category_id')
      .leftJoin('seats as s', 's.id', 't.seat_id')
      .where('t.id', found.ticket_id)
      .forNoKeyUpdate('t')
      .first<
        | { id: string; status: string; event_id: string; category_id: string; order_id: string; category_name: string; block: string | null; row_label: string | null; seat_number: number | null }
        | undefined
      >('t.id', 't.status', 't.event_id', 't.category_id', 't.order_id', 'c.name as category_name', 's.block', 's.row_label', 's.seat_number');
    if (ticket === undefined) return { verdict: 'unknown' };
    // Read the print again after the lock: what a reprint committed meanwhile counts.
    const print = await trx('ticket_prints').where({ barcode: req.code }).first<{ id: string; status: string; void_reason: string | null }>('id', 'status', 'void_reason');
    const seat = ticket.block === null ? null : `Block ${ticket.block}, Reihe ${ticket.row_label ?? ''}, Platz ${ticket.seat_number ?? ''}`;
    const base: Decision = { verdict: 'unknown', ticketId: ticket.id, printId: print.id, ticket: { id: ticket.id, categoryName: ticket.category_name, seat } };
    if (ticket.status === 'cancelled' || print.void_reason === 'cancelled') return { ...base, verdict: 'cancelled' };
    if (print.status === 'void') return { ...base, verdict: 'voided', voidReason: print.void_reason ?? 'void' };
    const order = await trx('orders').where({ id: ticket.order_id }).first<{ status: string } | undefined>('status');
    if (order?.status !== 'paid') return { ...base, verdict: 'unpaid' };
    if (ticket.event_id !== list.event_id) return { ...base, verdict: 'wrong_event' };
    if (list.category_ids !== null && !list.category_ids.includes(ticket.category_id)) return { ...base, verdict: 'wrong_entry_list' };
    if (list.valid_from !== null && now < list.valid_from) return { ...base, verdict: 'not_yet_valid', validFrom: list.valid_from };
    if (list.valid_until !== null && now > list.valid_until) return { ...base, verdict: 'no_longer_valid', validUntil: list.valid_until };
    // A print the station has not confirmed yet (crash between job and confirmation) still admits: the
    // sheet most likely came out of the printer; the check-in notes it.
    const pending = print.status === 'pending' ? { printPending: true } : {};

    if (direction === 'out') {
      const out = await trx('ticket_admissions')
        .where({ entry_list_id: list.id, ticket_id: ticket.id, inside: true })
        .update({ inside: false, last_change_at: now, last_gate: req.gate });
      return { ...base, ...pending, verdict: out === 1 ? 'checked_out' : 'not_inside' };
    }
    const admitted = await trx.raw<{ rows: Array<{ admissions: number }> }>(
      `INSERT INTO ticket_admissions (tenant_id, entry_list_id, ticket_id, inside, first_admitted_at, first_gate, first_check_in_id, last_change_at, last_gate)
       VALUES (?, ?, ?, true, ?, ?, ?, ?, ?)
       ON CONFLICT (entry_list_id, ticket_id) DO UPDATE
          SET inside = true, last_change_at = EXCLUDED.last_change_at, last_gate = EXCLUDED.last_gate, admissions = ticket_admissions.admissions + 1
        WHERE NOT ticket_admissions.inside AND ?
       RETURNING admissions`,
      [list.tenant_id, list.id, ticket.id, now, req.gate, checkInId, now, req.gate, list.allow_reentry],
    );
    if (admitted.rows.length === 1) {
      await trx('tickets').where({ id: ticket.id }).whereNull('admitted_at').update({ admitted_at: now });
      return { ...base, ...pending, verdict: 'admitted' };
    }
    const state = await trx('ticket_admissions')
      .where({ entry_list_id: list.id, ticket_id: ticket.id })
      .first<{ inside: boolean; first_admitted_at: Date; first_gate: string; first_check_in_id: string; last_change_at: Date; last_gate: string }>(
        'inside',
        'first_admitted_at',
        'first_gate',
        'first_check_in_id',
        'last_change_at',
        'last_gate',
      );
    if (offline && !list.allow_reentry && now < state.first_admitted_at) {
      // An offline scan from before the recorded admission: by scan time it came first, so it is the
      // admission, and the one recorded so far becomes the conflict.
      await trx('ticket_admissions').where({ entry_list_id: list.id, ticket_id: ticket.id }).update({ first_admitted_at: now, first_gate: req.gate, first_check_in_id: checkInId });
      await trx('tickets').where({ id: ticket.id }).update({ admitted_at: now });
      return { ...base, ...pending, verdict: 'admitted', conflict: { first: checkInId, later: state.first_check_in_id, kind: 'double_admission' } };
    }
    // With re-entry the guest is inside since the last admission; without, the first one is what counts.
    const at = list.allow_reentry ? { admittedAt: state.last_change_at, admittedGate: state.last_gate } : { admittedAt: state.first_admitted_at, admittedGate: state.first_gate };
    // The device that let the guest in, so that gate staff can tell a colleague's scan from a copied ticket.
    const admittedBy = await trx('check_ins as ci')
      .join('workstations as w', 'w.id', 'ci.workstation_id')
      .modify((q) => {
        if (list.allow_reentry) void q.where({ 'ci.entry_list_id': list.id, 'ci.ticket_id': ticket.id, 'ci.verdict': 'admitted' }).orderBy('ci.scanned_at', 'desc');
        else void q.where('ci.id', state.first_check_in_id);
      })
      .first<{ name: string } | undefined>('w.name');
    const device = admittedBy === undefined ? {} : { admittedDevice: admittedBy.name };
    const conflict = offline ? { conflict: { first: state.first_check_in_id, later: checkInId, kind: 'double_admission' as const } } : {};
    return { ...base, ...pending, verdict: 'already_admitted', ...at, ...device, ...conflict };
  }

  /** The check-in row (append-only) and, for offline reconciliation, the conflict it revealed (true when one was recorded). */
  async function recordCheckIn(
    trx: Knex.Transaction,
    actor: Actor,
    list: ListRow,
    scan: { id: string; nonce: string; code: string; gate: string; direction: 'in' | 'out'; scannedAt: Date; receivedAt: Date; offline: boolean; shownVerdict?: string },
    d: Decision,
  ): Promise<boolean> {
    const detail: Record<string, unknown> = {};
    if (d.voidReason !== undefined) detail['voidReason'] = d.voidReason;
    if (d.printPending === true) detail['printPending'] = true;
    if (d.admittedAt !== undefined) detail['admittedAt'] = d.admittedAt.toISOString();
    if (d.admittedGate !== undefined) detail['admittedGate'] = d.admittedGate;
    if (scan.shownVerdict !== undefined) detail['shownVerdict'] = scan.shownVerdict;
    await trx('check_ins').insert({
      id: scan.id,
      tenant_id: actor.tenantId,
      entry_list_id: list.id,
      nonce: scan.nonce,
      // A malformed scan is kept as sent (it may be an attack or a broken label), bounded by the schema.
      code: scan.code,
      direction: scan.direction,
      gate: scan.gate,
      verdict: d.verdict,
      ticket_id: d.ticketId ?? null,
      print_id: d.printId ?? null,
      detail: JSON.stringify(detail),
      scanned_at: scan.scannedAt,
      received_at: scan.receivedAt,
      offline: scan.offline,
      workstation_id: actor.workstation.id,
      user_id: actor.userId,
    });
    const conflict = conflictOf(scan, d);
    if (conflict === undefined) return false;
    await trx('entry_conflicts').insert({
      tenant_id: actor.tenantId,
      entry_list_id: list.id,
      ticket_id: conflict.ticketId,
      first_check_in_id: conflict.first,
      later_check_in_id: conflict.later,
      kind: conflict.kind,
      detected_at: scan.receivedAt,
    });
    return true;
  }

  return {
    async createList(actor: Actor, input: CreateEntryListRequest): Promise<EntryListView> {
      requireAny(actor, 'events.manage');
      const now = deps.clock.now();
      if (input.validFrom !== undefined && input.validUntil !== undefined && new Date(input.validFrom) >= new Date(input.validUntil)) {
        throw new AppError(400, 'VALIDITY_INVALID', 'validFrom must be before validUntil.');
      }
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const event = await trx('events').where({ id: input.eventId, tenant_id: actor.tenantId }).first<{ id: string } | undefined>('id');
        if (event === undefined) throw notFound('Event');
        const categoryIds = input.categoryIds === undefined ? null : [...new Set(input.categoryIds)];
        if (categoryIds !== null) {
          const known = await trx('price_categories').where({ event_id: event.id }).whereIn('id', categoryIds).pluck('id');
          if (known.length !== categoryIds.length) throw new AppError(400, 'CATEGORY_NOT_OF_EVENT', 'Every category must belong to the event.');
        }
        const taken = await trx('entry_lists').where({ event_id: event.id, name: input.name }).first<{ id: string } | undefined>('id');
        if (taken !== undefined) throw new AppError(409, 'ENTRY_LIST_NAME_TAKEN', 'The event already has an entry list of this name.');
        const [row] = await trx('entry_lists')
          .insert({
            tenant_id: actor.tenantId,
            event_id: event.id,
            name: input.name,
            category_ids: categoryIds,
            allow_reentry: input.allowReentry ?? false,
            valid_from: input.validFrom === undefined ? null : new Date(input.validFrom),
            valid_until: input.validUntil === undefined ? null : new Date(input.validUntil),
            scan_list_key: randomBytes(32),
            created_at: now,
            created_by: actor.userId,
          })
          .returning<Array<{ id: string }>>('id');
        await appendActorAudit(trx, actor, now, {
                    action: 'entry_list.create',
          entity: 'entry_list',
          entityId: row!.id,
          details: { eventId: event.id, name: input.name, categoryIds, allowReentry: input.allowReentry ?? false },
        });
        return listView(await loadList(trx, row!.id));
      });
    },

    async lists(actor: Actor, eventId: string | undefined): Promise<EntryListView[]> {
      requireAny(actor, 'entry.scan', 'events.manage');
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const rows = await trx('entry_lists as l')
          .join('events as e', 'e.id', 'l.event_id')
          .modify((q) => {
            if (eventId !== undefined) void q.where('l.event_id', eventId);
          })
          .orderBy([{ column: 'e.starts_at' }, { column: 'l.name' }])
          .select<ListRow[]>(LIST_COLUMNS);
        return rows.map(listView);
      });
    },

    /** One scan: the verdict, at most once per nonce (a replay returns the first verdict). */
    async checkIn(actor: Actor, req: CheckInRequest): Promise<StoredResponse<CheckInVerdict>> {
      requireAny(actor, 'entry.scan');
      const now = deps.clock.now();
      const direction = req.direction ?? 'in';
      const hash = requestHash({ route: 'entry.check_in', entryListId: req.entryListId, gate: req.gate, code: req.code, direction });
      const result = await inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${lockTimeoutMs}ms`]);
        return onceOnly(trx, { tenantId: actor.tenantId, scope: 'entry.check_in', key: req.nonce, requestHash: hash, now }, async () => {
          const list = await loadList(trx, req.entryListId);
          if (direction === 'out' && !list.allow_reentry) throw new AppError(409, 'REENTRY_NOT_ALLOWED', 'This entry list has no exit and re-entry.');
          const checkInId = randomUUID();
          const d = await decide(trx, list, req, direction, now, checkInId);
          await recordCheckIn(trx, actor, list, { id: checkInId, nonce: req.nonce, code: req.code, gate: req.gate, direction, scannedAt: now, receivedAt: now, offline: false }, d);
          await appendActorAudit(trx, actor, now, {
                        action: 'entry.check_in',
            entity: 'check_in',
            entityId: checkInId,
            details: { entryListId: list.id, gate: req.gate, direction, verdict: d.verdict, ticketId: d.ticketId ?? null },
          });
          const body: CheckInVerdict = {
            checkInId,
            verdict: d.verdict,
            ok: OK.has(d.verdict),
            message: MESSAGES[d.verdict],
            scannedAt: now.toISOString(),
            replayed: false,
          };
          if (d.ticket !== undefined) body.ticket = d.ticket;
          if (d.admittedAt !== undefined) body.admittedAt = d.admittedAt.toISOString();
          if (d.admittedGate !== undefined) body.admittedGate = d.admittedGate;
          if (d.admittedDevice !== undefined) body.admittedDevice = d.admittedDevice;
          if (d.voidReason !== undefined) body.voidReason = d.voidReason;
          if (d.validFrom !== undefined) body.validFrom = d.validFrom.toISOString();
          if (d.validUntil !== undefined) body.validUntil = d.validUntil.toISOString();
          return { status: 200, body };
        });
      });
      return { ...result, body: { ...result.body, replayed: result.replayed } };
    },

    /**
     * The offline scan list: keyed hashes of every barcode of the list's tickets, valid or not. With
     * `since`, only what changed since then (an overlap of two minutes covers transactions that were
     * still committing when the previous list was made; entries are idempotent).
     */
    async scanList(actor: Actor, entryListId: string, since: string | undefined): Promise<ScanList> {
      requireAny(actor, 'entry.scan');
      const now = deps.clock.now();
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const list = await loadList(trx, entryListId);
        const row = await trx('entry_lists').where({ id: list.id }).first<{ key: Uint8Array }>('scan_list_key as key');
        // PGlite returns bytea as Uint8Array, pg as Buffer.
        const key = Buffer.from(row.key);
        const from = since === undefined ? undefined : new Date(new Date(since).getTime() - 120_000);
        const rows = await trx('ticket_prints as p')
          .join('tickets as t', 't.id', 'p.ticket_id')
          .join('orders as o', 'o.id', 't.order_id')
          .where('t.event_id', list.event_id)
          .modify((q) => {
            if (list.category_ids !== null) void q.whereIn('t.category_id', list.category_ids);
            if (from !== undefined) {
              void q.where((w) => {
                void w.where('p.issued_at', '>', from).orWhere('p.confirmed_at', '>', from).orWhere('p.voided_at', '>', from).orWhere('t.cancelled_at', '>', from).orWhere('o.paid_at', '>', from);
              });
            }
          })
          .select<Array<{ barcode: string; state: 'valid' | 'cancelled' | 'invalid' }>>(
            'p.barcode',
            trx.raw(`CASE WHEN t.status = 'cancelled' OR p.void_reason = 'cancelled' THEN 'cancelled'
                          WHEN p.status IN ('pending', 'active') AND o.status = 'paid' THEN 'valid'
                          ELSE 'invalid' END AS state`),
          );
        const lists = { valid: [] as string[], cancelled: [] as string[], invalid: [] as string[] };
        for (const r of rows) lists[r.state].push(scanListEntry(key, r.barcode));
        return { entryListId: list.id, key: key.toString('base64'), full: since === undefined, cursor: now.toISOString(), generatedAt: now.toISOString(), ...lists };
      });
    },

    /**
     * Scans a station decided offline, reconciled in scan order in one transaction: each is judged as if
     * it had reached the server at its scan time; the first admission by scan time wins and any later
     * one of the same ticket is recorded as a conflict. Nonces already uploaded are skipped, so a
     * station may send the same batch again after a network fault.
     */
    async uploadOfflineScans(actor: Actor, entryListId: string, input: OfflineScansRequest): Promise<OfflineScansResult> {
      requireAny(actor, 'entry.scan');
      const now = deps.clock.now();
      const nonces = new Set(input.scans.map((x) => x.nonce));
      if (nonces.size !== input.scans.length) throw new AppError(400, 'DUPLICATE_NONCE', 'A nonce appears twice in the upload.');
      const latest = now.getTime() + 5 * 60_000;
      for (const x of input.scans) {
        if (new Date(x.scannedAt).getTime() > latest) throw new AppError(400, 'SCAN_TIME_IN_FUTURE', `Scan ${x.nonce} is dated in the future; check the station clock.`);
      }
      // Scan-time order; scans of the same millisecond keep the order the station sent them in (its journal
      // order, which is the order its staff saw them) — Array.prototype.sort is stable.
      const ordered = [...input.scans].sort((a, b) => new Date(a.scannedAt).getTime() - new Date(b.scannedAt).getTime());
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${lockTimeoutMs}ms`]);
        const list = await loadList(trx, entryListId);
        const known = new Map(
          (await trx('check_ins').whereIn('nonce', [...nonces]).select<Array<{ id: string; nonce: string; verdict: Verdict; entry_list_id: string }>>('id', 'nonce', 'verdict', 'entry_list_id')).map((r) => [r.nonce, r]),
        );
        const results = new Map<string, OfflineScansResult['results'][number]>();
        let conflicts = 0;
        for (const x of ordered) {
          const seen = known.get(x.nonce);
          if (seen !== undefined) {
            if (seen.entry_list_id !== list.id) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', `Nonce ${x.nonce} was used for another entry list.`);
            results.set(x.nonce, { nonce: x.nonce, checkInId: seen.id, verdict: seen.verdict, replayed: true, conflict: false });
            continue;
          }
          const direction = x.direction ?? 'in';
          if (direction === 'out' && !list.allow_reentry) throw new AppError(409, 'REENTRY_NOT_ALLOWED', 'This entry list has no exit and re-entry.');
          const at = new Date(x.scannedAt);
          const id = randomUUID();
          const d = await decide(trx, list, x, direction, at, id, true);
          const conflict = await recordCheckIn(trx, actor, list, { id, nonce: x.nonce, code: x.code, gate: x.gate, direction, scannedAt: at, receivedAt: now, offline: true, shownVerdict: x.shownVerdict }, d);
          if (conflict) conflicts += 1;
          results.set(x.nonce, { nonce: x.nonce, checkInId: id, verdict: d.verdict, replayed: false, conflict });
        }
        const recorded = [...results.values()].filter((r) => !r.replayed).length;
        await appendActorAudit(trx, actor, now, {
                    action: 'entry.offline_upload',
          entity: 'entry_list',
          entityId: list.id,
          details: { received: input.scans.length, recorded, replayed: input.scans.length - recorded, conflicts, sha256: createHash('sha256').update(canonicalJson(input)).digest('hex') },
        });
        return { received: input.scans.length, recorded, replayed: input.scans.length - recorded, conflicts, results: input.scans.map((x) => results.get(x.nonce)!) };
      });
    },

    /** Conflicts found by reconciling offline scans: the ticket, both check-ins, who, where and when. */
    async conflicts(actor: Actor, entryListId: string): Promise<EntryConflict[]> {
      requireAny(actor, 'entry.scan', 'events.manage');
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const list = await loadList(trx, entryListId);
        const side = (alias: string) => [
          `${alias}.id as ${alias}_id`,
          `${alias}.gate as ${alias}_gate`,
          `${alias}.scanned_at as ${alias}_scanned_at`,
          `${alias}.offline as ${alias}_offline`,
          `${alias}w.name as ${alias}_workstation`,
          `${alias}u.login as ${alias}_user`,
        ];
        const rows = await trx('entry_conflicts as c')
          .join('check_ins as f', 'f.id', 'c.first_check_in_id')
          .join('check_ins as l', 'l.id', 'c.later_check_in_id')
          .join('workstations as fw', 'fw.id', 'f.workstation_id')
          .join('users as fu', 'fu.id', 'f.user_id')
          .join('workstations as lw', 'lw.id', 'l.workstation_id')
          .join('users as lu', 'lu.id', 'l.user_id')
          .where('c.entry_list_id', list.id)
          .orderBy('c.detected_at')
          .select<Array<Record<string, string | Date | boolean>>>('c.id', 'c.ticket_id', 'c.kind', 'c.detected_at', ...side('f'), ...side('l'));
        const pick = (r: Record<string, string | Date | boolean>, a: string) => ({
          checkInId: r[`${a}_id`] as string,
          gate: r[`${a}_gate`] as string,
          scannedAt: (r[`${a}_scanned_at`] as Date).toISOString(),
          offline: r[`${a}_offline`] as boolean,
          workstation: r[`${a}_workstation`] as string,
          user: r[`${a}_user`] as string,
        });
        return rows.map((r) => ({
          id: r['id'] as string,
          ticketId: r['ticket_id'] as string,
          kind: r['kind'] as EntryConflict['kind'],
          detectedAt: (r['detected_at'] as Date).toISOString(),
          first: pick(r, 'f'),
          later: pick(r, 'l'),
        }));
      });
    },

    /** Live figures for a gate display: expected, admitted, inside, refused, per gate, rate. */
    async stats(actor: Actor, entryListId: string): Promise<EntryStats> {
      requireAny(actor, 'entry.scan', 'events.manage');
      const now = deps.clock.now();
      const minuteAgo = new Date(now.getTime() - 60_000);
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const list = await loadList(trx, entryListId);
        const expected = await trx('tickets')
          .where({ event_id: list.event_id, status: 'valid' })
          .modify((q) => {
            if (list.category_ids !== null) void q.whereIn('category_id', list.category_ids);
          })
          .count<Array<{ n: number | string }>>('* as n');
        const adm = await trx('ticket_admissions')
          .where({ entry_list_id: list.id })
          .select<Array<{ admitted: number | string; inside: number | string }>>(trx.raw('count(*) AS admitted'), trx.raw('count(*) FILTER (WHERE inside) AS inside'));
        const gates = await trx('check_ins')
          .where({ entry_list_id: list.id })
          .groupBy('gate')
          .orderBy('gate')
          .select<Array<{ gate: string; admitted: number | string; refused: number | string; last_minute: number | string }>>(
            'gate',
            trx.raw(`count(*) FILTER (WHERE verdict = 'admitted') AS admitted`),
            trx.raw(`count(*) FILTER (WHERE verdict NOT IN ('admitted', 'checked_out')) AS refused`),
            trx.raw(`count(*) FILTER (WHERE verdict = 'admitted' AND received_at > ?) AS last_minute`, [minuteAgo]),
          );
        const perGate = gates.map((g) => ({ gate: g.gate, admitted: Number(g.admitted), refused: Number(g.refused), lastMinute: Number(g.last_minute) }));
        return {
          entryListId: list.id,
          expected: Number(expected[0]?.n ?? 0),
          admitted: Number(adm[0]?.admitted ?? 0),
          inside: Number(adm[0]?.inside ?? 0),
          refused: perGate.reduce((n, g) => n + g.refused, 0),
          perGate,
          lastMinute: perGate.reduce((n, g) => n + g.lastMinute, 0),
        };
      });
    },
  };
}
