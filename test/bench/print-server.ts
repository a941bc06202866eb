import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { buildApp, type App } from '../../server/src/app.js';
import { systemClock } from '../../server/src/clock.js';
import { APP_ROLE, openDatabase, type Database } from '../../server/src/db/database.js';
import { hashPassword } from '../../server/src/modules/identity/password-hash.js';
import { buildPkcs12 } from '../../server/src/pki/pkcs12.js';
import { createCa, issueClientCertificate, issueServerCertificate } from '../../server/src/pki/x509.js';
import type { Printer } from '../../src/main/ports/printer.js';
import type { TicketSheetRenderer } from '../../src/main/printing/ticket-sheet-pdf.js';
import { createBackendClient, type BackendClient } from '../../src/main/services/backend-client.js';
import { openWorkstationPkcs12 } from '../../src/main/services/pkcs12.js';
import { createPrintService } from '../../src/main/services/print-service.js';
import { createHttpPrintJobBackend } from '../../src/main/services/print-jobs-http.js';
import { OrderView } from '../../src/shared/api/sales.js';
import { TrayView } from '../../src/shared/api/printing.js';

/**
 * "Print job requested" to "PDF handed to the printer" for 3-ticket orders against a local server: the
 * real app on embedded PGlite over mutual TLS, the station's backend client with its workstation
 * certificate, the print service with the given printer. Each order is sold first (not timed); then the
 * clock runs from the print-job request to the printer's acceptance, and on to the server's
 * confirmation.
 */
const PASSWORD = 'Drucker Bench über Elbe 9!';
const PRICE = 3500;

export interface ServerSpoolResult {
  /** Request → printer accepted, ms per order. */
  toSpooler: number[];
  /** Request → server confirmed, ms per order. */
  toConfirmed: number[];
  /** Where the time to the spooler goes, ms per order: issuing on the server, rendering, the printer adapter. */
  issue: number[];
  render: number[];
  printer: number[];
  setupMs: number;
}

export async function benchServerSpool(renderer: TicketSheetRenderer, printer: Printer, printerName: string, orders: number): Promise<ServerSpoolResult> {
  const setupStart = performance.now();
  const root = await mkdtemp(path.join(tmpdir(), 'print-bench-'));
  let db: Database | undefined;
  let app: App | undefined;
  let backend: BackendClient | undefined;
  try {
    db = await openDatabase({ pgliteDir: path.join(root, 'pglite'), migrate: true });
    const knex = db.knex;
    // PGlite is one session: leave the app role for the seeding, then return to it.
    const asAdmin = async <T>(fn: (admin: Knex) => Promise<T>): Promise<T> => {
      await knex.raw('RESET ROLE');
      try {
        return await fn(knex);
      } finally {
        await knex.raw(`SET ROLE ${APP_ROLE}`);
      }
    };
    const now = Date.now();
    const ca = await createCa({ commonName: 'Print bench CA', validityDays: 2, now: new Date(now - 3600_000) });
    const serverCert = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1, now: new Date(now - 60_000) });
    const wsCert = await issueClientCertificate(ca, { commonName: 'kasse-1', organization: 'Bench outlet', validityDays: 1, now: new Date(now - 60_000), kind: 'workstation' });
    // Cheap scrypt parameters: the stored hash carries them, so the login is cheap too.
    const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
    const fixture = await asAdmin((admin) =>
      admin.transaction(async (trx) => {
        const [op] = await trx('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
        const [outlet] = await trx('tenants').insert({ kind: 'outlet', code: 'outlet-1', name: 'Ticketshop am Hauptbahnhof', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
        const [promoter] = await trx('tenants').insert({ kind: 'promoter', code: 'promoter', name: 'Konzertbüro', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
        const [venue] = await trx('venues').insert({ tenant_id: promoter!.id, name: 'Stadthalle', city: 'Hamburg' }).returning<Array<{ id: string }>>('id');
        const [event] = await trx('events')
          .insert({
            tenant_id: promoter!.id,
            venue_id: venue!.id,
            name: 'Sommerkonzert',
            starts_at: new Date(now + 31 * 86_400_000),
            sales_start: new Date(now - 86_400_000),
            sales_end: new Date(now + 30 * 86_400_000),
            status: 'on_sale',
          })
          .returning<Array<{ id: string }>>('id');
        const [ga] = await trx('price_categories')
          .insert({ tenant_id: promoter!.id, event_id: event!.id, name: 'Stehplatz', price_cents: PRICE, vat_rate_bp: 700, seated: false, capacity: 3 * orders + 3, sort_order: 1 })
          .returning<Array<{ id: string }>>('id');
        await trx('sales_rights').insert({ tenant_id: promoter!.id, event_id: event!.id, outlet_id: outlet!.id, granted_at: new Date(now) });
        const [ws] = await trx('workstations')
          .insert({ tenant_id: outlet!.id, name: 'kasse-1', cert_serial: wsCert.serialHex, cert_fingerprint: wsCert.fingerprint256, cert_not_after: wsCert.notAfter })
          .returning<Array<{ id: string }>>('id');
        const [user] = await trx('users')
          .insert({ tenant_id: outlet!.id, login: 'kasse.1', display_name: 'Kasse 1', password_hash: passwordHash, must_change_password: false })
          .returning<Array<{ id: string }>>('id');
        await trx('user_permissions').insert(['sales.sell', 'tickets.print'].map((permission) => ({ tenant_id: outlet!.id, user_id: user!.id, permission, granted_at: new Date(now) })));
        await trx('till_sessions').insert({ tenant_id: outlet!.id, workstation_id: ws!.id, user_id: user!.id, opened_at: new Date(now), opening_float_cents: 10_000 });
        const [batch] = await trx('blank_batches')
          .insert({ tenant_id: outlet!.id, first_number: 1, last_number: 3 * orders + 3, registered_at: new Date(now), registered_by: user!.id })
          .returning<Array<{ id: string }>>('id');
        await trx.raw('INSERT INTO blanks (number, tenant_id, batch_id) SELECT g, ?, ? FROM generate_series(1::bigint, ?::bigint) g', [outlet!.id, batch!.id, 3 * orders + 3]);
        return { eventId: event!.id, categoryId: ga!.id };
      }),
    );

    app = await buildApp({
      config: { logLevel: 'error', bodyLimitBytes: 256 * 1024, requestTimeoutMs: 30_000, rendererDir: '/nonexistent', sessions: { absoluteHours: 8, idleMinutes: 60 } },
      db,
      clock: systemClock,
      tls: { cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.certPem },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no port');

    const passphrase = 'print-bench-passphrase';
    const opened = openWorkstationPkcs12(buildPkcs12({ keyPem: wsCert.keyPem, certPem: wsCert.certPem, chainPems: [ca.certPem], passphrase, friendlyName: 'kasse-1' }), passphrase);
    if (!opened.ok) throw new Error(`bench .p12 does not open: ${opened.code}`);
    backend = createBackendClient({
      serverUrl: `https://localhost:${address.port}`,
      certificate: opened.value,
      clock: { now: () => new Date() },
      newIdempotencyKey: randomUUID,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const api = backend;
    const login = await api.auth.login({ login: 'kasse.1', password: PASSWORD });
    if (!login.ok) throw new Error(`login failed: ${login.error.code}`);
    const tray = await api.http.request({ method: 'PUT', path: '/api/v1/printing/tray', body: { nextBlankNumber: 1 }, response: TrayView, auth: 'session' });
    if (!tray.ok) throw new Error(`loading the tray failed: ${tray.error.code}`);

    // The printer's acceptance is the end of "request to spooler"; the parts are timed on the way.
    let acceptedAt = 0;
    const part = { issue: 0, render: 0, printer: 0 };
    const timedPrinter: Printer = {
      ...printer,
      print: async (request) => {
        const start = performance.now();
        const result = await printer.print(request);
        acceptedAt = performance.now();
        part.printer = acceptedAt - start;
        return result;
      },
    };
    const timedRenderer = {
      renderTickets: async (...args: Parameters<TicketSheetRenderer['renderTickets']>) => {
        const start = performance.now();
        const pdf = await renderer.renderTickets(...args);
        part.render = performance.now() - start;
        return pdf;
      },
    };
    const http = createHttpPrintJobBackend(api.http);
    const timedBackend = {
      ...http,
      issue: async (...args: Parameters<typeof http.issue>) => {
        const start = performance.now();
        const issued = await http.issue(...args);
        part.issue = performance.now() - start;
        return issued;
      },
    };
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const service = createPrintService({ printer: timedPrinter, renderer: timedRenderer, clock: { now: () => new Date() }, log, backend: timedBackend });
    const setupMs = performance.now() - setupStart;

    const toSpooler: number[] = [];
    const toConfirmed: number[] = [];
    const parts = { issue: [] as number[], render: [] as number[], printer: [] as number[] };
    for (let i = 0; i < orders; i += 1) {
      const sale = await api.http.request({
        method: 'POST',
        path: '/api/v1/orders',
        body: { eventId: fixture.eventId, channel: 'counter', items: [{ categoryId: fixture.categoryId, quantity: 3 }], payment: { method: 'cash', givenCents: 3 * PRICE } },
        response: OrderView,
        auth: 'session',
        idempotent: true,
      });
      if (!sale.ok) throw new Error(`sale failed: ${sale.error.code}`);
      const started = performance.now();
      const printed = await service.printOrder(sale.value.id, { printerName, calibration: { offsetXMm: 0, offsetYMm: 0 } });
      const done = performance.now();
      if (!printed.ok || !printed.confirmed) throw new Error(`print failed: ${printed.ok ? "not confirmed" : printed.stage === "issue" ? printed.error.code : JSON.stringify(printed.report.error)}`);
      toSpooler.push(acceptedAt - started);
      toConfirmed.push(done - started);
      parts.issue.push(part.issue);
      parts.render.push(part.render);
      parts.printer.push(part.printer);
    }
    return { toSpooler, toConfirmed, ...parts, setupMs };
  } finally {
    backend?.close();
    await app?.close();
    await db?.close();
    await rm(root, { recursive: true, force: true });
  }
}
