/**
 * The whole print path of a sale, end to end: the station (set up with its workstation .p12, logged in
 * over mutual TLS) sells a paid order on a real test server, asks the server for a print job (blank
 * numbers and barcodes assigned there), renders the sheet, hands it to the real CUPS spooler, and
 * confirms. The PDF that cups-pdf writes must carry, blank by blank, exactly the barcodes the server
 * stored for those blanks, and the server must hold the prints as active.
 *
 * One database backend is enough here (the printing module's own tests cover both); CUPS as in
 * cups-print.test.ts, failing rather than skipping when it is missing.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR } from '../../../src/main/printing/ticket-sheet-pdf.js';
import { createStationPrinting } from '../../../src/main/services/station-printing.js';
import { OrderView } from '../../../src/shared/api/sales.js';
import { TrayView } from '../../../src/shared/api/printing.js';
import { isValidBarcode } from '../../../src/shared/barcode.js';
import { DEFAULT_STATION_SETTINGS } from '../../../src/shared/ipc/station-settings.js';
import { testBackends } from '../../support/backends.js';
import { createUser, type TestUser } from '../../support/identity.js';
import { insertBlankBatch } from '../../support/printing-fixtures.js';
import { createSalesFixture, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { P12_PASSPHRASE, silentLog, stationWith, workstationP12, type StationHarness } from '../station/support.js';
import { cupsPrinter, openCupsPdf, pdfInfo, QUEUE, type CupsPdf } from './cups-support.js';

const backend = testBackends()[0]!;

describe(`station prints a paid order through CUPS with the server's barcodes (${backend})`, () => {
  let server: TestServer;
  let fx: SalesFixture;
  let clerk: TestUser;
  let harness: StationHarness;
  let cups: CupsPdf;
  let printing: ReturnType<typeof createStationPrinting>;
  let firstPrints: Array<{ ticket_id: string; blank_number: number; barcode: string; status: string }> = [];

  beforeAll(async () => {
    cups = await openCupsPdf();
    server = await startTestServer(backend, { config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
    fx = await createSalesFixture(server, { sellers: [server.tenants.outlet] });
    clerk = await createUser(server, server.tenants.outlet, 'kasse.druck', ['sales.sell', 'tickets.print', 'tickets.reprint']);
    await openTill(server, server.tenants.outlet, server.workstation.id, clerk.id);
    await insertBlankBatch(server, server.tenants.outlet, 1, 30, clerk.id);
    harness = await stationWith(workstationP12(server.workstation, server.pki.ca.certPem));
    expect((await harness.station.chooseCertificate()).ok).toBe(true);
    const setup = await harness.station.importCertificate({
      serverUrl: `https://localhost:${server.port}`,
      passphrase: P12_PASSPHRASE,
      settings: { ...DEFAULT_STATION_SETTINGS, printer: { name: QUEUE, offsetXTenthMm: 0, offsetYTenthMm: 0 } },
    });
    expect(setup, JSON.stringify(setup)).toMatchObject({ ok: true });
    expect(await harness.station.backend()!.auth.login({ login: clerk.login, password: clerk.password })).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await cups?.cleanup();
    await harness?.cleanup();
    await server?.close();
  });

  it('sells, prints on the tray’s blanks, confirms, and every printed barcode is the one the server issued', async () => {
    const api = harness.station.backend()!;
    const tray = await api.http.request({ method: 'PUT', path: '/api/v1/printing/tray', body: { nextBlankNumber: 4 }, response: TrayView, auth: 'session' });
    expect(tray).toMatchObject({ ok: true, value: { nextBlankNumber: 4, position: 1 } });
    const sale = await api.http.request({
      method: 'POST',
      path: '/api/v1/orders',
      body: { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 3 }], payment: { method: 'cash', givenCents: 3 * 3500 } },
      response: OrderView,
      auth: 'session',
      idempotent: true,
    });
    expect(sale, JSON.stringify(sale)).toMatchObject({ ok: true });
    const order = sale.ok ? sale.value : undefined;

    printing = createStationPrinting({
      station: harness.station,
      printer: cupsPrinter(),
      renderer: () => createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) }),
      clock: { now: () => new Date() },
      log: silentLog,
    });
    const started = performance.now();
    const result = await printing.service.printOrder(order!.id, printing.setup());
    const elapsed = performance.now() - started;
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, confirmed: true });
    if (!result.ok) return;
    console.warn(`request → render → spooler → confirmed for 3 tickets: ${elapsed.toFixed(0)} ms (includes the font load)`);
    expect(result.report.blanks.map((blank) => [blank.blankNumber, blank.outcome])).toEqual([
      [4, 'printed'],
      [5, 'printed'],
      [6, 'printed'],
    ]);

    const prints = await server.tdb.asAdmin((admin) =>
      admin('ticket_prints')
        .whereIn('blank_number', [4, 5, 6])
        .orderBy('blank_number')
        .select<Array<{ ticket_id: string; blank_number: number; barcode: string; status: string }>>('ticket_id', 'blank_number', 'barcode', 'status'),
    );
    firstPrints = prints;
    expect(prints.map((print) => [Number(print.blank_number), print.status])).toEqual([
      [4, 'active'],
      [5, 'active'],
      [6, 'active'],
    ]);
    for (const print of prints) expect(isValidBarcode(print.barcode), print.barcode).toBe(true);

    const file = await cups.output(result.report.spoolerJobId!);
    const info = await pdfInfo(file);
    expect([info.pages, Math.round(info.width), Math.round(info.height)]).toEqual([1, 595, 842]);
    expect(await cups.decodeBlanks(file)).toEqual(prints.map((print) => [[print.barcode], [print.barcode]]));
  });

  it('reprints a damaged ticket on the next blank with a new barcode; the old one is void', async () => {
    const old = firstPrints[0]!;
    const result = await printing.service.reprintTicket(old.ticket_id, 'damaged', printing.setup());
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, confirmed: true });
    if (!result.ok) return;
    expect(result.report.blanks).toMatchObject([{ blankNumber: 7, ticketId: old.ticket_id, outcome: 'printed' }]);
    const prints = await server.tdb.asAdmin((admin) =>
      admin('ticket_prints').where({ ticket_id: old.ticket_id }).orderBy('blank_number').select<Array<{ blank_number: number; barcode: string; status: string }>>('blank_number', 'barcode', 'status'),
    );
    expect(prints.map((print) => [Number(print.blank_number), print.status])).toEqual([
      [4, 'void'],
      [7, 'active'],
    ]);
    expect(prints[1]!.barcode).not.toBe(old.barcode);
    const file = await cups.output(result.report.spoolerJobId!);
    expect(await cups.decodeBlanks(file)).toEqual([[[prints[1]!.barcode], [prints[1]!.barcode]], [[], []], [[], []]]);
  });
});
