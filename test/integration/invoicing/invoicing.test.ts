import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { checkEn16931 } from '../../../server/src/modules/invoicing/en16931-rules.js';
import { localDay } from '../../../server/src/modules/invoicing/service.js';
import { EN16931_CUSTOMIZATION_ID, XRECHNUNG_CUSTOMIZATION_ID } from '../../../server/src/modules/invoicing/xrechnung.js';
import { DATEV_COLUMNS } from '../../../server/src/modules/invoicing/datev.js';
import type { Permission } from '../../../src/shared/domain/permissions.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient, type TestUser } from '../../support/identity.js';
import { BUSINESS_CUSTOMER, camt053, getBytes, insertBusinessOrder, profileOf } from '../../support/invoicing-fixtures.js';
import type { KeyPair } from '../../support/pki.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { pdfText } from '../../unit/server/pdf/pdf-text.js';

type Workstation = KeyPair & { id: string };
interface Person {
  user: TestUser;
  ws: Workstation;
  api: ApiClient;
  tenantId: string;
}

const ACCOUNTANT: Permission[] = ['invoices.view', 'invoices.issue', 'invoices.cancel', 'payments.book', 'reports.view', 'users.manage'];
// Copied from the team's shared schemas (../shared/schemas/camt053, provenance in SOURCES.md) so that a
// clone anywhere has them.
const SCHEMAS = path.resolve(import.meta.dirname, '../../fixtures/schemas/camt053');
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** xmllint against an XSD (Debian's libxml2-utils); returns its verdict line. */
function xmllint(xml: string, schema?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xml-'));
  try {
    const file = path.join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const args = schema === undefined ? ['--noout', file] : ['--noout', '--schema', path.join(SCHEMAS, schema), file];
    try {
      execFileSync('xmllint', args, { stdio: 'pipe' });
      return 'valid';
    } catch (error) {
      return String((error as { stderr?: Buffer }).stderr ?? error);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const backend of testBackends()) {
  describe(`invoicing: invoices, cancellations, escrow payments, settlements, e-invoices (${backend})`, () => {
    const clock = fixedClock(new Date());
    const year = localDay(clock.now()).slice(0, 4);
    let server: TestServer;
    let fx: SalesFixture;
    let outletA: Person;
    let outletB: Person;
    let operator: Person;
    let promoter: Person;
    let viewer: Person;
    let printer: Person;
    const inv: Record<string, any> = {};
    const orders: Record<string, any> = {};

    const person = async (tenantId: string, login: string, rights: Permission[], ws?: Workstation): Promise<Person> => {
      const user = await createUser(server, tenantId, login, rights);
      const station = ws ?? (await server.registerWorkstation(tenantId, `ws-${login}`));
      return { user, ws: station, api: await loginAs(server, station, user), tenantId };
    };
    const order = (tickets: Array<{ categoryId: string; priceCents: number; vatRateBp: number; quantity: number }>) =>
      insertBusinessOrder(server, { tenantId: server.tenants.outlet, userId: outletA.user.id, workstationId: outletA.ws.id, fx, tickets });
    const draftFor = async (orderId: string) => {
      const res = await outletA.api.request('POST', '/api/v1/invoices/business-orders', { orderId });
      expect(res.status, res.body).toBe(201);
      return res.json;
    };
    const issue = async (p: Person, id: string) => {
      const res = await p.api.request('POST', `/api/v1/invoices/${id}/issue`, {});
      expect(res.status, res.body).toBe(200);
      return res.json;
    };
    /** Asks the printing module for a print job of the order (the print rule: paid orders only). */
    const tryPrint = (orderId: string) => printer.api.request('POST', `/api/v1/orders/${orderId}/print-jobs`, {}, { 'idempotency-key': newKey() });
    const orderRow = (id: string) => server.tdb.asAdmin((db: Knex) => db('orders').where({ id }).first('status', 'paid_at'));
    const count = (table: string) => server.tdb.asAdmin(async (db: Knex) => Number((await db(table).count<Array<{ count: string }>>('* as count'))[0]?.count));

    beforeAll(async () => {
      server = await startTestServer(backend, { clock, config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
      fx = await createSalesFixture(server, { sellers: [server.tenants.outlet, server.tenants.outletB] });
      outletA = await person(server.tenants.outlet, 'a.buchhaltung', ACCOUNTANT, server.workstation);
      outletB = await person(server.tenants.outletB, 'b.buchhaltung', ACCOUNTANT);
      operator = await person(server.tenants.operator, 'op.buchhaltung', ACCOUNTANT);
      promoter = await person(fx.promoterId, 'p.buchhaltung', ['invoices.view', 'users.manage']);
      viewer = await person(server.tenants.outlet, 'a.ansicht', ['invoices.view']);
      // A print station of outlet A with paper: blanks 1–300 registered by the operator, tray loaded at 1.
      printer = await person(server.tenants.outlet, 'a.druck', ['tickets.print']);
      const stockUser = await person(server.tenants.operator, 'op.lager', ['stock.manage']);
      const batch = await stockUser.api.request('POST', '/api/v1/blank-batches', { outletId: server.tenants.outlet, firstNumber: 1, lastNumber: 300 });
      expect(batch.status, batch.body).toBe(201);
      expect((await printer.api.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 1 })).status).toBe(200);
    });
    afterAll(async () => {
      await server.close();
    });

    it('drafts an invoice for a business order and refuses to issue it without a billing profile (no number used)', async () => {
      expect((await outletA.api.request('GET', '/api/v1/billing-profile')).json).toEqual({ profile: null });
      orders['first'] = await order([{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity: 2 }]);
      const draft = await draftFor(orders['first'].id);
      expect(draft).toMatchObject({ kind: 'business_order', status: 'draft', number: null, numberLabel: null, orderId: orders['first'].id, grossCents: 7000, taxCents: 458, netCents: 6542, smallAmount: true });
      expect(draft.lines).toEqual([{ position: 1, description: 'Eintrittskarte Sommerkonzert – Stehplatz', quantity: 2, unitGrossCents: 3500, lineGrossCents: 7000, vatRateBp: 700 }]);
      expect(draft.recipient).toMatchObject({ name: BUSINESS_CUSTOMER.company, street: BUSINESS_CUSTOMER.street, vatId: BUSINESS_CUSTOMER.vatId });
      const event = await server.tdb.asAdmin((db: Knex) => db('events').where({ id: fx.eventId }).first('starts_at'));
      expect(draft.serviceDate).toBe(localDay(event.starts_at));
      inv['first'] = draft;

      const refused = await outletA.api.request('POST', `/api/v1/invoices/${draft.id}/issue`, {});
      expect(refused.status).toBe(422);
      expect(refused.json.code).toBe('BILLING_PROFILE_INCOMPLETE');
      expect(await count('invoice_counters')).toBe(0);

      const bad = await outletA.api.request('PUT', '/api/v1/billing-profile', profileOf('Vorverkauf A GmbH', { vatId: '123' }));
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe('VALIDATION_FAILED');
      const clerkTry = await viewer.api.request('PUT', '/api/v1/billing-profile', profileOf('Vorverkauf A GmbH'));
      expect(clerkTry.status).toBe(403);
      for (const [p, name] of [[outletA, 'Vorverkauf A GmbH'], [outletB, 'Vorverkauf B OHG'], [operator, 'Ticket Plattform GmbH'], [promoter, 'Konzertbüro Nord GmbH']] as const) {
        const res = await p.api.request('PUT', '/api/v1/billing-profile', profileOf(name));
        expect(res.status, res.body).toBe(200);
        expect(res.json).toMatchObject({ legalName: name, invoicePrefix: 'RE', cancellationPrefix: 'ST', numberDigits: 6, commissionBp: 0 });
      }
      const again = await outletA.api.request('POST', '/api/v1/invoices/business-orders', { orderId: orders['first'].id });
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('INVOICE_EXISTS');
    });

    it('issues with the first number of the year, freezes the content and serves the PDF byte for byte', async () => {
      const patched = await outletA.api.request('PATCH', `/api/v1/invoices/${inv['first'].id}`, { note: 'Zahlbar innerhalb von 14 Tagen.' });
      expect(patched.status, patched.body).toBe(200);
      const issued = await issue(outletA, inv['first'].id);
      expect(issued).toMatchObject({ status: 'issued', series: 'invoice', number: 1, numberLabel: `RE-${year}-000001`, issueDate: localDay(clock.now()), paymentState: 'open', openCents: 7000 });
      expect(issued.issuer).toMatchObject({ name: 'Vorverkauf A GmbH', taxNumber: '22/815/08150', vatId: 'DE123456789' });
      inv['first'] = issued;

      const path1 = `/api/v1/invoices/${issued.id}/invoice.pdf`;
      const a = await getBytes(server, outletA.api, outletA.ws, path1);
      const b = await getBytes(server, outletA.api, outletA.ws, path1);
      expect(a.status).toBe(200);
      expect(a.headers['content-type']).toBe('application/pdf');
      expect(a.body.equals(b.body)).toBe(true);
      expect(sha256(a.body)).toBe(issued.pdfSha256);
      expect(a.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(issued.pdfSha256, 'hex').toString('base64')}:`);
      const text = pdfText(a.body).text;
      for (const s of ['Rechnung', `RE-${year}-000001`, 'Vorverkauf A GmbH', 'Muster AG', 'Steuernummer: 22/815/08150', 'USt-IdNr.: DE123456789', 'Leistungsdatum', '7 %', '65,42', '4,58', '70,00', 'Zahlbar innerhalb von 14 Tagen.']) {
        expect(text, s).toContain(s);
      }
      expect(pdfText(a.body).missingGlyphs).toBe(0);

      // No route changes an issued invoice.
      for (const body of [{ note: 'geändert' }, { recipient: null }, { lines: [{ description: 'x', quantity: 1, unitGrossCents: 1, vatRateBp: 1900 }] }]) {
        const res = await outletA.api.request('PATCH', `/api/v1/invoices/${issued.id}`, body);
        expect(res.status).toBe(409);
        expect(res.json.code).toBe('INVOICE_NOT_DRAFT');
      }
      const reissue = await outletA.api.request('POST', `/api/v1/invoices/${issued.id}/issue`, {});
      expect(reissue.json.code).toBe('INVOICE_NOT_DRAFT');
      const remove = await outletA.api.request('DELETE', `/api/v1/invoices/${issued.id}`);
      expect(remove.status).toBe(409);
      expect(remove.json.code).toBe('INVOICE_NOT_DRAFT');
      // And the database refuses it too, even to the owner.
      await expect(server.tdb.asAdmin((db: Knex) => db('invoices').where({ id: issued.id }).update({ gross_cents: 1, net_cents: 1, tax_cents: 0 }))).rejects.toThrow(/issued invoice cannot be changed/);
      await expect(server.tdb.asAdmin((db: Knex) => db('invoice_lines').where({ invoice_id: issued.id }).update({ description: 'x' }))).rejects.toThrow(/lines of an issued invoice/);
      await expect(server.tdb.asAdmin((db: Knex) => db('invoices').where({ id: issued.id }).delete())).rejects.toThrow(/issued invoice cannot be changed/);
      expect((await outletA.api.request('GET', `/api/v1/invoices/${issued.id}`)).json).toEqual(issued);

      // Bytes altered behind the application's back are refused, not served.
      const swap = (bytes: Buffer) =>
        server.tdb.asAdmin(async (db: Knex) => {
          await db.raw('ALTER TABLE invoices DISABLE TRIGGER invoices_immutable');
          await db('invoices').where({ id: issued.id }).update({ pdf: bytes });
          await db.raw('ALTER TABLE invoices ENABLE TRIGGER invoices_immutable');
        });
      const tampered = Buffer.from(a.body);
      tampered.writeUInt8(tampered.readUInt8(tampered.length - 20) ^ 0x01, tampered.length - 20);
      await swap(tampered);
      const refused = await outletA.api.request('GET', path1);
      expect(refused.status).toBe(500);
      expect(refused.json.code).toBe('PDF_INTEGRITY_FAILED');
      await swap(a.body);
      expect((await getBytes(server, outletA.api, outletA.ws, path1)).body.equals(a.body)).toBe(true);
    });

    it('computes the tax per rate from the gross sum, half-up: 3 × 0.10 € at 19 %, mixed 7/19 %, small amounts', async () => {
      orders['dimes'] = await order([{ categoryId: fx.gaCategoryId, priceCents: 10, vatRateBp: 1900, quantity: 3 }]);
      const dimes = await draftFor(orders['dimes'].id);
      expect(dimes.rates).toEqual([{ vatRateBp: 1900, netCents: 25, taxCents: 5, grossCents: 30 }]);
      expect(dimes).toMatchObject({ netCents: 25, taxCents: 5, grossCents: 30, smallAmount: true });

      orders['mixed'] = await order([{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity: 2 }]);
      const mixed = await draftFor(orders['mixed'].id);
      const res = await outletA.api.request('PATCH', `/api/v1/invoices/${mixed.id}`, {
        lines: [
          { description: 'Eintrittskarte Sommerkonzert – Stehplatz', quantity: 2, unitGrossCents: 3500, vatRateBp: 700 },
          { description: 'Versandgebühr', quantity: 1, unitGrossCents: 490, vatRateBp: 1900 },
        ],
      });
      expect(res.status, res.body).toBe(200);
      // 70,00 € at 7 %: tax 4,58 (4,5794 rounded); 4,90 € at 19 %: tax 0,78 (0,7824).
      expect(res.json.rates).toEqual([
        { vatRateBp: 700, netCents: 6542, taxCents: 458, grossCents: 7000 },
        { vatRateBp: 1900, netCents: 412, taxCents: 78, grossCents: 490 },
      ]);
      expect(res.json).toMatchObject({ netCents: 6954, taxCents: 536, grossCents: 7490, smallAmount: true });
      inv['mixed'] = await issue(outletA, mixed.id);

      // A small-amount invoice (≤ 250 €) may leave out the recipient; a larger one may not.
      const small = await outletA.api.request('PATCH', `/api/v1/invoices/${dimes.id}`, { recipient: null });
      expect(small.json.recipient).toBeNull();
      inv['small'] = await issue(outletA, dimes.id);
      const smallPdf = pdfText((await getBytes(server, outletA.api, outletA.ws, `/api/v1/invoices/${dimes.id}/invoice.pdf`)).body).text;
      expect(smallPdf).toContain('Kleinbetragsrechnung');

      orders['large'] = await order([{ categoryId: fx.seatedCategoryId, priceCents: 5500, vatRateBp: 700, quantity: 10 }]);
      const large = await draftFor(orders['large'].id);
      expect(large).toMatchObject({ grossCents: 55_000, taxCents: 3598, netCents: 51_402, smallAmount: false });
      await outletA.api.request('PATCH', `/api/v1/invoices/${large.id}`, { recipient: null });
      const refused = await outletA.api.request('POST', `/api/v1/invoices/${large.id}/issue`, {});
      expect(refused.status).toBe(422);
      expect(refused.json.code).toBe('RECIPIENT_REQUIRED');
      const restored = await outletA.api.request('PATCH', `/api/v1/invoices/${large.id}`, { recipient: { name: 'Muster AG', street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE' } });
      expect(restored.status).toBe(200);
      inv['large'] = await issue(outletA, large.id);
      expect(inv['large'].smallAmount).toBe(false);
    });

    it('cancels only by a cancellation invoice of its own series that references and negates the original', async () => {
      const original = inv['first'];
      const pdfBefore = await getBytes(server, outletA.api, outletA.ws, `/api/v1/invoices/${original.id}/invoice.pdf`);
      for (const body of [{}, { reason: 'ab' }]) {
        const res = await outletA.api.request('POST', `/api/v1/invoices/${original.id}/cancel`, body);
        expect(res.status).toBe(400);
      }
      expect((await viewer.api.request('POST', `/api/v1/invoices/${original.id}/cancel`, { reason: 'Falscher Empfänger' })).status).toBe(403);
      const res = await outletA.api.request('POST', `/api/v1/invoices/${original.id}/cancel`, { reason: 'Falscher Empfänger' });
      expect(res.status, res.body).toBe(201);
      const storno = res.json;
      expect(storno).toMatchObject({ kind: 'cancellation', status: 'issued', series: 'cancellation', number: 1, numberLabel: `ST-${year}-000001`, cancelsInvoiceId: original.id, orderId: original.orderId });
      expect(storno).toMatchObject({ grossCents: -original.grossCents, taxCents: -original.taxCents, netCents: -original.netCents });
      expect(storno.rates).toEqual(original.rates.map((r: any) => ({ vatRateBp: r.vatRateBp, netCents: -r.netCents, taxCents: -r.taxCents, grossCents: -r.grossCents })));
      expect(storno.lines).toEqual(original.lines.map((l: any) => ({ ...l, quantity: -l.quantity, lineGrossCents: -l.lineGrossCents })));
      expect(storno.recipient).toEqual(original.recipient);
      const text = pdfText((await getBytes(server, outletA.api, outletA.ws, `/api/v1/invoices/${storno.id}/invoice.pdf`)).body).text;
      expect(text).toContain(`Storno der Rechnung RE-${year}-000001`);
      expect(text).toContain('Falscher Empfänger');
      expect(text).toContain('-70,00');
      inv['storno'] = storno;

      const after = (await outletA.api.request('GET', `/api/v1/invoices/${original.id}`)).json;
      expect(after).toMatchObject({ status: 'cancelled', cancelledByInvoiceId: storno.id, cancelReason: 'Falscher Empfänger', numberLabel: original.numberLabel, grossCents: original.grossCents });
      const pdfAfter = await getBytes(server, outletA.api, outletA.ws, `/api/v1/invoices/${original.id}/invoice.pdf`);
      expect(pdfAfter.body.equals(pdfBefore.body)).toBe(true);

      const twice = await outletA.api.request('POST', `/api/v1/invoices/${original.id}/cancel`, { reason: 'Nochmal' });
      expect(twice.status).toBe(409);
      expect(twice.json.code).toBe('INVOICE_NOT_ISSUED');
      const ofStorno = await outletA.api.request('POST', `/api/v1/invoices/${storno.id}/cancel`, { reason: 'Nochmal' });
      expect(ofStorno.json.code).toBe('CANCELLATION_NOT_CANCELLABLE');
      // Correction: a new invoice for the same order, next number in the invoice series.
      const redo = await draftFor(orders['first'].id);
      inv['redo'] = await issue(outletA, redo.id);
      expect(inv['redo'].numberLabel).toBe(`RE-${year}-000005`);
    });

    it('imports a CAMT.053 statement: matched, partial, unmatched and foreign-currency entries; a duplicate books nothing', async () => {
      const full = inv['redo'];
      const partial = inv['large'];
      const content = camt053({
        msgId: 'MSG-2026-12-04-1',
        statementId: 'STMT-2026-0338',
        iban: 'DE02120300000000202051',
        entries: [
          { amount: '70.00', reference: `Rechnung ${full.numberLabel} vielen Dank`, bankRef: 'B1' },
          { amount: '540.00', reference: `Auftrag ${orders['large'].orderNumber} Teilzahlung`, bankRef: 'B2' },
          { amount: '50.00', reference: 'Spende Foerderverein', payer: 'Unbekannt', bankRef: 'B3' },
          { amount: '12.50', currency: 'USD', reference: `Rechnung ${full.numberLabel}`, bankRef: 'B4' },
        ],
      });
      expect(xmllint(content, 'camt.053.001.02.xsd')).toBe('valid');
      for (const o of [orders['first'], orders['large']]) {
        const refused = await tryPrint(o.id);
        expect(refused.status).toBe(409);
        expect(refused.json.code).toBe('ORDER_NOT_PAID');
      }
      const before = await count('escrow_transactions');
      const res = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'camt053', content });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ accountIban: 'DE02120300000000202051', statementRef: 'STMT-2026-0338/1', fileSha256: sha256(content), matched: 2, unmatched: 1, rejected: 1 });
      const [t1, t2, t3, t4] = res.json.transactions;
      expect(t1).toMatchObject({ status: 'matched', invoiceId: full.id, invoiceNumber: full.numberLabel, matchedBy: 'reference', amountCents: 7000, payerName: 'Muster AG', bookingDate: '2026-12-03' });
      expect(t2).toMatchObject({ status: 'matched', invoiceId: partial.id, amountCents: 54_000 });
      expect(t3).toMatchObject({ status: 'unmatched', invoiceId: null, amountCents: 5000 });
      expect(t4).toMatchObject({ status: 'rejected', rejectReason: 'FOREIGN_CURRENCY', currency: 'USD', invoiceId: null });
      expect(await count('escrow_transactions')).toBe(before + 4);

      // Fully paid: the invoice is paid and its order released (what the print rule checks), in one step.
      expect((await operator.api.request('GET', `/api/v1/invoices/${full.id}`)).json).toMatchObject({ paidCents: 7000, openCents: 0, paymentState: 'paid' });
      const paidOrder = await orderRow(orders['first'].id);
      expect(paidOrder.status).toBe('paid');
      expect(paidOrder.paid_at).toEqual(clock.now());
      const escrow = await server.tdb.asAdmin((db: Knex) => db('payments').where({ order_id: orders['first'].id }).select('method', 'amount_cents', 'till_session_id'));
      expect(escrow).toEqual([{ method: 'escrow_transfer', amount_cents: 7000, till_session_id: null }]);
      // Partly paid: still open, the order stays unprintable.
      expect((await operator.api.request('GET', `/api/v1/invoices/${partial.id}`)).json).toMatchObject({ paidCents: 54_000, openCents: 1000, paymentState: 'partial', paidAt: null });
      expect((await orderRow(orders['large'].id)).status).toBe('unpaid');
      // Printable exactly now: the paid order prints, the partly paid one is still refused.
      const printed = await tryPrint(orders['first'].id);
      expect(printed.status, printed.body).toBe(201);
      expect((await tryPrint(orders['large'].id)).json.code).toBe('ORDER_NOT_PAID');

      // The same file again, or the same statement in another file: refused, nothing booked.
      const dup = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'camt053', content });
      expect(dup.status).toBe(409);
      expect(dup.json.code).toBe('STATEMENT_DUPLICATE');
      const sameStatement = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'camt053', content: content.replace('MSG-2026-12-04-1', 'MSG-2026-12-04-2') });
      expect(sameStatement.json.code).toBe('STATEMENT_DUPLICATE');
      expect(await count('escrow_transactions')).toBe(before + 4);
      expect((await operator.api.request('GET', `/api/v1/invoices/${full.id}`)).json.paidCents).toBe(7000);

      // Not a camt.053, or not XML: refused with a reason, nothing written.
      const camt052 = content.replace('camt.053.001.02', 'camt.052.001.08');
      for (const bad of [camt052, '<Document><unclosed>', '<!DOCTYPE x [<!ENTITY a "b">]><Document/>']) {
        const r = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'camt053', content: bad });
        expect(r.status, bad.slice(0, 40)).toBe(422);
        expect(r.json.code).toBe('STATEMENT_INVALID');
      }
      expect(await count('escrow_transactions')).toBe(before + 4);

      // Unmatched items wait for a person; assigning the 50 € overpays the invoice by 40 € and releases its order.
      const open = await operator.api.request('GET', '/api/v1/payments?status=unmatched');
      expect(open.json.map((t: any) => t.id)).toEqual([t3.id]);
      const assigned = await operator.api.request('POST', `/api/v1/payments/${t3.id}/assign`, { invoiceNumber: partial.numberLabel });
      expect(assigned.status, assigned.body).toBe(200);
      expect(assigned.json).toMatchObject({ status: 'matched', matchedBy: 'manual', invoiceId: partial.id });
      expect((await operator.api.request('GET', `/api/v1/invoices/${partial.id}`)).json).toMatchObject({ paidCents: 59_000, openCents: -4000, paymentState: 'overpaid' });
      expect((await orderRow(orders['large'].id)).status).toBe('paid');
      expect((await tryPrint(orders['large'].id)).status).toBe(201);
      const again = await operator.api.request('POST', `/api/v1/payments/${t3.id}/assign`, { invoiceId: partial.id });
      expect(again.json.code).toBe('TRANSACTION_NOT_OPEN');
      // A paid invoice takes no further assignment: a second transfer for it waits, or is discarded with a reason.
      const second = await operator.api.request('POST', '/api/v1/payments', { amountCents: 7000, bookingDate: '2026-12-04', reference: `Rechnung ${full.numberLabel}`, payerName: 'Muster AG' });
      expect(second.json).toMatchObject({ status: 'unmatched', invoiceId: null });
      const byNumber = await operator.api.request('POST', `/api/v1/payments/${second.json.id}/assign`, { invoiceNumber: full.numberLabel.toLowerCase() });
      expect(byNumber.status).toBe(409);
      expect(byNumber.json.code).toBe('INVOICE_ALREADY_PAID');
      expect((await operator.api.request('POST', `/api/v1/payments/${second.json.id}/assign`, { invoiceNumber: 'RE-1999-000001' })).status).toBe(404);
      expect((await operator.api.request('POST', `/api/v1/payments/${second.json.id}/discard`, { reason: 'x' })).status).toBe(400);
      const discarded = await operator.api.request('POST', `/api/v1/payments/${second.json.id}/discard`, { reason: 'Doppelzahlung, zurücküberwiesen' });
      expect(discarded.status, discarded.body).toBe(200);
      expect(discarded.json).toMatchObject({ status: 'discarded', discardReason: 'Doppelzahlung, zurücküberwiesen', invoiceId: null });
      expect((await operator.api.request('POST', `/api/v1/payments/${second.json.id}/discard`, { reason: 'nochmal' })).json.code).toBe('TRANSACTION_NOT_OPEN');
      expect((await operator.api.request('GET', `/api/v1/invoices/${full.id}`)).json.paidCents).toBe(7000);
      const toStorno = await operator.api.request('POST', `/api/v1/payments/${t4.id}/assign`, { invoiceId: partial.id });
      expect(toStorno.json.code).toBe('TRANSACTION_NOT_OPEN');
      // A transfer cannot pay a cancelled invoice or a cancellation.
      const manual = await operator.api.request('POST', '/api/v1/payments', { amountCents: 100, bookingDate: '2026-12-04', reference: 'x', payerName: 'Muster AG', invoiceId: inv['storno'].id });
      expect(manual.json.code).toBe('INVOICE_NOT_PAYABLE');
      // Another tenant's booking list stays its own.
      expect((await outletB.api.request('GET', '/api/v1/payments')).json).toEqual([]);
    });

    it('books by hand and imports the simple CSV statement', async () => {
      const small = inv['mixed'];
      const manual = await operator.api.request('POST', '/api/v1/payments', { amountCents: 2000, bookingDate: '2026-12-04', reference: 'Anzahlung', payerName: 'Muster AG', invoiceId: small.id });
      expect(manual.status, manual.body).toBe(201);
      expect(manual.json).toMatchObject({ source: 'manual', status: 'matched', matchedBy: 'manual', invoiceId: small.id });
      // A retried booking with the same Idempotency-Key returns the first one and books nothing more.
      const key = 'booking-2026-12-04-0001';
      const body = { amountCents: 1000, bookingDate: '2026-12-04', reference: 'Anzahlung Muster', payerName: 'Muster AG' };
      const before = await count('escrow_transactions');
      const byText = await operator.api.request('POST', '/api/v1/payments', body, { 'idempotency-key': key });
      expect(byText.json).toMatchObject({ status: 'unmatched' });
      const retry = await operator.api.request('POST', '/api/v1/payments', body, { 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json.id).toBe(byText.json.id);
      expect(await count('escrow_transactions')).toBe(before + 1);
      expect((await operator.api.request('POST', '/api/v1/payments', { ...body, amountCents: 999 }, { 'idempotency-key': key })).json.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const csv = [
        'account;date;amount;currency;payer;payer_iban;reference',
        `DE02120300000000202051;04.12.2026;44,90;EUR;"Muster; AG";DE89370400440532013000;"Rest ${small.numberLabel}"`,
        'DE02120300000000202051;2026-12-04;-10,00;EUR;Bank;;Kontoführung',
      ].join('\r\n');
      const res = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'csv', content: csv });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ matched: 1, unmatched: 0, rejected: 1 });
      expect(res.json.transactions[0]).toMatchObject({ payerName: 'Muster; AG', amountCents: 4490, bookingDate: '2026-12-04', invoiceId: small.id });
      expect(res.json.transactions[1]).toMatchObject({ status: 'rejected', rejectReason: 'NOT_A_CREDIT' });
      expect((await operator.api.request('GET', `/api/v1/invoices/${small.id}`)).json).toMatchObject({ paidCents: 6490, openCents: 1000, paymentState: 'partial' });
      const dup = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'csv', content: csv });
      expect(dup.json.code).toBe('STATEMENT_DUPLICATE');
      // The same new file sent five times at once: one import, four refusals, booked once.
      const race = `account;date;amount;currency;payer;payer_iban;reference\nDE02120300000000202051;2026-12-04;1,00;EUR;Spender;;Spende ${backend}\n`;
      const beforeRace = await count('escrow_transactions');
      const results = await Promise.all(Array.from({ length: 5 }, () => operator.api.request('POST', '/api/v1/payments/imports', { format: 'csv', content: race })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(results.filter((r) => r.status === 409).every((r) => r.json.code === 'STATEMENT_DUPLICATE')).toBe(true);
      expect(await count('escrow_transactions')).toBe(beforeRace + 1);
      // A statement larger than the API's usual body limit (64 KiB in tests) is still accepted.
      const bigLines = Array.from({ length: 800 }, (_, i) => `DE02120300000000202051;2026-12-04;1,00;EUR;Spender ${i};;Spende Nummer ${i} für den Förderverein`);
      const big = ['account;date;amount;currency;payer;payer_iban;reference', ...bigLines].join('\n');
      expect(Buffer.byteLength(big)).toBeGreaterThan(64 * 1024);
      const bigImport = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'csv', content: big });
      expect(bigImport.status, bigImport.body.slice(0, 200)).toBe(201);
      expect(bigImport.json.unmatched).toBe(800);
      // camt.053.001.08 (from the XSD-validated generator) goes the same way.
      const v08 = camt053({ version: '08', msgId: 'MSG-08', statementId: 'STMT-08', iban: 'DE02120300000000202051', entries: [{ amount: '5.00', reference: 'Spende ohne Bezug', payer: 'Erika' }] });
      expect(xmllint(v08, 'camt.053.001.08.xsd')).toBe('valid');
      const imported = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'camt053', content: v08 });
      expect(imported.status, imported.body).toBe(201);
      expect(imported.json).toMatchObject({ statementRef: 'STMT-08/1', unmatched: 1, matched: 0, rejected: 0 });
      expect(imported.json.transactions[0]).toMatchObject({ payerName: 'Erika', amountCents: 500, status: 'unmatched' });
      const bad = await operator.api.request('POST', '/api/v1/payments/imports', { format: 'csv', content: 'datum;betrag\n1;2' });
      expect(bad.json.code).toBe('STATEMENT_INVALID');
      for (const body of [{ amountCents: 0, bookingDate: '2026-12-04', reference: '', payerName: 'x' }, { amountCents: 10, bookingDate: '04.12.2026', reference: '', payerName: 'x' }]) {
        expect((await operator.api.request('POST', '/api/v1/payments', body)).status).toBe(400);
      }
    });

    it('settles an outlet (sales − refunds, commission with 19 % VAT, owed to escrow) and a promoter after the event', async () => {
      // Counter sales of outlet A today: 2 × 50 € cash, 35 € by card refunded.
      const clerk = await createUser(server, server.tenants.outlet, 'a.kasse', ['sales.sell']);
      const till = await openTill(server, server.tenants.outlet, outletA.ws.id, clerk.id);
      await server.tdb.asAdmin(async (db: Knex) => {
        const now = clock.now();
        const base = { tenant_id: server.tenants.outlet, promoter_id: fx.promoterId, event_id: fx.eventId, channel: 'counter', created_at: now, created_by: clerk.id, workstation_id: outletA.ws.id };
        const [o1] = await db('orders').insert({ ...base, status: 'paid', total_cents: 10_000, paid_at: now }).returning('id');
        await db('tickets').insert([1, 2].map(() => ({ tenant_id: server.tenants.outlet, promoter_id: fx.promoterId, order_id: o1.id, event_id: fx.eventId, category_id: fx.gaCategoryId, price_cents: 5000, vat_rate_bp: 700, created_at: now })));
        const [o2] = await db('orders').insert({ ...base, status: 'cancelled', total_cents: 3500, paid_at: now }).returning('id');
        await db('tickets').insert({ tenant_id: server.tenants.outlet, promoter_id: fx.promoterId, order_id: o2.id, event_id: fx.eventId, category_id: fx.gaCategoryId, price_cents: 3500, vat_rate_bp: 700, created_at: now, status: 'cancelled', cancelled_at: now });
        const pay = { tenant_id: server.tenants.outlet, till_session_id: till, booked_by: clerk.id, workstation_id: outletA.ws.id, created_at: now };
        await db('payments').insert([
          { ...pay, order_id: o1.id, method: 'cash', amount_cents: 10_000, given_cents: 10_000, change_cents: 0 },
          { ...pay, order_id: o2.id, method: 'card', amount_cents: 3500, card_reference: 'EC-1' },
          { ...pay, order_id: o2.id, method: 'card', amount_cents: -3500, card_reference: 'EC-1' },
        ]);
      });
      // Terms come from the operator, for its own sub-tenants only.
      expect((await outletA.api.request('PUT', `/api/v1/billing-profiles/${server.tenants.outlet}/terms`, { commissionBp: 5000 })).status).toBe(404);
      const terms = await operator.api.request('PUT', `/api/v1/billing-profiles/${server.tenants.outlet}/terms`, { commissionBp: 1000 });
      expect(terms.status, terms.body).toBe(200);
      expect(terms.json.commissionBp).toBe(1000);
      const today = localDay(clock.now());
      const wrong = await outletA.api.request('POST', '/api/v1/invoices/outlet-settlements', { from: today, to: '2000-01-01' });
      expect(wrong.json.code).toBe('BAD_PERIOD');
      const res = await outletA.api.request('POST', '/api/v1/invoices/outlet-settlements', { from: today, to: today });
      expect(res.status, res.body).toBe(201);
      // 135 € sold, 35 € refunded: 100 € net; 10 % commission = 10,00 € + 1,90 € VAT; 88,10 € owed to escrow.
      expect(res.json.settlement).toMatchObject({ kind: 'outlet', salesCents: 13_500, refundsCents: -3500, netSalesCents: 10_000, ticketCount: 3, rateBp: 1000, feeGrossCents: 1190, balanceCents: 8810 });
      expect(res.json).toMatchObject({ kind: 'outlet_settlement', recipientTenantId: server.tenants.operator, periodFrom: today, periodTo: today, grossCents: 1190, taxCents: 190, netCents: 1000 });
      expect(res.json.recipient.name).toBe('Ticket Plattform GmbH');
      const lines = await outletA.api.request('PATCH', `/api/v1/invoices/${res.json.id}`, { lines: [{ description: 'x', quantity: 1, unitGrossCents: 1, vatRateBp: 1900 }] });
      expect(lines.json.code).toBe('LINES_NOT_EDITABLE');
      // A draft can be thrown away and made again (e.g. after the commission changed).
      expect((await outletA.api.request('DELETE', `/api/v1/invoices/${res.json.id}`)).status).toBe(204);
      expect((await outletA.api.request('GET', `/api/v1/invoices/${res.json.id}`)).status).toBe(404);
      const again = await outletA.api.request('POST', '/api/v1/invoices/outlet-settlements', { from: today, to: today });
      expect(again.status, again.body).toBe(201);
      expect(again.json.settlement).toEqual(res.json.settlement);
      res.json.id = again.json.id;
      inv['outlet'] = await issue(outletA, res.json.id);
      // A period is settled once: an overlapping settlement is refused until the first is cancelled.
      const twice = await outletA.api.request('POST', '/api/v1/invoices/outlet-settlements', { from: '2000-01-01', to: today });
      expect(twice.status).toBe(409);
      expect(twice.json.code).toBe('ALREADY_SETTLED');
      const text = pdfText((await getBytes(server, outletA.api, outletA.ws, `/api/v1/invoices/${inv['outlet'].id}/invoice.pdf`)).body).text;
      for (const s of ['Abrechnung Vorverkaufsstelle', 'Leistungszeitraum', 'An das Treuhandkonto abzuführen', '88,10', 'Der abzuführende Betrag von 88,10']) expect(text, s).toContain(s);
      // What the outlet owes is the settlement's open amount (the commission is netted), cleared by its transfer.
      expect(inv['outlet']).toMatchObject({ openCents: 8810, paymentState: 'open' });
      const balance = await operator.api.request('POST', '/api/v1/payments', { amountCents: 8000, bookingDate: today, reference: `Abrechnung ${inv['outlet'].numberLabel}`, payerName: 'Vorverkauf A GmbH' });
      expect(balance.json).toMatchObject({ status: 'matched', invoiceId: inv['outlet'].id });
      expect((await outletA.api.request('GET', `/api/v1/invoices/${inv['outlet'].id}`)).json).toMatchObject({ paidCents: 8000, openCents: 810, paymentState: 'partial' });

      // Promoter settlement: only the operator, only after the event.
      expect((await outletA.api.request('POST', '/api/v1/invoices/promoter-settlements', { eventId: fx.eventId })).json.code).toBe('WRONG_TENANT_KIND');
      const early = await operator.api.request('POST', '/api/v1/invoices/promoter-settlements', { eventId: fx.eventId });
      expect(early.json.code).toBe('EVENT_NOT_OVER');
      await server.tdb.asAdmin((db: Knex) => db('events').where({ id: fx.eventId }).update({ starts_at: new Date(clock.now().getTime() - 86_400_000), sales_start: new Date(clock.now().getTime() - 3 * 86_400_000), sales_end: new Date(clock.now().getTime() - 2 * 86_400_000) }));
      expect((await operator.api.request('PUT', `/api/v1/billing-profiles/${fx.promoterId}/terms`, { platformFeeBp: 500 })).status).toBe(200);
      const ps = await operator.api.request('POST', '/api/v1/invoices/promoter-settlements', { eventId: fx.eventId });
      expect(ps.status, ps.body).toBe(201);
      // Paid orders' valid tickets: the two business orders paid from escrow (70 € and 550 €) and the counter sale (100 €).
      const revenue = 7000 + 55_000 + 10_000;
      const feeNet = Math.round(revenue * 0.05);
      const feeGross = feeNet + Math.round(feeNet * 0.19);
      expect(ps.json.settlement).toMatchObject({ kind: 'promoter', eventId: fx.eventId, salesCents: revenue, ticketCount: 14, rateBp: 500, feeGrossCents: feeGross, balanceCents: revenue - feeGross });
      expect(ps.json.settlement.perOutlet).toEqual([{ outletId: server.tenants.outlet, outletName: 'Outlet A', salesCents: revenue, ticketCount: 14 }]);
      expect(ps.json).toMatchObject({ kind: 'promoter_settlement', recipientTenantId: fx.promoterId, grossCents: feeGross });
      inv['promoter'] = await issue(operator, ps.json.id);
      expect((await operator.api.request('POST', '/api/v1/invoices/promoter-settlements', { eventId: fx.eventId })).json.code).toBe('ALREADY_SETTLED');
      // The payout goes out of escrow: nothing is due on a promoter settlement, no transfer is booked to it.
      expect(inv['promoter']).toMatchObject({ openCents: 0, paymentState: 'paid' });
      const notPayable = await operator.api.request('POST', '/api/v1/payments', { amountCents: 100, bookingDate: today, reference: 'x', payerName: 'Konzertbüro', invoiceId: inv['promoter'].id });
      expect(notPayable.json.code).toBe('INVOICE_NOT_PAYABLE');
      expect(inv['promoter'].numberLabel).toBe(`RE-${year}-000001`);
    });

    it('exports every invoice type as an EN 16931 UBL invoice that passes the rules checked here', async () => {
      for (const key of ['redo', 'mixed', 'large', 'storno', 'outlet']) {
        const res = await outletA.api.request('GET', `/api/v1/invoices/${inv[key].id}/invoice.xml`);
        expect(res.status, `${key}: ${res.body}`).toBe(200);
        expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
        expect(checkEn16931(res.body), key).toEqual([]);
        expect(xmllint(res.body), key).toBe('valid');
        expect(res.body).toContain(`<cbc:ID>${inv[key].numberLabel}</cbc:ID>`);
      }
      const storno = (await outletA.api.request('GET', `/api/v1/invoices/${inv['storno'].id}/invoice.xml`)).body;
      expect(storno).toContain('<cbc:InvoiceTypeCode>384</cbc:InvoiceTypeCode>');
      expect(storno).toContain(`<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${inv['first'].numberLabel}</cbc:ID>`);
      expect(storno).toContain('<cbc:PayableAmount currencyID="EUR">-70.00</cbc:PayableAmount>');
      const promoterXml = await operator.api.request('GET', `/api/v1/invoices/${inv['promoter'].id}/invoice.xml`);
      expect(checkEn16931(promoterXml.body)).toEqual([]);
      // Seller contact, IBAN and both e-mail addresses known: the settlements are XRechnung 3.0 (and pass its
      // checked BR-DE rules); the business customer gave no e-mail address, so its invoices stay EN 16931 core.
      const outletXml = (await outletA.api.request('GET', `/api/v1/invoices/${inv['outlet'].id}/invoice.xml`)).body;
      for (const xml of [promoterXml.body, outletXml]) {
        expect(xml).toContain(`<cbc:CustomizationID>${XRECHNUNG_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
        expect(xml).toContain('<cbc:Telephone>+49 40 123456</cbc:Telephone>');
      }
      expect(storno).toContain(`<cbc:CustomizationID>${EN16931_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
      const mixed = (await outletA.api.request('GET', `/api/v1/invoices/${inv['mixed'].id}/invoice.xml`)).body;
      expect(mixed).toContain('<cbc:TaxableAmount currencyID="EUR">65.42</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">4.58</cbc:TaxAmount>');
      // The small-amount invoice without a recipient cannot be an EN 16931 invoice (buyer name and address are mandatory).
      const small = await outletA.api.request('GET', `/api/v1/invoices/${inv['small'].id}/invoice.xml`);
      expect(small.status).toBe(422);
      expect(small.json.code).toBe('E_INVOICE_NEEDS_RECIPIENT');
      const draft = await outletA.api.request('POST', '/api/v1/invoices/business-orders', { orderId: (await order([{ categoryId: fx.gaCategoryId, priceCents: 100, vatRateBp: 700, quantity: 1 }])).id });
      expect((await outletA.api.request('GET', `/api/v1/invoices/${draft.json.id}/invoice.xml`)).json.code).toBe('INVOICE_NOT_ISSUED');
      expect((await outletA.api.request('GET', `/api/v1/invoices/${draft.json.id}/invoice.pdf`)).json.code).toBe('INVOICE_NOT_ISSUED');
      inv['draft'] = draft.json;
    });

    it('lists invoices by status, kind, recipient and period, lists open items and exports DATEV-style lines', async () => {
      const issued = (await outletA.api.request('GET', '/api/v1/invoices?status=issued')).json;
      expect(issued.map((i: any) => i.numberLabel).sort()).toEqual([inv['large'], inv['mixed'], inv['outlet'], inv['redo'], inv['small'], inv['storno']].map((i) => i.numberLabel).sort());
      expect((await outletA.api.request('GET', '/api/v1/invoices?kind=cancellation')).json.map((i: any) => i.id)).toEqual([inv['storno'].id]);
      expect((await outletA.api.request('GET', '/api/v1/invoices?status=draft')).json.map((i: any) => i.id)).toEqual([inv['draft'].id]);
      const muster = (await outletA.api.request('GET', '/api/v1/invoices?recipient=muster&status=issued')).json;
      expect(muster.length).toBe(4);
      expect((await outletA.api.request('GET', '/api/v1/invoices?from=2000-01-01&to=2000-12-31')).json).toEqual([]);
      const openItems = (await outletA.api.request('GET', '/api/v1/invoices/open-items')).json;
      expect(openItems.map((i: any) => i.numberLabel).sort()).toEqual([inv['mixed'], inv['outlet'], inv['small']].map((i) => i.numberLabel).sort());
      expect(openItems.find((i: any) => i.id === inv['mixed'].id)).toMatchObject({ paymentState: 'partial', openCents: 1000 });
      expect(openItems.find((i: any) => i.id === inv['outlet'].id)).toMatchObject({ paymentState: 'partial', openCents: 810 });
      expect((await outletA.api.request('GET', '/api/v1/invoices?limit=0')).status).toBe(400);

      const csv = await outletA.api.request('GET', '/api/v1/invoices/export/datev.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const rows = csv.body.trimEnd().split('\r\n');
      expect(rows[0]).toBe(DATEV_COLUMNS.join(';'));
      const [y, m, d] = localDay(clock.now()).split('-');
      expect(rows).toContain(`70,00;H;EUR;10000;8300;${d}${m};"${inv['storno'].numberLabel}";"Muster AG";7,00;4,58;${y}-${m}-${d}`);
      expect(rows).toContain(`4,90;S;EUR;10000;8400;${d}${m};"${inv['mixed'].numberLabel}";"Muster AG";19,00;0,78;${y}-${m}-${d}`);
      // The first (cancelled) invoice stays in the books next to its cancellation.
      expect(rows.filter((r) => r.includes(`"${inv['first'].numberLabel}"`))).toHaveLength(1);
    });

    it('keeps tenants apart: an outlet sees its own invoices, a promoter only what is addressed to it', async () => {
      const ofA = Object.values(inv).map((i: any) => i.id as string);
      const listB = (await outletB.api.request('GET', '/api/v1/invoices')).body;
      for (const id of ofA) expect(listB).not.toContain(id);
      for (const url of [`/api/v1/invoices/${inv['redo'].id}`, `/api/v1/invoices/${inv['redo'].id}/invoice.pdf`, `/api/v1/invoices/${inv['redo'].id}/invoice.xml`]) {
        expect((await outletB.api.request('GET', url)).status, url).toBe(404);
      }
      expect((await outletB.api.request('POST', `/api/v1/invoices/${inv['draft'].id}/issue`, {})).status).toBe(404);
      expect((await outletB.api.request('PATCH', `/api/v1/invoices/${inv['draft'].id}`, { note: 'x' })).status).toBe(404);
      expect((await outletB.api.request('POST', `/api/v1/invoices/${inv['redo'].id}/cancel`, { reason: 'fremd' })).status).toBe(404);
      expect((await outletB.api.request('POST', '/api/v1/invoices/business-orders', { orderId: orders['first'].id })).status).toBe(404);
      // The promoter: its settlement, nothing of the outlets.
      const listP = (await promoter.api.request('GET', '/api/v1/invoices')).json;
      expect(listP.map((i: any) => i.id)).toEqual([inv['promoter'].id]);
      expect((await promoter.api.request('GET', `/api/v1/invoices/${inv['redo'].id}`)).status).toBe(404);
      const own = await getBytes(server, promoter.api, promoter.ws, `/api/v1/invoices/${inv['promoter'].id}/invoice.pdf`);
      expect(own.status).toBe(200);
      expect(sha256(own.body)).toBe(inv['promoter'].pdfSha256);
      // The promoter may read but not cancel the operator's invoice.
      expect((await promoter.api.request('POST', `/api/v1/invoices/${inv['promoter'].id}/cancel`, { reason: 'nein' })).status).toBe(403);
      // Outlet A reads its settlement, not the operator's settlement with the promoter.
      expect((await outletA.api.request('GET', `/api/v1/invoices/${inv['promoter'].id}`)).status).toBe(404);
      // The operator (recipient of the outlet settlement, parent of the outlets) reads outlet A's invoices.
      expect((await operator.api.request('GET', `/api/v1/invoices/${inv['outlet'].id}`)).status).toBe(200);
      // A draft stays with its issuer.
      expect((await operator.api.request('GET', `/api/v1/invoices/${inv['draft'].id}`)).status).toBe(200);
      expect((await operator.api.request('POST', `/api/v1/invoices/${inv['draft'].id}/issue`, {})).status).toBe(404);
    });

    it('audits every invoicing action in the same transaction', async () => {
      const actions = await server.tdb.asAdmin((db: Knex) => db('audit_log').whereIn('tenant_id', [server.tenants.outlet, server.tenants.operator]).pluck('action'));
      for (const a of ['billing_profile.update', 'billing_terms.update', 'invoice.draft', 'invoice.update_draft', 'invoice.delete_draft', 'invoice.issue', 'invoice.cancel', 'invoice.payment', 'invoice.paid', 'payment.import', 'payment.assign', 'payment.book', 'payment.discard']) {
        expect(actions, a).toContain(a);
      }
      const issues = await server.tdb.asAdmin((db: Knex) => db('audit_log').where({ action: 'invoice.issue', entity_id: inv['redo'].id }).select('details'));
      expect(issues).toHaveLength(1);
      expect(issues[0].details).toMatchObject({ numberLabel: inv['redo'].numberLabel, pdfSha256: inv['redo'].pdfSha256 });
      // The refused attempts left nothing: exactly one issue row per issued invoice of outlet A.
      const issuedCount = await server.tdb.asAdmin(async (db: Knex) => Number((await db('invoices').where({ tenant_id: server.tenants.outlet }).whereNot({ status: 'draft' }).count<Array<{ count: string }>>('* as count'))[0]?.count));
      const auditCount = await server.tdb.asAdmin(async (db: Knex) => Number((await db('audit_log').where({ tenant_id: server.tenants.outlet, action: 'invoice.issue' }).count<Array<{ count: string }>>('* as count'))[0]?.count));
      expect(auditCount).toBe(issuedCount);
    });
  });
}
