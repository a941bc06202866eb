/**
 * Offline entry end to end, with real processes and the real server: two gate stations (set up with
 * their workstation .p12, logged in over mutual TLS) download the scan list, go offline and scan in
 * their own Node processes; one is killed with SIGKILL in the middle and restarted; both come back and
 * upload their journals through the station's API client. Every scan whose verdict was shown is on the
 * server exactly once, nothing is lost, and tickets both stations let in become conflicts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpEntrySyncBackend, syncScanList, uploadThrough } from '../../../src/main/services/entry/entry-sync-http.js';
import { createOfflineEntry } from '../../../src/main/services/entry/offline-entry.js';
import { openScanJournal } from '../../../src/main/services/entry/scan-journal.js';
import { openScanListStore } from '../../../src/main/services/entry/scan-list-store.js';
import { Type } from 'typebox';
import { EntryConflict, type EntryListView } from '../../../src/shared/api/entry.js';
import { DEFAULT_STATION_SETTINGS } from '../../../src/shared/ipc/station-settings.js';
import { testBackends } from '../../support/backends.js';
import { runScanChild, type ShownScan } from '../../support/entry-fixtures.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createFakeSecretStore } from '../../unit/main/fake-secret-store.js';
import { P12_PASSPHRASE, stationWith, workstationP12, type StationHarness } from '../station/support.js';

const backend = testBackends()[0]!;
const clock = { now: () => new Date() };

interface Gate {
  harness: StationHarness;
  dir: string;
  secretKey: Buffer;
  name: string;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe(`offline entry: two stations, SIGKILL, upload to the real server (${backend})`, () => {
  let server: TestServer;
  let fx: SalesFixture;
  let clerk: ApiClient;
  let manager: ApiClient;
  let view: EntryListView;
  const gates: Gate[] = [];
  let nextBlank = 1;

  /** Sells and prints `n` GA tickets; returns their ids and barcodes. */
  async function soldAndPrinted(n: number): Promise<Array<{ ticketId: string; barcode: string }>> {
    const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, n);
    await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: nextBlank });
    const job = await printJob(clerk, order.id);
    expect(job.status, job.body).toBe(201);
    nextBlank = Math.ceil((job.json.lastBlank as number) / 3) * 3 + 1;
    expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
    return (job.json.tickets as Array<{ ticketId: string; barcode: string }>).map((t) => ({ ticketId: t.ticketId, barcode: t.barcode }));
  }

  async function gateStation(name: string): Promise<Gate> {
    const ws = await server.registerWorkstation(fx.promoterId, `tor-${name.toLowerCase()}`);
    const user = await createUser(server, fx.promoterId, `einlass.${name.toLowerCase()}`, ['entry.scan']);
    const harness = await stationWith(workstationP12(ws, server.pki.ca.certPem, `tor-${name}`));
    expect((await harness.station.chooseCertificate()).ok).toBe(true);
    const setup = await harness.station.importCertificate({ serverUrl: `https://localhost:${server.port}`, passphrase: P12_PASSPHRASE, settings: { ...DEFAULT_STATION_SETTINGS, mode: 'entry' } });
    expect(setup, JSON.stringify(setup)).toMatchObject({ ok: true });
    expect(await harness.station.backend()!.auth.login({ login: user.login, password: user.password })).toMatchObject({ ok: true });
    return { harness, dir: await mkdtemp(path.join(tmpdir(), `gate-${name}-`)), secretKey: randomBytes(32), name };
  }

  const sync = (gate: Gate) => createHttpEntrySyncBackend(gate.harness.station.backend()!.http);

  /** The station's stores as main opens them: the same sealed key as the child's "OS user". */
  async function openGate(gate: Gate) {
    const scanList = await openScanListStore({ dir: gate.dir, secrets: createFakeSecretStore({ key: gate.secretKey }), clock });
    const journal = await openScanJournal({ dir: gate.dir });
    const entry = createOfflineEntry({ scanList, journal, clock, gate: gate.name });
    return { scanList, journal, entry, close: async () => Promise.all([journal.close(), scanList.close()]) };
  }

  async function scanOffline(gate: Gate, codes: readonly string[], killAfter?: number): Promise<{ shown: ShownScan[]; killed: boolean }> {
    await writeFile(path.join(gate.dir, 'codes.json'), JSON.stringify(codes));
    const run = await runScanChild(gate.dir, gate.secretKey, { gate: gate.name, ...(killAfter === undefined ? {} : { killAfter }) });
    return { shown: run.shown, killed: run.signal === 'SIGKILL' };
  }

  beforeAll(async () => {
    server = await startTestServer(backend, { config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
    fx = await createSalesFixture(server, { gaCapacity: 1_000, sellers: [server.tenants.outlet] });
    const clerkUser = await createUser(server, server.tenants.outlet, 'kasse.off', ['sales.sell', 'tickets.print']);
    clerk = await loginAs(server, server.workstation, clerkUser);
    await openTill(server, server.tenants.outlet, server.workstation.id, clerkUser.id);
    const ws2 = await server.registerWorkstation(server.tenants.outlet, 'buero-off');
    manager = await loginAs(server, ws2, await createUser(server, server.tenants.outlet, 'chef.off', ['tickets.print', 'tickets.reprint']));
    await insertBlankBatch(server, server.tenants.outlet, 1, 900, clerkUser.id);
    const pws = await server.registerWorkstation(fx.promoterId, 'einlass-buero-off');
    const promoter = await loginAs(server, pws, await createUser(server, fx.promoterId, 'veranstalter.off', ['events.manage']));
    const list = await promoter.request('POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'Alle Tickets (offline)' });
    expect(list.status, list.body).toBe(201);
    view = list.json as EntryListView;
    gates.push(await gateStation('Nord'), await gateStation('Sued'));
  }, 180_000);

  afterAll(async () => {
    for (const gate of gates) {
      await gate.harness.cleanup();
      await rm(gate.dir, { recursive: true, force: true });
    }
    await server?.close();
  });

  it('loses no scan that staff saw, records each exactly once, and reports the double admissions', async () => {
    const tickets = (await Promise.all([0, 1, 2, 3].map(() => soldAndPrinted(50)))).flat();
    // Five tickets are reprinted before the stations download the list: their old codes are voided.
    const reprinted = tickets.slice(0, 5);
    await manager.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: nextBlank });
    for (const t of reprinted) {
      const reprint = await manager.request('POST', `/api/v1/tickets/${t.ticketId}/reprint`, { reason: 'lost' }, { 'idempotency-key': newKey() });
      expect(reprint.status, reprint.body).toBe(201);
      nextBlank = Math.ceil((reprint.json.lastBlank as number) / 3) * 3 + 1;
    }
    const [nord, sued] = gates as [Gate, Gate];
    for (const gate of gates) {
      const store = await openScanListStore({ dir: gate.dir, secrets: createFakeSecretStore({ key: gate.secretKey }), clock });
      expect(await syncScanList(store, sync(gate), view)).toMatchObject({ ok: true, full: true, entries: 205 });
      await store.close();
    }

    // Offline. Nord: 1,000 scans — every valid ticket, many twice or more, the voided codes, misreads.
    const valid = tickets.slice(5).map((t) => t.barcode);
    const misread = (code: string) => `${code.slice(0, 7)}${(Number(code[7]) + 3) % 10}${code.slice(8)}`;
    const nordCodes = shuffled([
      ...valid,
      ...Array.from({ length: 700 }, (_, i) => valid[i % valid.length]!),
      ...reprinted.map((t) => t.barcode),
      ...valid.slice(0, 100).map(misread),
    ]);
    expect(nordCodes).toHaveLength(1_000);
    const killAt = 300 + Math.floor(Math.random() * 300);
    const firstRun = await scanOffline(nord, nordCodes, killAt);
    expect(firstRun.killed).toBe(true);
    expect(firstRun.shown.length).toBeLessThan(nordCodes.length);
    // Restarted, the station carries on with the codes not yet shown (a guest whose verdict did not
    // appear is simply scanned again).
    const secondRun = await scanOffline(nord, nordCodes.slice(firstRun.shown.length));
    expect(secondRun.killed).toBe(false);
    // Süd, offline at the same time, lets in 40 guests that Nord let in already (later by scan time).
    const suedRun = await scanOffline(sued, valid.slice(0, 40));
    const shown = [...firstRun.shown, ...secondRun.shown, ...suedRun.shown];

    // Online again: both upload through the station's own API client.
    let journalled = 0;
    for (const gate of gates) {
      const opened = await openGate(gate);
      journalled += opened.journal.scans().length;
      expect(await opened.entry.uploadPending(uploadThrough(sync(gate)))).toMatchObject({ pending: 0 });
      expect(opened.journal.pendingUpload(10)).toEqual([]);
      await opened.close();
    }

    const rows = await server.tdb.asAdmin((admin) =>
      admin('check_ins').where({ entry_list_id: view.id, offline: true }).select<Array<{ nonce: string; code: string; gate: string; verdict: string }>>('nonce', 'code', 'gate', 'verdict'),
    );
    // Nothing lost, nothing twice: every journalled scan is one check-in, every shown one among them.
    expect(rows).toHaveLength(journalled);
    const byNonce = new Map(rows.map((r) => [r.nonce, r]));
    expect(byNonce.size).toBe(rows.length);
    for (const s of shown) expect(byNonce.get(s.nonce), `shown scan ${s.nonce} (${s.verdict})`).toMatchObject({ code: s.code });
    expect(journalled - shown.length).toBeGreaterThanOrEqual(0);
    expect(journalled - shown.length).toBeLessThanOrEqual(1);

    // Every valid ticket admitted exactly once on the server; Nord's offline verdicts agree with it.
    const admissions = await server.tdb.asAdmin((admin) => admin('ticket_admissions').where({ entry_list_id: view.id }).select<Array<{ ticket_id: string; first_gate: string }>>('ticket_id', 'first_gate'));
    expect(admissions).toHaveLength(valid.length);
    expect(admissions.every((a) => a.first_gate === 'Nord')).toBe(true);
    expect(shown.filter((s) => s.verdict === 'voided').map((s) => s.code).sort()).toEqual(reprinted.map((t) => t.barcode).sort());
    expect(shown.filter((s) => s.verdict === 'malformed')).toHaveLength(100);
    const nordAdmitted = [...firstRun.shown, ...secondRun.shown].filter((s) => s.verdict === 'admitted').map((s) => s.code);
    expect(new Set(nordAdmitted).size).toBe(nordAdmitted.length);

    // Süd's 40 admissions came after Nord's: conflicts, reported with both gates.
    expect(suedRun.shown.map((s) => s.verdict)).toEqual(Array(40).fill('admitted'));
    const report = await sued.harness.station.backend()!.http.request({ method: 'GET', path: `/api/v1/entry-lists/${view.id}/conflicts`, response: Type.Array(EntryConflict), auth: 'session' });
    if (!report.ok) throw new Error(report.error.code);
    const conflicts = report.value;
    const doubles = conflicts.filter((c) => c.kind === 'double_admission');
    expect(doubles).toHaveLength(40);
    expect(doubles.every((c) => c.first.gate === 'Nord' && c.later.gate === 'Sued')).toBe(true);
  }, 180_000);
});
