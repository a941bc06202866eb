import type { Knex } from 'knex';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidBarcode } from '../../../src/shared/barcode.js';
import { TicketFace } from '../../../src/shared/ticket-sheet/ticket-face.js';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient, type TestUser } from '../../support/identity.js';
import type { KeyPair } from '../../support/pki.js';
import { getBytes, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { pdfText } from '../../unit/server/pdf/pdf-text.js';

type Workstation = KeyPair & { id: string };

for (const backend of testBackends()) {
  describe(`ticket printing: blank stock, print jobs, confirmation, spoilage, reprints (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let fx: SalesFixture;
    let operator: ApiClient;
    let clerk: ApiClient;
    let clerkUser: TestUser;
    let clerk2: ApiClient;
    let manager: ApiClient;
    let managerWs: Workstation;
    let clerkB: ApiClient;
    let wsB: Workstation;
    let outletManager: ApiClient;
    let officeWs: Workstation;

    const db = <T>(fn: (admin: Knex) => Promise<T>) => server.tdb.asAdmin(fn);
    const blankStates = (tenantId: string) =>
      db(async (a) => {
        const rows = await a('blanks').where({ tenant_id: tenantId }).orderBy('number').select<Array<{ number: number; state: string }>>('number', 'state');
        return Object.fromEntries(rows.map((r) => [r.number, r.state]));
      });
    const printsOf = (ticketIds: string[]) =>
      db((a) => a('ticket_prints').whereIn('ticket_id', ticketIds).orderBy('blank_number').select<Array<{ id: string; ticket_id: string; blank_number: number; barcode: string; status: string; void_reason: string | null }>>('id', 'ticket_id', 'blank_number', 'barcode', 'status', 'void_reason'));
    const auditCount = (action: string) => db(async (a) => Number((await a('audit_log').where({ action }).count<Array<{ count: string }>>('* as count'))[0]?.count));
    const tray = async (client = clerk) => (await client.request('GET', '/api/v1/printing/tray')).json;
    const load = (n: number, client = clerk) => client.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: n });
    const confirm = (client: ApiClient, jobId: string, body: Record<string, unknown> = {}) => client.request('POST', `/api/v1/print-jobs/${jobId}/confirm`, body);
    const spoil = (client: ApiClient, jobId: string, body: Record<string, unknown>) => client.request('POST', `/api/v1/print-jobs/${jobId}/spoil`, body);
    const report = async (client = outletManager) => {
      const res = await client.request('GET', '/api/v1/stock/report');
      expect(res.status).toBe(200);
      return res.json;
    };
    const expectBalanced = (r: { totals: Record<string, number>; balanced: boolean }) => {
      const t = r.totals;
      expect(r.balanced).toBe(true);
      expect(t['inStock']! + t['pending']! + t['printed']! + t['spoiled']! + t['voided']!).toBe(t['registered']);
    };

    beforeAll(async () => {
      server = await startTestServer(backend, { clock, config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
      fx = await createSalesFixture(server, { sellers: [server.tenants.outlet, server.tenants.outletB] });
      const opWs = await server.registerWorkstation(server.tenants.operator, 'zentrale');
      operator = await loginAs(server, opWs, await createUser(server, server.tenants.operator, 'op.lager', ['stock.manage']));
      clerkUser = await createUser(server, server.tenants.outlet, 'kasse.a', ['sales.sell', 'sales.cancel', 'tickets.print']);
      clerk = await loginAs(server, server.workstation, clerkUser);
      await openTill(server, server.tenants.outlet, server.workstation.id, clerkUser.id);
      const ws2 = await server.registerWorkstation(server.tenants.outlet, 'kasse-2');
      const clerk2User = await createUser(server, server.tenants.outlet, 'kasse.a2', ['sales.sell', 'tickets.print']);
      clerk2 = await loginAs(server, ws2, clerk2User);
      await openTill(server, server.tenants.outlet, ws2.id, clerk2User.id);
      managerWs = await server.registerWorkstation(server.tenants.outlet, 'buero');
      manager = await loginAs(server, managerWs, await createUser(server, server.tenants.outlet, 'chefin', ['tickets.print', 'tickets.reprint']));
      officeWs = await server.registerWorkstation(server.tenants.outlet, 'lager');
      outletManager = await loginAs(server, officeWs, await createUser(server, server.tenants.outlet, 'lager.a', ['stock.manage']));
      wsB = await server.registerWorkstation(server.tenants.outletB, 'kasse-b');
      const clerkBUser = await createUser(server, server.tenants.outletB, 'kasse.b', ['sales.sell', 'tickets.print', 'stock.manage']);
      clerkB = await loginAs(server, wsB, clerkBUser);
      await openTill(server, server.tenants.outletB, wsB.id, clerkBUser.id);
    });
    afterAll(async () => {
      await server.close();
    });

    it('lets operator staff register whole-sheet batches for an outlet; bad ranges and overlaps write nothing', async () => {
      const register = (body: Record<string, unknown>, client = operator) => client.request('POST', '/api/v1/blank-batches', body);
      const own = await register({ outletId: server.tenants.outlet, firstNumber: 1, lastNumber: 30 }, outletManager);
      expect([own.status, own.json.code]).toEqual([403, 'OPERATOR_ONLY']);
      for (const [first, last] of [
        [1, 31],
        [2, 30],
        [1, 1],
        [1, 30_003],
      ]) {
        const res = await register({ outletId: server.tenants.outlet, firstNumber: first, lastNumber: last });
        expect([res.status, res.json.code], `${first}..${last}`).toEqual([400, 'BLANK_RANGE_INVALID']);
      }
      expect((await register({ outletId: server.tenants.outlet, firstNumber: 0, lastNumber: 3 })).json.code).toBe('VALIDATION_FAILED');
      const ok = await register({ outletId: server.tenants.outlet, firstNumber: 1, lastNumber: 60, note: 'Lieferung 12/2026' });
      expect(ok.status).toBe(201);
      expect(ok.json).toMatchObject({ outletId: server.tenants.outlet, firstNumber: 1, lastNumber: 60, sheets: 20, note: 'Lieferung 12/2026' });
      expect(ok.json.counts).toEqual({ registered: 60, inStock: 60, pending: 0, unresolved: 0, printed: 0, spoiled: 0, voided: 0 });
      // A blank number exists once on the platform, whichever outlet asks.
      const overlap = await register({ outletId: server.tenants.outletB, firstNumber: 25, lastNumber: 48 });
      expect([overlap.status, overlap.json.code]).toEqual([409, 'BLANK_RANGE_TAKEN']);
      expect((await register({ outletId: server.tenants.outletB, firstNumber: 301, lastNumber: 330 })).status).toBe(201);
      // Only outlets below the operator: not a promoter, not an unknown id.
      expect((await register({ outletId: fx.promoterId, firstNumber: 601, lastNumber: 603 })).status).toBe(404);
      expect((await register({ outletId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c', firstNumber: 601, lastNumber: 603 })).status).toBe(404);
      expect(await db(async (a) => Number((await a('blanks').count<Array<{ count: string }>>('* as count'))[0]?.count))).toBe(90);
      const audit = await db((a) => a('audit_log').where({ action: 'blank_batch.register', tenant_id: server.tenants.outlet }).select('details', 'actor_user_id'));
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toMatchObject({ firstNumber: 1, lastNumber: 60, blanks: 60 });
      // Operator staff name the outlet; outlet staff see their own stock only.
      expect((await operator.request('GET', '/api/v1/stock/report')).json.code).toBe('OUTLET_REQUIRED');
      expect((await operator.request('GET', `/api/v1/blank-batches?outletId=${server.tenants.outletB}`)).json.map((b: { firstNumber: number }) => b.firstNumber)).toEqual([301]);
      expect((await outletManager.request('GET', '/api/v1/blank-batches')).json.map((b: { firstNumber: number }) => b.firstNumber)).toEqual([1]);
      expect((await outletManager.request('GET', `/api/v1/blank-batches?outletId=${server.tenants.outletB}`)).status).toBe(404);
    });

    it("loads paper only from the outlet's own, unused stock", async () => {
      expect(await tray()).toMatchObject({ workstationId: server.workstation.id, nextBlankNumber: null, available: 0, reusePartialSheets: false });
      for (const n of [301, 999]) {
        const res = await load(n);
        expect([res.status, res.json.code], String(n)).toEqual([422, 'BLANK_NOT_IN_STOCK']);
      }
      const midSheet = await load(2);
      expect([midSheet.status, midSheet.json.code]).toEqual([409, 'SHEET_HAS_UNUSED_BLANKS']);
      expect((await load(1, clerkB)).json.code).toBe('BLANK_NOT_IN_STOCK');
      const ok = await load(1);
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ nextBlankNumber: 1, sheet: 1, position: 1, available: 60, voidedLeftovers: [] });
      expect(await auditCount('printing.tray_load')).toBe(1);
    });

    it('refuses to print an unpaid order and writes nothing; once paid, the same request prints', async () => {
      const sale = await clerk.request(
        'POST',
        '/api/v1/orders',
        {
          eventId: fx.eventId,
          channel: 'business',
          items: [{ categoryId: fx.gaCategoryId, quantity: 1 }],
          businessCustomer: { company: 'Muster GmbH', street: 'Hauptstr. 1', postalCode: '20095', city: 'Hamburg', country: 'DE' },
          payment: { method: 'invoice' },
        },
        { 'idempotency-key': newKey() },
      );
      expect(sale.json.status).toBe('unpaid');
      expect((await clerk.request('POST', `/api/v1/orders/${sale.json.id}/print-jobs`, {})).json.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      const key = newKey();
      const refused = await printJob(clerk, sale.json.id, {}, key);
      expect([refused.status, refused.json.code]).toEqual([409, 'ORDER_NOT_PAID']);
      expect(await db(async (a) => [Number((await a('print_jobs').count<Array<{ count: string }>>('* as count'))[0]?.count), Number((await a('ticket_prints').count<Array<{ count: string }>>('* as count'))[0]?.count)])).toEqual([0, 0]);
      expect(Object.values(await blankStates(server.tenants.outlet)).every((s) => s === 'in_stock')).toBe(true);
      expect((await tray()).nextBlankNumber).toBe(1);
      // The escrow payment arrives (booked by the invoicing module): the refused request was not stored, so it succeeds now.
      await db((a) => a('orders').where({ id: sale.json.id }).update({ status: 'paid', paid_at: clock.now() }));
      const printed = await printJob(clerk, sale.json.id, {}, key);
      expect(printed.status).toBe(201);
      expect(printed.json.tickets.map((t: { blankNumber: number }) => t.blankNumber)).toEqual([1]);
      expect((await confirm(clerk, printed.json.id)).json.prints[0].status).toBe('active');
      expect(await tray()).toMatchObject({ nextBlankNumber: 2, sheet: 1, position: 2 });
    });

    let counterOrder: { id: string; orderNumber: number; tickets: Array<{ id: string; seat: unknown }> };
    let counterJob: { id: string; tickets: Array<{ barcode: string; blankNumber: number; ticketId: string; printId: string }> };

    it('prints a paid order on a new sheet (voiding the rest of the partly used one), pending until confirmed, at most once per key', async () => {
      const sale = await clerk.request(
        'POST',
        '/api/v1/orders',
        {
          eventId: fx.eventId,
          channel: 'counter',
          customerName: 'Jürgen Groß',
          items: [{ categoryId: fx.gaCategoryId, quantity: 1 }],
          seats: [{ seatId: fx.seatIds[1] }, { seatId: fx.seatIds[0], variantId: fx.reducedVariantId }],
          payment: { method: 'cash', givenCents: 20_000 },
        },
        { 'idempotency-key': newKey() },
      );
      expect(sale.status).toBe(201);
      counterOrder = sale.json;
      const key = newKey();
      const res = await printJob(clerk, counterOrder.id, {}, key);
      expect(res.status).toBe(201);
      counterJob = res.json;
      // Blanks 2 and 3 were left on the partly used first sheet: voided; the job starts on sheet 2.
      expect(res.json).toMatchObject({ kind: 'print', orderId: counterOrder.id, orderNumber: counterOrder.orderNumber, workstationId: server.workstation.id, firstBlank: 4, lastBlank: 6, startPosition: 1, voidedLeftovers: [2, 3] });
      const faces = res.json.tickets as TicketFace[];
      for (const face of faces) {
        expect(Value.Check(TicketFace, face), JSON.stringify([...Value.Errors(TicketFace, face)])).toBe(true);
        expect(isValidBarcode(face.barcode)).toBe(true);
        expect(face).toMatchObject({
          eventName: 'Sommerkonzert',
          venueName: 'Stadthalle',
          venueCity: 'Hamburg',
          timeZone: 'Europe/Berlin',
          orderNumber: String(counterOrder.orderNumber),
          outletName: 'Outlet A',
          promoterName: 'Konzertbüro',
          printedAt: clock.now().toISOString(),
          reprintCount: 0,
          duplicate: false,
          vatRateBp: 700,
        });
      }
      expect(new Set(faces.map((f) => f.barcode)).size).toBe(3);
      // Seats in seat order, general admission last.
      expect(faces.map((f) => [f.blankNumber, f.seat, f.categoryName, f.variantName, f.priceCents])).toEqual([
        [4, { block: 'A', row: '1', seat: '1' }, 'Kat 1', 'Ermäßigt', 2500],
        [5, { block: 'A', row: '1', seat: '2' }, 'Kat 1', undefined, 5500],
        [6, null, 'Stehplatz', undefined, 3500],
      ]);
      expect(res.json.prints.every((p: { status: string }) => p.status === 'pending')).toBe(true);
      const states = await blankStates(server.tenants.outlet);
      expect([states[1], states[2], states[3], states[4], states[5], states[6], states[7]]).toEqual(['printed', 'voided', 'voided', 'issued', 'issued', 'issued', 'in_stock']);
      // Replays return the first result and create nothing; the key cannot be reused for something else.
      const replay = await printJob(clerk, counterOrder.id, {}, key);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json).toEqual(res.json);
      expect((await printJob(clerk, counterOrder.id, { ticketIds: [counterOrder.tickets[0]!.id] }, key)).json.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await auditCount('print_job.create')).toBe(2);
      // Nothing left to print; a pending ticket cannot be printed a second time.
      expect((await printJob(clerk, counterOrder.id)).json.code).toBe('NOTHING_TO_PRINT');
      expect((await printJob(clerk, counterOrder.id, { ticketIds: [counterOrder.tickets[0]!.id] })).json.code).toBe('PRINT_PENDING');
      // The station re-reads the job (e.g. after a restart) and gets the same faces.
      expect((await clerk.request('GET', `/api/v1/print-jobs/${counterJob.id}`)).json).toEqual(res.json);
      const confirmed = await confirm(clerk, counterJob.id);
      expect(confirmed.status).toBe(200);
      expect(confirmed.json.prints.map((p: { status: string }) => p.status)).toEqual(['active', 'active', 'active']);
      // Confirming again changes nothing (a station may retry).
      expect((await confirm(clerk, counterJob.id)).json).toEqual(confirmed.json);
      expect(await auditCount('print_job.confirm')).toBe(2);
      const after = await blankStates(server.tenants.outlet);
      expect([after[4], after[5], after[6]]).toEqual(['printed', 'printed', 'printed']);
      expect((await printJob(clerk, counterOrder.id, { ticketIds: [counterOrder.tickets[0]!.id] })).json.code).toBe('TICKET_ALREADY_PRINTED');
      expect((await tray()).nextBlankNumber).toBe(7);
    });

    it('never uses a blank twice, even when two stations were loaded with the same number', async () => {
      for (const n of [4, 2]) {
        const res = await load(n);
        expect([res.status, res.json.code], String(n)).toEqual([409, 'BLANK_ALREADY_USED']);
      }
      expect((await tray()).nextBlankNumber).toBe(7);
      // Kasse 2 is (wrongly) loaded with the paper kasse 1 holds, and prints first.
      expect((await load(7, clerk2)).status).toBe(200);
      const other = await sellGa(clerk2, fx.eventId, fx.gaCategoryId, 1);
      const job2 = await printJob(clerk2, other.id);
      expect(job2.json.firstBlank).toBe(7);
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
      const clash = await printJob(clerk, order.id);
      expect([clash.status, clash.json.code]).toEqual([409, 'BLANK_ALREADY_USED']);
      expect((await tray()).nextBlankNumber).toBe(7);
      expect(await printsOf([order.tickets[0]!.id])).toEqual([]);
      expect((await confirm(clerk2, job2.json.id)).status).toBe(200);
      // Kasse 1 continues on the next sheet; the order prints there.
      expect((await load(10)).status).toBe(200);
      const job = await printJob(clerk, order.id);
      expect(job.json.firstBlank).toBe(10);
      expect((await confirm(clerk, job.json.id)).status).toBe(200);
    });

    let failedJob: { id: string };
    let failedOrder: { id: string; tickets: Array<{ id: string }> };

    it('records spoiled blanks when the printer fails, keeps the stock balanced, and prints the tickets again on new blanks', async () => {
      failedOrder = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 3);
      const job = await printJob(clerk, failedOrder.id);
      failedJob = job.json;
      // Kasse 1 stood at blank 11, in the middle of sheet 4: the job starts on sheet 5.
      expect([job.json.firstBlank, job.json.lastBlank, job.json.voidedLeftovers]).toEqual([13, 15, [11, 12]]);
      const firstBarcodes = (job.json.tickets as TicketFace[]).map((t) => t.barcode);
      expect((await spoil(clerk, failedJob.id, { blankNumbers: [14], reason: 'other' })).json.code).toBe('NOTE_REQUIRED');
      expect((await spoil(clerk, failedJob.id, { blankNumbers: [16], reason: 'paper_jam' })).json.code).toBe('BLANK_NOT_IN_JOB');
      expect((await spoil(clerk, failedJob.id, { blankNumbers: [14], reason: 'smudge' })).json.code).toBe('VALIDATION_FAILED');
      const spoiled = await spoil(clerk, failedJob.id, { blankNumbers: [14, 15], reason: 'paper_jam' });
      expect(spoiled.status).toBe(200);
      expect(spoiled.json.prints.map((p: { status: string; voidReason: string | null }) => [p.status, p.voidReason])).toEqual([
        ['pending', null],
        ['void', 'spoiled'],
        ['void', 'spoiled'],
      ]);
      // Reporting the same failure again changes nothing.
      expect((await spoil(clerk, failedJob.id, { blankNumbers: [14], reason: 'paper_jam' })).json).toEqual(spoiled.json);
      expect(await auditCount('print_job.spoil')).toBe(1);
      expect((await confirm(clerk, failedJob.id, { blankNumbers: [14] })).json.code).toBe('PRINT_ALREADY_SPOILED');
      // The station confirms what the printer printed, blank by blank.
      expect((await confirm(clerk, failedJob.id, { blankNumbers: [13] })).json.prints.map((p: { status: string }) => p.status)).toEqual(['active', 'void', 'void']);
      expect((await spoil(clerk, failedJob.id, { blankNumbers: [13], reason: 'misprint' })).json.code).toBe('PRINT_ALREADY_CONFIRMED');
      const spoiledRows = await db((a) => a('blanks').whereIn('number', [14, 15]).orderBy('number').select('state', 'reason'));
      expect(spoiledRows).toEqual([
        { state: 'spoiled', reason: 'paper_jam' },
        { state: 'spoiled', reason: 'paper_jam' },
      ]);
      expectBalanced(await report());
      // The two tickets print again, on new blanks with new barcodes.
      const retry = await printJob(clerk, failedOrder.id);
      expect(retry.status).toBe(201);
      expect((retry.json.tickets as TicketFace[]).map((t) => [t.blankNumber, t.reprintCount, t.duplicate])).toEqual([
        [16, 0, false],
        [17, 0, false],
      ]);
      expect((retry.json.tickets as TicketFace[]).some((t) => firstBarcodes.includes(t.barcode))).toBe(false);
      expect((await confirm(clerk, retry.json.id)).status).toBe(200);
      const live = (await printsOf(failedOrder.tickets.map((t) => t.id))).filter((p) => p.status === 'active');
      expect(live.map((p) => p.blank_number)).toEqual([13, 16, 17]);
      const r = await report();
      expectBalanced(r);
      expect(r.spoiled.map((s: { blankNumber: number; reason: string }) => [s.blankNumber, s.reason])).toEqual([
        [14, 'paper_jam'],
        [15, 'paper_jam'],
      ]);
    });

    it('leaves the prints of a job the station never confirmed pending, flags them unresolved, never active', async () => {
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
      const job = await printJob(clerk, order.id);
      // The retry ended on the sheet's second blank: the third (18) is voided, the job starts on sheet 7.
      expect([job.json.firstBlank, job.json.voidedLeftovers]).toEqual([19, [18]]);
      // The station crashes here: neither confirm nor spoil arrives.
      let r = await report();
      expect([r.totals.pending, r.totals.unresolved]).toEqual([1, 0]);
      expect(r.pendingJobs).toEqual([expect.objectContaining({ printJobId: job.json.id, unresolved: false, pendingBlanks: [19], workstation: { id: server.workstation.id, name: 'kasse-1' } })]);
      clock.advance(16 * 60_000);
      r = await report();
      expect([r.totals.pending, r.totals.unresolved]).toEqual([1, 1]);
      expect(r.pendingJobs[0]).toMatchObject({ printJobId: job.json.id, unresolved: true, orderNumber: order.orderNumber, createdBy: { login: 'kasse.a' } });
      expectBalanced(r);
      const pending = await clerk.request('GET', '/api/v1/print-jobs/pending');
      expect(pending.json.map((j: { printJobId: string; unresolved: boolean }) => [j.printJobId, j.unresolved])).toEqual([[job.json.id, true]]);
      const history = await clerk.request('GET', `/api/v1/orders/${order.id}/prints`);
      expect(history.json.map((p: { status: string; blankNumber: number }) => [p.status, p.blankNumber])).toEqual([['pending', 19]]);
      const pdf = await getBytes(server, outletManager, officeWs, '/api/v1/stock/report.pdf');
      expect(pdfText(pdf.body).text).toContain('ungeklärt');
      // The clerk resolves it: the sheet came out fine.
      expect((await confirm(clerk, job.json.id)).json.prints[0].status).toBe('active');
      r = await report();
      expect([r.totals.pending, r.totals.unresolved, r.pendingJobs.length]).toEqual([0, 0, 0]);
    });

    it('reprints: voids the old barcode and issues a new one on a new blank in one transaction', async () => {
      const target = counterJob.tickets[0]!;
      const body = { reason: 'damaged' };
      const forbidden = await clerk.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, body, { 'idempotency-key': newKey() });
      expect([forbidden.status, forbidden.json.code]).toEqual([403, 'FORBIDDEN']);
      // No paper in the manager's tray: refused, and the old print stays active (nothing was voided).
      const noPaper = await manager.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, body, { 'idempotency-key': newKey() });
      expect([noPaper.status, noPaper.json.code]).toEqual([409, 'TRAY_NOT_LOADED']);
      expect((await printsOf([target.ticketId])).map((p) => p.status)).toEqual(['active']);
      expect((await manager.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, { reason: 'other' }, { 'idempotency-key': newKey() })).json.code).toBe('NOTE_REQUIRED');
      expect((await load(28, manager)).status).toBe(200);
      const key = newKey();
      const res = await manager.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, body, { 'idempotency-key': key });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ kind: 'reprint', orderId: counterOrder.id, firstBlank: 28, lastBlank: 28, workstationId: managerWs.id });
      const face = res.json.tickets[0] as TicketFace;
      expect(face).toMatchObject({ ticketId: target.ticketId, blankNumber: 28, reprintCount: 1, duplicate: true, seat: { block: 'A', row: '1', seat: '1' } });
      expect(face.barcode).not.toBe(target.barcode);
      const prints = await printsOf([target.ticketId]);
      expect(prints.map((p) => [p.blank_number, p.status, p.void_reason])).toEqual([
        [4, 'void', 'reprinted'],
        [28, 'pending', null],
      ]);
      // The old barcode admits nobody any more: no live print carries it.
      expect(await db((a) => a('ticket_prints').where({ barcode: target.barcode }).whereIn('status', ['pending', 'active']).first('id'))).toBeUndefined();
      const replay = await manager.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, body, { 'idempotency-key': key });
      expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([201, 'true']);
      expect(replay.json).toEqual(res.json);
      expect((await manager.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, body, { 'idempotency-key': newKey() })).json.code).toBe('PRINT_PENDING');
      expect((await confirm(manager, res.json.id)).json.prints[0].status).toBe('active');
      const audit = await db((a) => a('audit_log').where({ action: 'ticket.reprint', entity_id: target.ticketId }).select('details', 'workstation_id'));
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toMatchObject({ voidedPrintId: target.printId, voidedBlank: 4, printId: face.printId, blank: 28, reason: 'damaged', admitted: false });
      expect(audit[0].workstation_id).toBe(managerWs.id);
      // The order's reprints: who, when, where, why.
      const list = await clerk.request('GET', `/api/v1/orders/${counterOrder.id}/reprints`);
      expect(list.json).toEqual([
        expect.objectContaining({
          printId: face.printId,
          ticketId: target.ticketId,
          blankNumber: 28,
          status: 'active',
          issuedAt: clock.now().toISOString(),
          issuedBy: expect.objectContaining({ login: 'chefin' }),
          workstation: { id: managerWs.id, name: 'buero' },
          reprint: { previousPrintId: target.printId, previousBlankNumber: 4, reason: 'damaged', note: null },
        }),
      ]);
      expect((await clerk.request('GET', `/api/v1/orders/${counterOrder.id}/prints`)).json).toHaveLength(4);
    });

    it('reprints a ticket already used for admission only with tickets.reprint_admitted', async () => {
      const target = counterJob.tickets[1]!;
      await db((a) => a('tickets').where({ id: target.ticketId }).update({ admitted_at: clock.now() }));
      const refused = await manager.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, { reason: 'lost' }, { 'idempotency-key': newKey() });
      expect([refused.status, refused.json.code]).toEqual([403, 'TICKET_ALREADY_USED']);
      expect((await printsOf([target.ticketId])).map((p) => p.status)).toEqual(['active']);
      const supervisor = await loginAs(server, managerWs, await createUser(server, server.tenants.outlet, 'leitung', ['tickets.print', 'tickets.reprint', 'tickets.reprint_admitted']));
      expect((await load(31, supervisor)).status).toBe(200);
      const ok = await supervisor.request('POST', `/api/v1/tickets/${target.ticketId}/reprint`, { reason: 'other', note: 'Kunde hat Ticket nach Einlass verloren' }, { 'idempotency-key': newKey() });
      expect(ok.status).toBe(201);
      expect((await confirm(supervisor, ok.json.id)).status).toBe(200);
      const audit = await db((a) => a('audit_log').where({ action: 'ticket.reprint', entity_id: target.ticketId }).first('details'));
      expect(audit.details).toMatchObject({ admitted: true, reason: 'other', note: 'Kunde hat Ticket nach Einlass verloren' });
    });

    it('voids the prints of cancelled tickets in the cancellation transaction', async () => {
      const cancelTicket = failedOrder.tickets[0]!.id;
      const [active] = (await printsOf([cancelTicket])).filter((p) => p.status === 'active');
      expect(active).toBeDefined();
      const res = await clerk.request('POST', `/api/v1/orders/${failedOrder.id}/cancel`, { ticketIds: [cancelTicket], reason: 'Kunde verhindert' }, { 'idempotency-key': newKey() });
      expect(res.status).toBe(200);
      expect((await printsOf([cancelTicket])).filter((p) => p.status !== 'void')).toEqual([]);
      expect((await printsOf([cancelTicket])).find((p) => p.id === active!.id)?.void_reason).toBe('cancelled');
      const audit = await db((a) => a('audit_log').where({ action: 'order.cancel', entity_id: failedOrder.id }).first('details'));
      expect(audit.details.voidedPrintIds).toEqual([active!.id]);
      expect((await manager.request('POST', `/api/v1/tickets/${cancelTicket}/reprint`, { reason: 'lost' }, { 'idempotency-key': newKey() })).json.code).toBe('TICKET_NOT_PRINTABLE');
      expect((await printJob(clerk, failedOrder.id, { ticketIds: [cancelTicket] })).json.code).toBe('TICKET_NOT_PRINTABLE');

      // A job still pending when its order is cancelled: the prints die at once, the paper is still accounted for.
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 2);
      const job = await printJob(clerk, order.id);
      const cancelled = await clerk.request('POST', `/api/v1/orders/${order.id}/cancel`, { reason: 'Fehlbuchung' }, { 'idempotency-key': newKey() });
      expect(cancelled.json.status).toBe('cancelled');
      expect((await printsOf(order.tickets.map((t) => t.id))).map((p) => [p.status, p.void_reason])).toEqual([
        ['void', 'cancelled'],
        ['void', 'cancelled'],
      ]);
      expect((await printJob(clerk, order.id)).json.code).toBe('ORDER_CANCELLED');
      const confirmed = await confirm(clerk, job.json.id);
      expect(confirmed.json.prints.map((p: { status: string }) => p.status)).toEqual(['void', 'void']);
      const states = await blankStates(server.tenants.outlet);
      expect([states[job.json.firstBlank], states[job.json.lastBlank]]).toEqual(['printed', 'printed']);
      expectBalanced(await report());
    });

    it("keeps each outlet's stock, jobs and prints to itself", async () => {
      expect((await clerkB.request('GET', `/api/v1/print-jobs/${counterJob.id}`)).status).toBe(404);
      expect((await printJob(clerkB, counterOrder.id)).status).toBe(404);
      expect((await clerkB.request('GET', `/api/v1/orders/${counterOrder.id}/prints`)).status).toBe(404);
      expect((await confirm(clerkB, counterJob.id)).status).toBe(404);
      expect((await spoil(clerkB, counterJob.id, { blankNumbers: [4], reason: 'misprint' })).status).toBe(404);
      expect((await clerkB.request('GET', '/api/v1/print-jobs/pending')).json).toEqual([]);
      const rB = await report(clerkB);
      expect(rB.outlet).toEqual({ id: server.tenants.outletB, name: 'Outlet B' });
      expect(rB.batches.map((b: { firstNumber: number }) => b.firstNumber)).toEqual([301]);
      expect(rB.totals).toMatchObject({ registered: 30, inStock: 30 });
      // Outlet B prints its own order on its own paper.
      expect((await load(301, clerkB)).status).toBe(200);
      const order = await sellGa(clerkB, fx.eventId, fx.gaCategoryId, 1);
      const job = await printJob(clerkB, order.id);
      expect(job.json.tickets[0]).toMatchObject({ blankNumber: 301, outletName: 'Outlet B', promoterName: 'Konzertbüro' });
      // The operator reads both outlets' reports.
      const opB = await operator.request('GET', `/api/v1/stock/report?outletId=${server.tenants.outletB}`);
      expect(opB.json.totals).toMatchObject({ registered: 30, pending: 1, inStock: 29 });
      expect(opB.json.pendingJobs[0].printJobId).toBe(job.json.id);
      // The setting of another outlet's workstation cannot be changed.
      expect((await outletManager.request('PUT', `/api/v1/printing/workstations/${wsB.id}/settings`, { reusePartialSheets: true })).status).toBe(404);
    });

    it('feeds a partly used sheet again only where the workstation allows it', async () => {
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
      const first = await printJob(clerk, order.id);
      await confirm(clerk, first.json.id);
      const pos = (await tray()) as { nextBlankNumber: number; position: number };
      expect(pos.position).toBeGreaterThan(1);
      const reload = await load(pos.nextBlankNumber);
      expect([reload.status, reload.json.code]).toEqual([409, 'PARTIAL_SHEET_NOT_ALLOWED']);
      const set = await outletManager.request('PUT', `/api/v1/printing/workstations/${server.workstation.id}/settings`, { reusePartialSheets: true });
      expect(set.json).toMatchObject({ workstationId: server.workstation.id, reusePartialSheets: true, nextBlankNumber: pos.nextBlankNumber });
      expect(await auditCount('printing.settings')).toBe(1);
      const second = await printJob(clerk, (await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1)).id);
      expect([second.json.firstBlank, second.json.startPosition, second.json.voidedLeftovers]).toEqual([pos.nextBlankNumber, pos.position, []]);
      await confirm(clerk, second.json.id);
      expectBalanced(await report());
    });

    it('reports the stock per batch as JSON and PDF, balancing to the registered total', async () => {
      const r = await report();
      expectBalanced(r);
      const byState = await db(async (a) =>
        Object.fromEntries(
          (await a('blanks').where({ tenant_id: server.tenants.outlet }).groupBy('state').select('state', a.raw('count(*)::int AS n'))).map((row: { state: string; n: number }) => [row.state, row.n]),
        ),
      );
      expect(r.totals).toEqual({
        registered: 60,
        inStock: byState['in_stock'] ?? 0,
        pending: byState['issued'] ?? 0,
        unresolved: 0,
        printed: byState['printed'] ?? 0,
        spoiled: byState['spoiled'] ?? 0,
        voided: byState['voided'] ?? 0,
      });
      expect(r.totals.spoiled).toBe(2);
      const pdf = await getBytes(server, outletManager, officeWs, '/api/v1/stock/report.pdf');
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const { text } = pdfText(pdf.body);
      expect(text).toContain('Blankobestand');
      expect(text).toContain('Outlet A');
      expect(text).toContain('1–60');
      expect(text).toContain('paper_jam');
      expect(text).toContain('ausgeglichen');
      // A blank row the batch does not account for (tampering outside the application) unbalances the report.
      await db(async (a) => {
        const batch = await a('blank_batches').where({ tenant_id: server.tenants.outlet }).first('id');
        await a('blanks').insert({ number: 61, tenant_id: server.tenants.outlet, batch_id: batch.id });
      });
      expect((await report()).balanced).toBe(false);
    });
  });
}
