import { createHash } from 'node:crypto';
import https from 'node:https';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { yearIn } from '../../../server/src/pdf/format.js';
import { findOpenTillSession } from '../../../server/src/modules/till/open-till.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient, type TestUser } from '../../support/identity.js';
import type { KeyPair } from '../../support/pki.js';
import { createSalesFixture, newKey, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { pdfText } from '../../unit/server/pdf/pdf-text.js';

type Workstation = KeyPair & { id: string };
interface Clerk {
  user: TestUser;
  ws: Workstation;
  api: ApiClient;
  tenantId: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

for (const backend of testBackends()) {
  describe(`till: open, interim report, blind-count closing (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let fx: SalesFixture;
    let clerk: Clerk;
    let clerk2: Clerk;
    let manager: ApiClient;
    let managerWs: Workstation;
    let nobody: ApiClient;
    const closings: Record<string, { id: string; body: any }> = {};

    const newClerk = async (tenantId: string, login: string, wsName: string): Promise<Clerk> => {
      const user = await createUser(server, tenantId, login, ['sales.sell']);
      const ws = await server.registerWorkstation(tenantId, wsName);
      return { user, ws, api: await loginAs(server, ws, user), tenantId };
    };

    /** A paid counter order with its payment, inserted as the owner (the sales API has its own tests). */
    const sale = (c: Clerk, tillSessionId: string, method: 'cash' | 'card', amountCents: number, tickets: number) =>
      server.tdb.asAdmin(async (db: Knex) => {
        const now = clock.now();
        const [order] = await db('orders')
          .insert({ tenant_id: c.tenantId, promoter_id: fx.promoterId, event_id: fx.eventId, channel: 'counter', status: 'paid', total_cents: amountCents, paid_at: now, created_at: now, created_by: c.user.id, workstation_id: c.ws.id })
          .returning('id');
        await db('tickets').insert(
          Array.from({ length: tickets }, () => ({ tenant_id: c.tenantId, promoter_id: fx.promoterId, order_id: order.id, event_id: fx.eventId, category_id: fx.gaCategoryId, price_cents: amountCents / tickets, vat_rate_bp: 700, created_at: now })),
        );
        await db('payments').insert({
          tenant_id: c.tenantId,
          order_id: order.id,
          method,
          amount_cents: amountCents,
          given_cents: method === 'cash' ? amountCents : null,
          change_cents: method === 'cash' ? 0 : null,
          card_reference: method === 'card' ? 'EC-4711' : null,
          till_session_id: tillSessionId,
          booked_by: c.user.id,
          workstation_id: c.ws.id,
          created_at: now,
        });
        return order.id as string;
      });
    const refund = (c: Clerk, tillSessionId: string, orderId: string, method: 'cash' | 'card', amountCents: number) =>
      server.tdb.asAdmin((db: Knex) =>
        db('payments').insert({
          tenant_id: c.tenantId,
          order_id: orderId,
          method,
          amount_cents: -amountCents,
          card_reference: method === 'card' ? 'EC-4711' : null,
          till_session_id: tillSessionId,
          booked_by: c.user.id,
          workstation_id: c.ws.id,
          created_at: clock.now(),
        }),
      );
    const session = (id: string) => server.tdb.asAdmin((db: Knex) => db('till_sessions').where({ id }).first());
    const counter = (tenantId: string) => server.tdb.asAdmin(async (db: Knex) => (await db('till_counters').where({ tenant_id: tenantId }).first('next_number'))?.next_number as number | undefined);
    const audits = (action: string, entityId: string) => server.tdb.asAdmin((db: Knex) => db('audit_log').where({ action, entity_id: entityId }).select('details', 'actor_user_id', 'workstation_id'));
    const label = (body: any, n: number) => `Z-${yearIn(new Date(body.closing.closedAt), 'Europe/Berlin')}-${n}`;

    /** The raw bytes of a GET (the shared helper decodes bodies as UTF-8). */
    const getBytes = (client: ApiClient, ws: Workstation, path: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const req = https.request(
          { host: '127.0.0.1', servername: 'localhost', port: server.port, path, method: 'GET', ca: server.pki.ca.certPem, cert: ws.certPem, key: ws.keyPem, agent: false, headers: { authorization: `Bearer ${client.token}` } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
        req.end();
      });

    beforeAll(async () => {
      server = await startTestServer(backend, { clock, config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
      fx = await createSalesFixture(server, { sellers: [server.tenants.outlet, server.tenants.outletB] });
      const user = await createUser(server, server.tenants.outlet, 'kasse.a', ['sales.sell']);
      clerk = { user, ws: server.workstation, api: await loginAs(server, server.workstation, user), tenantId: server.tenants.outlet };
      clerk2 = await newClerk(server.tenants.outlet, 'kasse.b', 'kasse-2');
      managerWs = await server.registerWorkstation(server.tenants.outlet, 'buero');
      manager = await loginAs(server, managerWs, await createUser(server, server.tenants.outlet, 'chefin', ['reports.view']));
      const wsOther = await server.registerWorkstation(server.tenants.outlet, 'lager');
      nobody = await loginAs(server, wsOther, await createUser(server, server.tenants.outlet, 'aushilfe', []));
    });
    afterAll(async () => {
      await server.close();
    });

    it('has no till before it is opened, and only clerks with sales.sell may open one', async () => {
      const current = await clerk.api.request('GET', '/api/v1/till/current');
      expect(current.status).toBe(404);
      expect(current.json.code).toBe('TILL_NOT_OPEN');
      const close = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 0 });
      expect(close.status).toBe(404);
      expect(close.json.code).toBe('TILL_NOT_OPEN');
      for (const client of [manager, nobody]) {
        const res = await client.request('POST', '/api/v1/till/open', { openingFloatCents: 100 });
        expect(res.status).toBe(403);
        expect(res.json.code).toBe('FORBIDDEN');
      }
      for (const body of [{ openingFloatCents: -1 }, { openingFloatCents: 1.5 }, { openingFloatCents: 100, extra: true }]) {
        const res = await clerk.api.request('POST', '/api/v1/till/open', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.code).toBe('VALIDATION_FAILED');
      }
    });

    it('opens the till of this workstation and user with the entered float, once, audited', async () => {
      const res = await clerk.api.request('POST', '/api/v1/till/open', { openingFloatCents: 15_000 });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        kind: 'X',
        outlet: { id: server.tenants.outlet, name: 'Outlet A' },
        workstation: { id: server.workstation.id, name: 'kasse-1' },
        user: { id: clerk.user.id, login: 'kasse.a' },
        openedAt: clock.now().toISOString(),
        closing: null,
        pdfSha256: null,
        totals: { openingFloatCents: 15_000, cashSalesCents: 0, netCashCents: 0, cardSalesCents: 0, orderCount: 0, ticketCount: 0, refundCount: 0, expectedCashCents: 15_000 },
      });
      closings['a1'] = { id: res.json.tillSessionId, body: undefined };
      const again = await clerk.api.request('POST', '/api/v1/till/open', { openingFloatCents: 100 });
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('TILL_ALREADY_OPEN');
      expect(await audits('till.open', res.json.tillSessionId)).toEqual([
        { details: { openingFloatCents: 15_000, floatSource: 'entered' }, actor_user_id: clerk.user.id, workstation_id: server.workstation.id },
      ]);
    });

    it('X report: totals are the sums of exactly this till’s payments, refunds negative', async () => {
      const till = closings['a1']!.id;
      clock.advance(60_000);
      // clerk2's till on another workstation: its payments must not leak into clerk's report.
      const other = await clerk2.api.request('POST', '/api/v1/till/open', {});
      expect(other.status).toBe(201);
      expect(other.json.totals.openingFloatCents).toBe(0);
      closings['b1'] = { id: other.json.tillSessionId, body: undefined };
      expect(await audits('till.open', other.json.tillSessionId)).toMatchObject([{ details: { openingFloatCents: 0, floatSource: 'none' } }]);

      await sale(clerk, till, 'cash', 7000, 2);
      const cardOrder = await sale(clerk, till, 'card', 5500, 1);
      const cashOrder = await sale(clerk, till, 'cash', 3500, 1);
      await refund(clerk, till, cashOrder, 'cash', 3500);
      await refund(clerk, till, cardOrder, 'card', 2500);
      await sale(clerk2, closings['b1'].id, 'cash', 9900, 3);
      // An escrow transfer is not till money.
      await server.tdb.asAdmin(async (db: Knex) => {
        const now = clock.now();
        const [order] = await db('orders')
          .insert({ tenant_id: clerk.tenantId, promoter_id: fx.promoterId, event_id: fx.eventId, channel: 'business', status: 'paid', business_customer: JSON.stringify({ company: 'Firma' }), total_cents: 1000, paid_at: now, created_at: now, created_by: clerk.user.id, workstation_id: clerk.ws.id })
          .returning('id');
        await db('payments').insert({ tenant_id: clerk.tenantId, order_id: order.id, method: 'escrow_transfer', amount_cents: 1000, booked_by: clerk.user.id, created_at: now });
      });

      const res = await clerk.api.request('GET', '/api/v1/till/current');
      expect(res.status).toBe(200);
      const expected = {
        openingFloatCents: 15_000,
        cashSalesCents: 10_500,
        cashRefundsCents: -3_500,
        netCashCents: 7_000,
        cardSalesCents: 5_500,
        cardRefundsCents: -2_500,
        netCardCents: 3_000,
        orderCount: 3,
        ticketCount: 4,
        refundCount: 2,
        expectedCashCents: 22_000,
      };
      expect(res.json.totals).toEqual(expected);
      expect(res.json).toMatchObject({ kind: 'X', tillSessionId: till, createdAt: clock.now().toISOString(), closing: null });
      // The same figures straight from the payment rows.
      const rows = await server.tdb.asAdmin((db: Knex) => db('payments').where({ till_session_id: till }).select('method', 'amount_cents'));
      const sum = (method: string, sign: 1 | -1) => rows.filter((p) => p.method === method && Math.sign(p.amount_cents) === sign).reduce((s, p) => s + p.amount_cents, 0);
      expect(res.json.totals.cashSalesCents + res.json.totals.cashRefundsCents).toBe(sum('cash', 1) + sum('cash', -1));
      expect(res.json.totals.cardSalesCents).toBe(sum('card', 1));
      expect(res.json.totals.cardRefundsCents).toBe(sum('card', -1));
      expect(res.json.totals.expectedCashCents).toBe(15_000 + rows.filter((p) => p.method === 'cash').reduce((s, p) => s + p.amount_cents, 0));
      const second = await clerk2.api.request('GET', '/api/v1/till/current');
      expect(second.json.totals).toMatchObject({ cashSalesCents: 9_900, orderCount: 1, ticketCount: 3, expectedCashCents: 9_900 });
    });

    it('blind count: a difference without a reason is refused without telling the amount, and changes nothing', async () => {
      const till = closings['a1']!.id;
      clock.advance(60_000);
      const auditBefore = await server.tdb.asAdmin(async (db: Knex) => Number((await db('audit_log').count('* as n').first())?.n));
      for (const differenceReason of [undefined, '', 'ab', '  x  ']) {
        const res = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 21_950, ...(differenceReason === undefined ? {} : { differenceReason }) });
        expect(res.status, String(differenceReason)).toBe(422);
        expect(res.json.code).toBe('DIFFERENCE_REASON_REQUIRED');
        // Blind: the refusal names neither the expected amount nor the difference.
        expect(Object.keys(res.json).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
        expect(res.json.detail).not.toMatch(/\d{2,}|€/);
      }
      for (const body of [{}, { countedCashCents: -1 }, { countedCashCents: 10.5 }, { countedCashCents: 100, differenceReason: 'x'.repeat(501) }]) {
        const res = await clerk.api.request('POST', '/api/v1/till/close', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      expect(await session(till)).toMatchObject({ closed_at: null, closing_number: null, report: null, report_pdf: null });
      expect(await counter(server.tenants.outlet)).toBeUndefined();
      const auditAfter = await server.tdb.asAdmin(async (db: Knex) => Number((await db('audit_log').count('* as n').first())?.n));
      expect(auditAfter).toBe(auditBefore);
      expect((await clerk.api.request('GET', '/api/v1/till/current')).status).toBe(200);
    });

    it('closes with the exact count: numbered Z report, stored with its PDF, audited; the till is then closed', async () => {
      const till = closings['a1']!.id;
      const res = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 22_000 });
      expect(res.status).toBe(200);
      const closedAt = clock.now().toISOString();
      expect(res.json).toMatchObject({
        kind: 'Z',
        tillSessionId: till,
        createdAt: closedAt,
        totals: { expectedCashCents: 22_000, netCashCents: 7_000, netCardCents: 3_000 },
        closing: { number: 1, closedAt, countedCashCents: 22_000, differenceCents: 0, differenceReason: null },
      });
      expect(res.json.closing.label).toBe(label(res.json, 1));
      expect(res.json.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
      closings['a1'] = { id: till, body: res.json };

      const row = await session(till);
      expect(row).toMatchObject({ closing_number: 1, counted_cash_cents: 22_000, expected_cash_cents: 22_000, difference_cents: 0, difference_reason: null, report_sha256: res.json.pdfSha256 });
      expect(row.closed_at).toEqual(new Date(closedAt));
      const { pdfSha256, ...stored } = res.json;
      expect(row.report).toEqual(stored);
      expect(sha256(row.report_pdf)).toBe(pdfSha256);
      expect(await counter(server.tenants.outlet)).toBe(2);
      expect(await audits('till.close', till)).toEqual([
        {
          details: { closingNumber: 1, closingLabel: res.json.closing.label, countedCashCents: 22_000, expectedCashCents: 22_000, differenceCents: 0, differenceReason: null, pdfSha256 },
          actor_user_id: clerk.user.id,
          workstation_id: server.workstation.id,
        },
      ]);

      const current = await clerk.api.request('GET', '/api/v1/till/current');
      expect(current.status).toBe(404);
      expect(current.json.code).toBe('TILL_NOT_OPEN');
      const again = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 22_000 });
      expect(again.json.code).toBe('TILL_NOT_OPEN');
    });

    it('refuses any payment into a closed till, and the sales lookup no longer finds it', async () => {
      const till = closings['a1']!.id;
      const order = await server.tdb.asAdmin((db: Knex) => db('payments').where({ till_session_id: till }).first('order_id'));
      await expect(refund(clerk, till, order.order_id, 'cash', 100)).rejects.toThrow(/is closed/);
      const found = await inTenant(server.tdb.db.knex, { tenantId: clerk.tenantId }, (trx) => findOpenTillSession(trx, { workstationId: clerk.ws.id, userId: clerk.user.id }));
      expect(found).toBeUndefined();
      const open = await inTenant(server.tdb.db.knex, { tenantId: clerk.tenantId }, (trx) => findOpenTillSession(trx, { workstationId: clerk2.ws.id, userId: clerk2.user.id }));
      expect(open).toEqual({ id: closings['b1']!.id });
      // Another outlet's scope does not see it.
      const foreign = await inTenant(server.tdb.db.knex, { tenantId: server.tenants.outletB }, (trx) => findOpenTillSession(trx, { workstationId: clerk2.ws.id, userId: clerk2.user.id }));
      expect(foreign).toBeUndefined();
    });

    it('opens the next shift with the last closing’s counted cash as float; a difference with a reason is kept', async () => {
      clock.advance(3600_000);
      const res = await clerk.api.request('POST', '/api/v1/till/open', {});
      expect(res.status).toBe(201);
      expect(res.json.totals).toMatchObject({ openingFloatCents: 22_000, expectedCashCents: 22_000, orderCount: 0 });
      const till = res.json.tillSessionId as string;
      expect(till).not.toBe(closings['a1']!.id);
      expect(await audits('till.open', till)).toMatchObject([{ details: { openingFloatCents: 22_000, floatSource: 'last_closing' } }]);
      await sale(clerk, till, 'cash', 1000, 1);
      clock.advance(60_000);
      const close = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 23_050, differenceReason: '  Trinkgeld in der Kasse gelassen  ' });
      expect(close.status).toBe(200);
      expect(close.json.closing).toMatchObject({ number: 2, countedCashCents: 23_050, differenceCents: 50, differenceReason: 'Trinkgeld in der Kasse gelassen' });
      expect(close.json.totals.expectedCashCents).toBe(23_000);
      closings['a2'] = { id: till, body: close.json };
      // A shortage works the same way.
      clock.advance(60_000);
      const third = await clerk.api.request('POST', '/api/v1/till/open', {});
      expect(third.json.totals.openingFloatCents).toBe(23_050);
      closings['a3'] = { id: third.json.tillSessionId, body: undefined };
    });

    it('numbers closings 1, 2, 3 … per outlet, separately for each outlet', async () => {
      clock.advance(60_000);
      const b = await clerk2.api.request('POST', '/api/v1/till/close', { countedCashCents: 9_800, differenceReason: 'Fehlbetrag, Kunde hat 1 € zu wenig gegeben' });
      expect(b.status).toBe(200);
      expect(b.json.closing).toMatchObject({ number: 3, differenceCents: -100 });
      expect(b.json.closing.label).toBe(label(b.json, 3));
      closings['b1'] = { id: closings['b1']!.id, body: b.json };

      const clerkB = await newClerk(server.tenants.outletB, 'kasse.ost', 'kasse-ost');
      const open = await clerkB.api.request('POST', '/api/v1/till/open', { openingFloatCents: 5_000 });
      expect(open.json.outlet).toEqual({ id: server.tenants.outletB, name: 'Outlet B' });
      await sale(clerkB, open.json.tillSessionId, 'card', 4_000, 1);
      const closeB = await clerkB.api.request('POST', '/api/v1/till/close', { countedCashCents: 5_000 });
      expect(closeB.status).toBe(200);
      expect(closeB.json.closing.number).toBe(1);
      expect(closeB.json.totals).toMatchObject({ netCardCents: 4_000, expectedCashCents: 5_000 });
      closings['outletB'] = { id: open.json.tillSessionId, body: closeB.json };

      const list = await manager.request('GET', '/api/v1/till/closings');
      expect(list.status).toBe(200);
      expect(list.json.map((c: { closingNumber: number }) => c.closingNumber)).toEqual([3, 2, 1]);
      expect(list.json[1]).toEqual({
        tillSessionId: closings['a2']!.id,
        closingNumber: 2,
        closingLabel: closings['a2']!.body.closing.label,
        openedAt: closings['a2']!.body.openedAt,
        closedAt: closings['a2']!.body.closing.closedAt,
        workstation: { id: server.workstation.id, name: 'kasse-1' },
        user: { id: clerk.user.id, login: 'kasse.a', displayName: 'kasse.a' },
        openingFloatCents: 22_000,
        expectedCashCents: 23_000,
        countedCashCents: 23_050,
        differenceCents: 50,
        differenceReason: 'Trinkgeld in der Kasse gelassen',
        pdfSha256: closings['a2']!.body.pdfSha256,
      });
      expect(list.body).not.toContain(closings['outletB'].id);
      const page = await manager.request('GET', '/api/v1/till/closings?limit=1&beforeNumber=3');
      expect(page.json.map((c: { closingNumber: number }) => c.closingNumber)).toEqual([2]);
      const listB = await clerkB.api.request('GET', '/api/v1/till/closings');
      expect(listB.json.map((c: { tillSessionId: string }) => c.tillSessionId)).toEqual([closings['outletB'].id]);
    });

    it('lets a clerk read own closings, reports.view every closing of the outlet, and nobody else', async () => {
      const own = await clerk2.api.request('GET', '/api/v1/till/closings');
      expect(own.json.map((c: { closingNumber: number }) => c.closingNumber)).toEqual([3]);
      const notMine = await clerk2.api.request('GET', `/api/v1/till/closings/${closings['a1']!.id}`);
      expect(notMine.status).toBe(404);
      expect((await getBytes(clerk2.api, clerk2.ws, `/api/v1/till/closings/${closings['a1']!.id}/report.pdf`)).status).toBe(404);
      const mine = await clerk2.api.request('GET', `/api/v1/till/closings/${closings['b1']!.id}`);
      expect(mine.json).toEqual(closings['b1']!.body);
      for (const key of ['a1', 'a2', 'b1']) {
        const res = await manager.request('GET', `/api/v1/till/closings/${closings[key]!.id}`);
        expect(res.status).toBe(200);
        expect(res.json).toEqual(closings[key]!.body);
      }
      // An open session is not a closing; another outlet's closing does not exist here.
      expect((await manager.request('GET', `/api/v1/till/closings/${closings['a3']!.id}`)).status).toBe(404);
      const foreign = await manager.request('GET', `/api/v1/till/closings/${closings['outletB']!.id}`);
      expect(foreign.status).toBe(404);
      expect(foreign.json.code).toBe('NOT_FOUND');
      for (const path of ['/api/v1/till/closings', `/api/v1/till/closings/${closings['a1']!.id}`]) {
        const res = await nobody.request('GET', path);
        expect(res.status, path).toBe(403);
        expect(res.json.code).toBe('FORBIDDEN');
      }
    });

    it('serves the stored PDF byte for byte, matching its SHA-256, with the closing in German', async () => {
      const { id, body } = closings['a2']!;
      const res = await getBytes(manager, managerWs, `/api/v1/till/closings/${id}/report.pdf`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-disposition']).toBe(`inline; filename="${body.closing.label}.pdf"`);
      const stored = await session(id);
      expect(res.body.equals(asBuffer(stored.report_pdf))).toBe(true);
      expect(sha256(res.body)).toBe(stored.report_sha256);
      expect(sha256(res.body)).toBe(body.pdfSha256);
      expect(res.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(body.pdfSha256, 'hex').toString('base64')}:`);
      expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const { text, missingGlyphs } = pdfText(res.body);
      expect(missingGlyphs).toBe(0);
      const lines = text.split('\n').map((l) => l.trim());
      for (const expected of [
        'Kassenabschluss (Z-Bon)',
        body.closing.label,
        'VorverkaufsstelleOutlet A',
        'Arbeitsplatzkasse-1',
        'Kassierer/inkasse.a (kasse.a)',
        'Anfangsbestand (Wechselgeld)220,00\u00a0€',
        'Barverkäufe10,00\u00a0€',
        'Soll-Bestand bar230,00\u00a0€',
        'Gezählter Bestand (Ist)230,50\u00a0€',
        'Differenz (Ist − Soll)+0,50\u00a0€',
        'Bezahlte Aufträge1',
      ]) {
        expect(lines, expected).toContain(expected);
      }
      expect(text.replace(/\s+/g, ' ')).toContain('Begründung der Differenz: Trinkgeld in der Kasse gelassen');
    });

    it('never lets a closed report change; a tampered PDF is refused instead of served', async () => {
      const { id } = closings['a1']!;
      await expect(server.tdb.asAdmin((db: Knex) => db('till_sessions').where({ id }).update({ counted_cash_cents: 1 }))).rejects.toThrow(/closed till session cannot be changed/);
      await expect(server.tdb.asAdmin((db: Knex) => db('till_sessions').where({ id }).delete())).rejects.toThrow(/closed till session cannot be changed/);
      await expect(inTenant(server.tdb.db.knex, { tenantId: clerk.tenantId }, (trx) => trx('till_sessions').where({ id }).update({ difference_reason: 'nachträglich' }))).rejects.toThrow(
        /closed till session cannot be changed/,
      );
      const good = await getBytes(manager, managerWs, `/api/v1/till/closings/${id}/report.pdf`);
      expect(good.status).toBe(200);
      // With the trigger switched off (a superuser, or someone at the disk), the bytes change; the hash does not.
      await server.tdb.asAdmin((db: Knex) =>
        db.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica');
          const tampered = Buffer.from(good.body);
          tampered.write('Z-9999-9', tampered.indexOf('(Kassenabschluss') + 1, 'latin1');
          await trx('till_sessions').where({ id }).update({ report_pdf: tampered });
        }),
      );
      const res = await getBytes(manager, managerWs, `/api/v1/till/closings/${id}/report.pdf`);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ status: 500, code: 'REPORT_INTEGRITY_FAILED' });
      expect(res.body.includes('%PDF')).toBe(false);
    });

    it('returns the first closing for a retry with the same Idempotency-Key, without a new number', async () => {
      const till = closings['a3']!.id;
      const key = newKey();
      clock.advance(60_000);
      const first = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 23_050 }, { 'idempotency-key': key });
      expect(first.status).toBe(200);
      expect(first.json.closing.number).toBe(4);
      const replay = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 23_050 }, { 'idempotency-key': key });
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json).toEqual(first.json);
      const other = await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 1 }, { 'idempotency-key': key });
      expect(other.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await clerk.api.request('POST', '/api/v1/till/close', { countedCashCents: 1 }, { 'idempotency-key': 'short' })).json.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect(await counter(server.tenants.outlet)).toBe(5);
      expect((await session(till)).closing_number).toBe(4);
    });

    if (backend === 'postgres') {
      it('gives concurrent closings of many tills of one outlet distinct, gapless numbers', async () => {
        const before = (await counter(server.tenants.outlet))!;
        const clerks = await Promise.all(Array.from({ length: 8 }, (_, i) => newClerk(server.tenants.outlet, `kasse.p${i}`, `kasse-p${i}`)));
        const tills: string[] = [];
        for (const c of clerks) {
          const open = await c.api.request('POST', '/api/v1/till/open', { openingFloatCents: 1_000 });
          expect(open.status).toBe(201);
          tills.push(open.json.tillSessionId);
          await sale(c, open.json.tillSessionId, 'cash', 500, 1);
        }
        // The other outlet closes at the same time and is not held up or counted.
        const clerkB = await newClerk(server.tenants.outletB, 'kasse.ost2', 'kasse-ost2');
        await clerkB.api.request('POST', '/api/v1/till/open', { openingFloatCents: 0 });
        const [b, ...results] = await Promise.all([
          clerkB.api.request('POST', '/api/v1/till/close', { countedCashCents: 0 }),
          ...clerks.map((c) => c.api.request('POST', '/api/v1/till/close', { countedCashCents: 1_500 })),
        ]);
        expect(b.json.closing?.number).toBe(2);
        for (const r of results) expect(r.status, r.body).toBe(200);
        const numbers = results.map((r) => r.json.closing.number as number).sort((x, y) => x - y);
        expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => before + i));
        expect(await counter(server.tenants.outlet)).toBe(before + 8);
        const stored = await server.tdb.asAdmin((db: Knex) => db('till_sessions').whereIn('id', tills).pluck('closing_number'));
        expect(stored.sort((x: number, y: number) => x - y)).toEqual(numbers);
      });

      it('opens a till once when the same clerk opens it twice at the same moment', async () => {
        const c = await newClerk(server.tenants.outlet, 'kasse.doppelt', 'kasse-doppelt');
        const results = await Promise.all(Array.from({ length: 4 }, () => c.api.request('POST', '/api/v1/till/open', { openingFloatCents: 100 })));
        expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
        for (const r of results.filter((x) => x.status === 409)) expect(r.json.code).toBe('TILL_ALREADY_OPEN');
        const open = await server.tdb.asAdmin((db: Knex) => db('till_sessions').where({ user_id: c.user.id }).whereNull('closed_at').count<Array<{ count: number }>>('* as count'));
        expect(open).toEqual([{ count: 1 }]);
      });

      it('makes a closing wait for a sale in progress and count its payment', async () => {
        const c = await newClerk(server.tenants.outlet, 'kasse.race', 'kasse-race');
        const open = await c.api.request('POST', '/api/v1/till/open', { openingFloatCents: 2_000 });
        let closeAnswered = false;
        let closing: Promise<Awaited<ReturnType<ApiClient['request']>>> | undefined;
        // The sale: finds the open till (and locks it for key share), then books slowly.
        await inTenant(server.tdb.db.knex, { tenantId: c.tenantId }, async (trx) => {
          const till = await findOpenTillSession(trx, { workstationId: c.ws.id, userId: c.user.id });
          expect(till).toEqual({ id: open.json.tillSessionId });
          closing = c.api.request('POST', '/api/v1/till/close', { countedCashCents: 2_700 }).then((r) => {
            closeAnswered = true;
            return r;
          });
          await new Promise((r) => setTimeout(r, 500));
          expect(closeAnswered).toBe(false);
          const now = clock.now();
          const [order] = await trx('orders')
            .insert({ tenant_id: c.tenantId, promoter_id: fx.promoterId, event_id: fx.eventId, channel: 'counter', status: 'paid', total_cents: 700, paid_at: now, created_at: now, created_by: c.user.id, workstation_id: c.ws.id })
            .returning('id');
          await trx('payments').insert({ tenant_id: c.tenantId, order_id: order.id, method: 'cash', amount_cents: 700, till_session_id: till!.id, booked_by: c.user.id, workstation_id: c.ws.id, created_at: now });
        });
        const res = await closing!;
        expect(res.status, res.body).toBe(200);
        expect(res.json.totals).toMatchObject({ cashSalesCents: 700, expectedCashCents: 2_700 });
        expect(res.json.closing.differenceCents).toBe(0);
      });

      it('makes a sale that looks for the till while it is being closed find it closed', async () => {
        const c = await newClerk(server.tenants.outlet, 'kasse.race2', 'kasse-race2');
        const open = await c.api.request('POST', '/api/v1/till/open', { openingFloatCents: 0 });
        const till = open.json.tillSessionId as string;
        let lookup: Promise<{ id: string } | undefined> | undefined;
        // Stands in for the closing transaction: holds the row FOR UPDATE while the sale looks it up.
        await server.tdb.asAdmin((db: Knex) =>
          db.transaction(async (trx) => {
            await trx('till_sessions').where({ id: till }).forUpdate().first('id');
            lookup = inTenant(server.tdb.db.knex, { tenantId: c.tenantId }, (t) => findOpenTillSession(t, { workstationId: c.ws.id, userId: c.user.id }));
            await new Promise((r) => setTimeout(r, 300));
            await trx('till_sessions')
              .where({ id: till })
              .update({ closed_at: new Date(), closing_number: 999_999, counted_cash_cents: 0, expected_cash_cents: 0, difference_cents: 0, report: '{}', report_sha256: 'x' });
          }),
        );
        expect(await lookup!).toBeUndefined();
      });
    }
  });
}
