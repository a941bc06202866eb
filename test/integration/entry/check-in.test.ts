import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBarcode } from '../../../src/shared/barcode.js';
import { scanListEntry } from '../../../server/src/modules/entry/service.js';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const nonce = () => `n-${randomUUID()}`;

for (const backend of testBackends()) {
  describe(`entry control online: check-in verdicts, atomic admission, nonces (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let fx: SalesFixture;
    let clerk: ApiClient;
    let manager: ApiClient;
    let promoter: ApiClient;
    let gate: ApiClient;
    let listAll: string;
    let nextBlank = 1;

    const db = <T>(fn: (admin: Knex) => Promise<T>) => server.tdb.asAdmin(fn);
    const scan = (code: string, body: Record<string, unknown> = {}, client = gate) =>
      client.request('POST', '/api/v1/check-ins', { entryListId: listAll, gate: 'Nord 1', code, nonce: nonce(), ...body });
    const createList = (body: Record<string, unknown>) => promoter.request('POST', '/api/v1/entry-lists', { eventId: fx.eventId, ...body });

    /** Sells n GA tickets, prints and confirms them; returns tickets with their barcodes. */
    async function soldAndPrinted(n: number): Promise<{ orderId: string; tickets: Array<{ ticketId: string; barcode: string }> }> {
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, n);
      await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: nextBlank });
      const job = await printJob(clerk, order.id);
      expect(job.status, job.body).toBe(201);
      nextBlank = (job.json.lastBlank as number) + 1;
      // Whole sheets only: the next job starts on a fresh sheet.
      nextBlank = Math.ceil((nextBlank - 1) / 3) * 3 + 1;
      const confirmed = await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {});
      expect(confirmed.status, confirmed.body).toBe(200);
      return { orderId: order.id, tickets: (job.json.tickets as Array<{ ticketId: string; barcode: string }>).map((t) => ({ ticketId: t.ticketId, barcode: t.barcode })) };
    }

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      fx = await createSalesFixture(server, { gaCapacity: 5_000, sellers: [server.tenants.outlet] });
      const clerkUser = await createUser(server, server.tenants.outlet, 'kasse.e', ['sales.sell', 'sales.cancel', 'tickets.print']);
      clerk = await loginAs(server, server.workstation, clerkUser);
      await openTill(server, server.tenants.outlet, server.workstation.id, clerkUser.id);
      const ws2 = await server.registerWorkstation(server.tenants.outlet, 'buero');
      manager = await loginAs(server, ws2, await createUser(server, server.tenants.outlet, 'chef.e', ['tickets.print', 'tickets.reprint']));
      await insertBlankBatch(server, server.tenants.outlet, 1, 3_600, clerkUser.id);
      const pws = await server.registerWorkstation(fx.promoterId, 'einlass-buero');
      promoter = await loginAs(server, pws, await createUser(server, fx.promoterId, 'veranstalter', ['events.manage']));
      const gws = await server.registerWorkstation(fx.promoterId, 'tor-nord');
      gate = await loginAs(server, gws, await createUser(server, fx.promoterId, 'einlass.1', ['entry.scan']));
      const list = await createList({ name: 'Alle Tickets' });
      expect(list.status, list.body).toBe(201);
      listAll = list.json.id;
    }, 120_000);
    afterAll(async () => {
      await server.close();
    });

    it('sets up entry lists for the own events only, with validated categories and validity', async () => {
      expect((await createList({ name: 'Alle Tickets' })).json.code).toBe('ENTRY_LIST_NAME_TAKEN');
      expect((await createList({ name: 'Fremd', categoryIds: [randomUUID()] })).json.code).toBe('CATEGORY_NOT_OF_EVENT');
      expect((await createList({ name: 'Falsch', validFrom: '2027-01-02T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' })).json.code).toBe('VALIDITY_INVALID');
      expect((await gate.request('POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'X' })).status).toBe(403);
      // An outlet (which sells the event) cannot create or see entry lists of it.
      const outletMgr = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'outlet.events', ['events.manage', 'entry.scan']));
      expect((await outletMgr.request('POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'Y' })).status).toBe(404);
      expect((await outletMgr.request('GET', '/api/v1/entry-lists')).json).toEqual([]);
      expect((await outletMgr.request('POST', '/api/v1/check-ins', { entryListId: listAll, gate: 'A', code: '1', nonce: nonce() })).status).toBe(404);
      const lists = (await gate.request('GET', `/api/v1/entry-lists?eventId=${fx.eventId}`)).json;
      expect(lists.map((l: { name: string }) => l.name)).toContain('Alle Tickets');
      expect(JSON.stringify(lists)).not.toMatch(/scan_list_key|scanListKey/);
      expect(await db(async (a) => Number((await a('audit_log').where({ action: 'entry_list.create', tenant_id: fx.promoterId }).count<Array<{ n: string }>>('* as n'))[0]!.n))).toBe(1);
    });

    it('admits a valid ticket once; a second scan says when and where it was admitted', async () => {
      const { tickets } = await soldAndPrinted(2);
      const code = tickets[0]!.barcode;
      const first = await scan(code);
      expect(first.status, first.body).toBe(200);
      expect(first.json).toMatchObject({ verdict: 'admitted', ok: true, ticket: { id: tickets[0]!.ticketId, seat: null } });
      // Asked at another gate on another device: the answer names the first gate and its device.
      const south = await loginAs(server, await server.registerWorkstation(fx.promoterId, 'tor-zweitgeraet'), await createUser(server, fx.promoterId, 'einlass.geraet', ['entry.scan']));
      const again = await scan(code, { gate: 'Süd 2' }, south);
      expect(again.json).toMatchObject({ verdict: 'already_admitted', ok: false, admittedGate: 'Nord 1', admittedDevice: 'tor-nord', admittedAt: first.json.scannedAt });
      expect(first.json.admittedDevice).toBeUndefined();
      expect(await db((a) => a('tickets').where({ id: tickets[0]!.ticketId }).first('admitted_at'))).toEqual({ admitted_at: new Date(first.json.scannedAt) });
      // Every scan is kept, with its verdict, and audited.
      const rows = await db((a) => a('check_ins').where({ ticket_id: tickets[0]!.ticketId }).orderBy('gate').select('gate', 'verdict'));
      expect(rows).toEqual([
        { gate: 'Nord 1', verdict: 'admitted' },
        { gate: 'Süd 2', verdict: 'already_admitted' },
      ]);
      const audited = await db((a) => a('audit_log').where({ tenant_id: fx.promoterId, action: 'entry.check_in' }).whereIn('entity_id', [first.json.checkInId, again.json.checkInId]).count<Array<{ n: string }>>('* as n'));
      expect(Number(audited[0]!.n)).toBe(2);
    });

    it('returns the first verdict for a replayed nonce and records nothing new; the same nonce for another code is refused', async () => {
      const { tickets } = await soldAndPrinted(1);
      const n = nonce();
      const body = { entryListId: listAll, gate: 'Nord 1', code: tickets[0]!.barcode, nonce: n };
      const results = await Promise.all(Array.from({ length: 5 }, () => gate.request('POST', '/api/v1/check-ins', body)));
      const statuses = results.map((r) => r.status);
      // Concurrent replays either wait for the first and get its verdict or are told it is in progress.
      for (const r of results) expect([200, 409]).toContain(r.status);
      expect(statuses).toContain(200);
      const verdicts = results.filter((r) => r.status === 200).map((r) => r.json.verdict);
      expect(new Set(verdicts)).toEqual(new Set(['admitted']));
      const replay = await gate.request('POST', '/api/v1/check-ins', body);
      expect(replay.json).toMatchObject({ verdict: 'admitted', replayed: true, checkInId: verdicts.length > 0 ? results.find((r) => r.status === 200)!.json.checkInId : undefined });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await db(async (a) => Number((await a('check_ins').where({ nonce: n }).count<Array<{ n: string }>>('* as n'))[0]!.n))).toBe(1);
      // Another code under the same nonce (the last digit changed; a barcode ending in 0 gets a 1).
      const reuse = await gate.request('POST', '/api/v1/check-ins', { ...body, code: tickets[0]!.barcode.replace(/.$/, (d) => (d === '0' ? '1' : '0')) });
      expect([reuse.status, reuse.json.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    });

    it('refuses malformed codes before any lookup, and unknown ones', async () => {
      const { tickets } = await soldAndPrinted(1);
      const code = tickets[0]!.barcode;
      const digit = (c: string) => String((Number(c) + 1) % 10);
      const oneChanged = code.slice(0, 5) + digit(code[5]!) + code.slice(6);
      const swapIndex = [...code].findIndex((c, i) => i < code.length - 1 && c !== code[i + 1]);
      const swapped = code.slice(0, swapIndex) + code[swapIndex + 1]! + code[swapIndex]! + code.slice(swapIndex + 2);
      for (const bad of [oneChanged, swapped, 'ABC', `${code}1`, ' ']) {
        const res = await scan(bad);
        expect([res.status, res.json.verdict], bad).toEqual([200, 'malformed']);
        expect(res.json.ticket, bad).toBeUndefined();
      }
      const unknown = await scan(generateBarcode((n) => randomBytes(n)));
      expect(unknown.json).toMatchObject({ verdict: 'unknown', ok: false });
      // Schema violations are refused as such and recorded nowhere.
      expect((await gate.request('POST', '/api/v1/check-ins', { entryListId: listAll, gate: 'Nord 1', code, nonce: 'short' })).status).toBe(400);
      expect((await gate.request('POST', '/api/v1/check-ins', { entryListId: listAll, gate: '', code, nonce: nonce() })).status).toBe(400);
      expect((await gate.request('POST', '/api/v1/check-ins', { entryListId: randomUUID(), gate: 'Nord 1', code, nonce: nonce() })).status).toBe(404);
      expect(await db((a) => a('check_ins').where({ code }).first('id'))).toBeUndefined();
    });

    it('refuses a barcode voided by reprint at once, and admits the new one', async () => {
      const { tickets } = await soldAndPrinted(1);
      const old = tickets[0]!;
      await manager.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: nextBlank });
      const reprint = await manager.request('POST', `/api/v1/tickets/${old.ticketId}/reprint`, { reason: 'damaged' }, { 'idempotency-key': newKey() });
      expect(reprint.status, reprint.body).toBe(201);
      nextBlank = Math.ceil(((reprint.json.lastBlank as number) + 1 - 1) / 3) * 3 + 1;
      await manager.request('POST', `/api/v1/print-jobs/${reprint.json.id}/confirm`, {});
      const dead = await scan(old.barcode);
      expect(dead.json).toMatchObject({ verdict: 'voided', voidReason: 'reprinted', ok: false });
      const fresh = await scan(reprint.json.tickets[0].barcode);
      expect(fresh.json.verdict).toBe('admitted');
    });

    it('refuses cancelled tickets and unpaid orders', async () => {
      const { orderId, tickets } = await soldAndPrinted(2);
      const cancel = await clerk.request('POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'Kunde verhindert', ticketIds: [tickets[0]!.ticketId] }, { 'idempotency-key': newKey() });
      expect(cancel.status, cancel.body).toBe(200);
      expect((await scan(tickets[0]!.barcode)).json.verdict).toBe('cancelled');
      // An order that is not (or no longer) paid, as the invoicing side may leave it.
      await db((a) => a('orders').where({ id: orderId }).update({ status: 'unpaid', paid_at: null }));
      expect((await scan(tickets[1]!.barcode)).json.verdict).toBe('unpaid');
    });

    it('refuses tickets of another event, of other categories, and outside the validity window', async () => {
      const { tickets } = await soldAndPrinted(4);
      const [a, b, c, d] = tickets.map((t) => t.barcode) as [string, string, string, string];
      const otherEvent = await db(async (x) => {
        const ev = await x('events').where({ id: fx.eventId }).first();
        const [row] = await x('events').insert({ ...ev, id: undefined, name: 'Zusatzkonzert' }).returning('id');
        return row.id as string;
      });
      const other = await promoter.request('POST', '/api/v1/entry-lists', { eventId: otherEvent, name: 'Zusatz' });
      expect(other.status, other.body).toBe(201);
      expect((await scan(a, { entryListId: other.json.id })).json.verdict).toBe('wrong_event');
      const vip = await createList({ name: 'Nur Sitzplätze', categoryIds: [fx.seatedCategoryId] });
      expect((await scan(b, { entryListId: vip.json.id })).json.verdict).toBe('wrong_entry_list');
      const now = clock.now().getTime();
      const later = await createList({ name: 'Ab morgen', validFrom: new Date(now + 86_400_000).toISOString() });
      const res = await scan(c, { entryListId: later.json.id });
      expect(res.json).toMatchObject({ verdict: 'not_yet_valid', validFrom: new Date(now + 86_400_000).toISOString() });
      const over = await createList({ name: 'Bis gestern', validUntil: new Date(now - 86_400_000).toISOString() });
      expect((await scan(d, { entryListId: over.json.id })).json.verdict).toBe('no_longer_valid');
      // None of these refusals admitted anything.
      expect(await db((x) => x('ticket_admissions').whereIn('ticket_id', tickets.map((t) => t.ticketId)).select('ticket_id'))).toEqual([]);
    });

    it('lets a guest leave and come back on a list with re-entry; without it there is no exit', async () => {
      const { tickets } = await soldAndPrinted(1);
      const code = tickets[0]!.barcode;
      const reentry = await createList({ name: 'Mit Wiedereinlass', allowReentry: true });
      const on = { entryListId: reentry.json.id };
      expect((await scan(code, { ...on, direction: 'out' })).json.verdict).toBe('not_inside');
      expect((await scan(code, on)).json.verdict).toBe('admitted');
      expect((await scan(code, { ...on, gate: 'Süd 2' })).json).toMatchObject({ verdict: 'already_admitted', admittedGate: 'Nord 1', admittedDevice: 'tor-nord' });
      expect((await scan(code, { ...on, direction: 'out', gate: 'Süd 2' })).json).toMatchObject({ verdict: 'checked_out', ok: true });
      expect((await scan(code, { ...on, gate: 'Süd 2' })).json.verdict).toBe('admitted');
      expect(await db((a) => a('ticket_admissions').where({ entry_list_id: reentry.json.id }).first('admissions', 'inside', 'first_gate', 'last_gate'))).toEqual({
        admissions: 2,
        inside: true,
        first_gate: 'Nord 1',
        last_gate: 'Süd 2',
      });
      const noExit = await scan(code, { direction: 'out' });
      expect([noExit.status, noExit.json.code]).toEqual([409, 'REENTRY_NOT_ALLOWED']);
    });

    it('admits exactly once when ten gates scan the same code at the same instant', async () => {
      const { tickets } = await soldAndPrinted(1);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => scan(tickets[0]!.barcode, { gate: `Tor ${i}` })));
      for (const r of results) expect(r.status, r.body).toBe(200);
      const verdicts = results.map((r) => r.json.verdict).sort();
      expect(verdicts).toEqual(['admitted', ...Array<string>(9).fill('already_admitted')]);
      const winnerGate = `Tor ${results.findIndex((r) => r.json.verdict === 'admitted')}`;
      for (const r of results.filter((x) => x.json.verdict !== 'admitted')) expect(r.json.admittedGate).toBe(winnerGate);
    });

    it('hands out a scan list of keyed hashes only, and an incremental one with what changed', async () => {
      const { tickets } = await soldAndPrinted(3);
      // The list is made a while after these sales, so that they lie before the cursor and its overlap.
      clock.advance(5 * 60_000);
      const full = await gate.request('GET', `/api/v1/entry-lists/${listAll}/scan-list`);
      expect(full.status, full.body).toBe(200);
      const key = Buffer.from(full.json.key as string, 'base64');
      expect(key).toHaveLength(32);
      for (const t of tickets) {
        expect(full.body).not.toContain(t.barcode);
        expect(full.json.valid).toContain(scanListEntry(key, t.barcode));
      }
      expect((await clerk.request('GET', `/api/v1/entry-lists/${listAll}/scan-list`)).status).toBe(403);
      // A reprint after the cursor: the old code turns up as invalid, the new one as valid.
      await manager.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: nextBlank });
      const reprint = await manager.request('POST', `/api/v1/tickets/${tickets[0]!.ticketId}/reprint`, { reason: 'lost' }, { 'idempotency-key': newKey() });
      expect(reprint.status, reprint.body).toBe(201);
      nextBlank = Math.ceil((reprint.json.lastBlank as number) / 3) * 3 + 1;
      const delta = await gate.request('GET', `/api/v1/entry-lists/${listAll}/scan-list?since=${encodeURIComponent(full.json.cursor as string)}`);
      expect(delta.json.full).toBe(false);
      expect(delta.json.invalid).toContain(scanListEntry(key, tickets[0]!.barcode));
      expect(delta.json.valid).toContain(scanListEntry(key, reprint.json.tickets[0].barcode));
      expect(delta.json.valid.length + delta.json.invalid.length).toBeLessThan(full.json.valid.length + full.json.invalid.length);
      // A cancellation: listed as such, so that offline the gate says why.
      clock.advance(5 * 60_000);
      const orderId = await db(async (a) => (await a('tickets').where({ id: tickets[1]!.ticketId }).first<{ order_id: string }>('order_id')).order_id);
      const cancel = await clerk.request('POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'Krank', ticketIds: [tickets[1]!.ticketId] }, { 'idempotency-key': newKey() });
      expect(cancel.status, cancel.body).toBe(200);
      const after = await gate.request('GET', `/api/v1/entry-lists/${listAll}/scan-list?since=${encodeURIComponent(delta.json.cursor as string)}`);
      expect(after.json.cancelled).toEqual([scanListEntry(key, tickets[1]!.barcode)]);
      expect(after.json.valid).not.toContain(scanListEntry(key, tickets[1]!.barcode));
    });

    it('reconciles offline scans by scan time: the first admission wins, later ones are conflicts, a re-upload records nothing', async () => {
      const { tickets } = await soldAndPrinted(3);
      const [a, b, c] = tickets as [{ ticketId: string; barcode: string }, { ticketId: string; barcode: string }, { ticketId: string; barcode: string }];
      const gws2 = await server.registerWorkstation(fx.promoterId, 'tor-sued');
      const gate2 = await loginAs(server, gws2, await createUser(server, fx.promoterId, 'einlass.2', ['entry.scan']));
      const t0 = clock.now().getTime() - 10 * 60_000;
      const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
      const upload = (client: ApiClient, scans: Array<Record<string, unknown>>) => client.request('POST', `/api/v1/entry-lists/${listAll}/offline-scans`, { scans });
      // Station 2 (offline) let ticket a in at minute 3 and b at minute 4; station 1 (offline) let a in at minute 1.
      const s2 = [
        { nonce: nonce(), code: a.barcode, gate: 'Süd 1', scannedAt: at(3), shownVerdict: 'admitted' },
        { nonce: nonce(), code: b.barcode, gate: 'Süd 1', scannedAt: at(4), shownVerdict: 'admitted' },
      ];
      const s1 = [{ nonce: nonce(), code: a.barcode, gate: 'Nord 1', scannedAt: at(1), shownVerdict: 'admitted' }];
      const up2 = await upload(gate2, s2);
      expect(up2.status, up2.body).toBe(200);
      expect(up2.json).toMatchObject({ received: 2, recorded: 2, replayed: 0, conflicts: 0 });
      const up1 = await upload(gate, s1);
      expect(up1.json).toMatchObject({ received: 1, recorded: 1, conflicts: 1 });
      expect(up1.json.results[0]).toMatchObject({ verdict: 'admitted', conflict: true });
      // An online scan of b now: already admitted at minute 4 by Süd 1 (offline).
      expect((await scan(b.barcode)).json).toMatchObject({ verdict: 'already_admitted', admittedGate: 'Süd 1', admittedAt: at(4) });
      const admission = await db((x) => x('ticket_admissions').where({ entry_list_id: listAll, ticket_id: a.ticketId }).first('first_gate', 'first_admitted_at'));
      expect(admission).toEqual({ first_gate: 'Nord 1', first_admitted_at: new Date(at(1)) });
      const conflicts = (await gate.request('GET', `/api/v1/entry-lists/${listAll}/conflicts`)).json as Array<Record<string, any>>;
      const forA = conflicts.filter((k) => k['ticketId'] === a.ticketId);
      expect(forA).toHaveLength(1);
      expect(forA[0]).toMatchObject({ kind: 'double_admission', first: { gate: 'Nord 1', scannedAt: at(1), offline: true, user: 'einlass.1' }, later: { gate: 'Süd 1', scannedAt: at(3), user: 'einlass.2' } });
      // Uploading the same batches again (after a lost answer) records nothing new.
      const again = await upload(gate2, s2);
      expect(again.json).toMatchObject({ received: 2, recorded: 0, replayed: 2, conflicts: 0 });
      expect(again.json.results.map((r: { checkInId: string }) => r.checkInId)).toEqual(up2.json.results.map((r: { checkInId: string }) => r.checkInId));
      // A code the server knows is voided, let in offline from a stale list: reported as such.
      await manager.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: nextBlank });
      const reprint = await manager.request('POST', `/api/v1/tickets/${c.ticketId}/reprint`, { reason: 'damaged' }, { 'idempotency-key': newKey() });
      nextBlank = Math.ceil((reprint.json.lastBlank as number) / 3) * 3 + 1;
      const stale = await upload(gate2, [{ nonce: nonce(), code: c.barcode, gate: 'Süd 1', scannedAt: at(9), shownVerdict: 'admitted' }]);
      expect(stale.json).toMatchObject({ conflicts: 1, results: [{ verdict: 'voided', conflict: true }] });
      const kinds = ((await gate.request('GET', `/api/v1/entry-lists/${listAll}/conflicts`)).json as Array<{ ticketId: string; kind: string }>).filter((k) => k.ticketId === c.ticketId).map((k) => k.kind);
      expect(kinds).toEqual(['admitted_offline_while_invalid']);
      // Bad uploads change nothing.
      const dup = nonce();
      expect((await upload(gate, [{ nonce: dup, code: '1', gate: 'A', scannedAt: at(1), shownVerdict: 'malformed' }, { nonce: dup, code: '2', gate: 'A', scannedAt: at(1), shownVerdict: 'malformed' }])).json.code).toBe('DUPLICATE_NONCE');
      const future = new Date(clock.now().getTime() + 3_600_000).toISOString();
      expect((await upload(gate, [{ nonce: nonce(), code: '1', gate: 'A', scannedAt: future, shownVerdict: 'malformed' }])).json.code).toBe('SCAN_TIME_IN_FUTURE');
      expect(await db((x) => x('check_ins').where({ nonce: dup }).first('id'))).toBeUndefined();
      expect(await db(async (x) => Number((await x('audit_log').where({ tenant_id: fx.promoterId, action: 'entry.offline_upload' }).count<Array<{ n: string }>>('* as n'))[0]!.n))).toBe(4);
    });

    it('keeps the station\'s order for offline scans of the same millisecond', async () => {
      const { tickets } = await soldAndPrinted(1);
      const code = tickets[0]!.barcode;
      const at = new Date(clock.now().getTime() - 60_000).toISOString();
      // The nonces sort the other way round than the station scanned: the server must not reorder by them.
      const scans = [
        { nonce: `z-${randomUUID()}`, code, gate: 'Ost 1', scannedAt: at, shownVerdict: 'admitted' },
        { nonce: `a-${randomUUID()}`, code, gate: 'Ost 1', scannedAt: at, shownVerdict: 'already_admitted' },
      ];
      const up = await gate.request('POST', `/api/v1/entry-lists/${listAll}/offline-scans`, { scans });
      expect(up.status, up.body).toBe(200);
      expect(up.json).toMatchObject({ recorded: 2, conflicts: 0 });
      expect(up.json.results.map((r: { verdict: string }) => r.verdict)).toEqual(['admitted', 'already_admitted']);
    });

    it('keeps check-ins append-only', async () => {
      await expect(db((a) => a('check_ins').update({ verdict: 'admitted' }))).rejects.toThrow(/append-only/);
      await expect(db((a) => a('check_ins').delete())).rejects.toThrow(/append-only/);
    });

    it('reports live figures per gate', async () => {
      const stats = await gate.request('GET', `/api/v1/entry-lists/${listAll}/stats`);
      expect(stats.status, stats.body).toBe(200);
      const admitted = await db(async (a) => Number((await a('ticket_admissions').where({ entry_list_id: listAll }).count<Array<{ n: string }>>('* as n'))[0]!.n));
      const expected = await db(async (a) => Number((await a('tickets').where({ event_id: fx.eventId, status: 'valid' }).count<Array<{ n: string }>>('* as n'))[0]!.n));
      expect({ ...stats.json, perGate: undefined }).toMatchObject({ entryListId: listAll, admitted, expected, inside: admitted });
      const perGate = Object.fromEntries((stats.json.perGate as Array<{ gate: string; admitted: number }>).map((g) => [g.gate, g.admitted]));
      // Gates count people let in: a double admission found offline counts twice there, once in admissions.
      const doubles = await db(async (a) => Number((await a('entry_conflicts').where({ entry_list_id: listAll, kind: 'double_admission' }).count<Array<{ n: string }>>('* as n'))[0]!.n));
      expect(doubles).toBe(1);
      expect(Object.values(perGate).reduce((x, y) => x + y, 0)).toBe(admitted + doubles);
      expect(stats.json.refused).toBeGreaterThan(0);
      expect((await clerk.request('GET', `/api/v1/entry-lists/${listAll}/stats`)).status).toBe(403);
    });

    if (backend === 'postgres') {
      it('admits 1,000 distinct tickets scanned by 8 gates at once exactly 1,000 times', async () => {
        const codes: string[] = [];
        for (let i = 0; i < 20; i += 1) codes.push(...(await soldAndPrinted(50)).tickets.map((t) => t.barcode));
        const gates = await Promise.all(
          Array.from({ length: 8 }, async (_, g) => {
            const ws = await server.registerWorkstation(fx.promoterId, `tor-${g}`);
            return loginAs(server, ws, await createUser(server, fx.promoterId, `einlass.g${g}`, ['entry.scan']));
          }),
        );
        const list = await createList({ name: 'Massenlauf' });
        // Each gate scans its eighth of the codes and, at the same time, its neighbour's: 2,000 scans, every
        // code at two gates, 1,000 admissions.
        const results = await Promise.all(
          gates.map(async (client, g) => {
            const verdicts: string[] = [];
            const order = codes.filter((_, i) => i % 8 === g || i % 8 === (g + 7) % 8);
            for (const code of order) {
              const res = await scan(code, { entryListId: list.json.id, gate: `Tor ${g}` }, client);
              verdicts.push(res.status === 200 ? (res.json.verdict as string) : `HTTP ${res.status}`);
            }
            return verdicts;
          }),
        );
        const all = results.flat();
        expect(all.filter((v) => v === 'admitted')).toHaveLength(1_000);
        expect(all.filter((v) => v === 'already_admitted')).toHaveLength(1_000);
        expect(await db(async (a) => Number((await a('ticket_admissions').where({ entry_list_id: list.json.id }).count<Array<{ n: string }>>('* as n'))[0]!.n))).toBe(1_000);
      }, 600_000);
    }
  });
}
