/**
 * A gate against the real server through the station's own API client, with a network that can fail:
 * online verdicts, the fall-back to offline with the same nonce when an answer is lost in transit, offline
 * verdicts from the list and the gate's own check-ins, and the way back online with the upload, after
 * which every scan is on the server exactly once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntryGate, type GateStatus } from '../../../src/main/services/entry/entry-gate.js';
import { createStationEntry } from '../../../src/main/services/station-entry.js';
import type { GateStatusView } from '../../../src/shared/ipc/entry.js';
import { createHttpEntrySyncBackend } from '../../../src/main/services/entry/entry-sync-http.js';
import { createOfflineEntry } from '../../../src/main/services/entry/offline-entry.js';
import { openScanJournal } from '../../../src/main/services/entry/scan-journal.js';
import { openScanListStore } from '../../../src/main/services/entry/scan-list-store.js';
import { fail } from '../../../src/shared/api-client/errors.js';
import type { HttpClient } from '../../../src/shared/api-client/http-client.js';
import type { EntryListView } from '../../../src/shared/api/entry.js';
import { DEFAULT_STATION_SETTINGS } from '../../../src/shared/ipc/station-settings.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { manualTimers } from '../../support/manual-timers.js';
import { insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createFakeSecretStore } from '../../unit/main/fake-secret-store.js';
import { P12_PASSPHRASE, stationWith, workstationP12, type StationHarness } from '../station/support.js';

const backend = testBackends()[0]!;
const clock = { now: () => new Date() };

type Network = 'up' | 'down' | 'answers-lost';

/** The station's HTTP client behind a network switch: down (nothing sent) or answers lost (sent, acted on, answer gone). */
function flaky(http: HttpClient, network: () => Network): HttpClient {
  return {
    async request(spec) {
      const state = network();
      if (state === 'down') return fail({ code: 'SERVER_UNREACHABLE', status: undefined, message: 'network down (test)' });
      const answer = await http.request(spec);
      if (state === 'answers-lost') return fail({ code: 'CONNECTION_LOST', status: undefined, message: 'answer lost (test)' });
      return answer;
    },
  };
}

describe(`entry gate: online, offline on a lost answer, back online with the upload (${backend})`, () => {
  let server: TestServer;
  let fx: SalesFixture;
  let clerk: ApiClient;
  let view: EntryListView;
  let harness: StationHarness;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer(backend, { config: { sessions: { absoluteHours: 8, idleMinutes: 0 } } });
    fx = await createSalesFixture(server, { gaCapacity: 100, sellers: [server.tenants.outlet] });
    const clerkUser = await createUser(server, server.tenants.outlet, 'kasse.tor', ['sales.sell', 'tickets.print']);
    clerk = await loginAs(server, server.workstation, clerkUser);
    await openTill(server, server.tenants.outlet, server.workstation.id, clerkUser.id);
    await insertBlankBatch(server, server.tenants.outlet, 1, 30, clerkUser.id);
    const pws = await server.registerWorkstation(fx.promoterId, 'einlass-buero-tor');
    const promoter = await loginAs(server, pws, await createUser(server, fx.promoterId, 'veranstalter.tor', ['events.manage']));
    const list = await promoter.request('POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'Alle' });
    expect(list.status, list.body).toBe(201);
    view = list.json as EntryListView;
    const ws = await server.registerWorkstation(fx.promoterId, 'tor-west');
    const user = await createUser(server, fx.promoterId, 'einlass.west', ['entry.scan']);
    harness = await stationWith(workstationP12(ws, server.pki.ca.certPem, 'tor-west'));
    expect((await harness.station.chooseCertificate()).ok).toBe(true);
    const setup = await harness.station.importCertificate({ serverUrl: `https://localhost:${server.port}`, passphrase: P12_PASSPHRASE, settings: { ...DEFAULT_STATION_SETTINGS, mode: 'entry' } });
    expect(setup, JSON.stringify(setup)).toMatchObject({ ok: true });
    expect(await harness.station.backend()!.auth.login({ login: user.login, password: user.password })).toMatchObject({ ok: true });
    dir = await mkdtemp(path.join(tmpdir(), 'gate-west-'));
  }, 180_000);

  afterAll(async () => {
    await harness?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    await server?.close();
  });

  it('switches to offline when an answer is lost, keeps deciding, and reconciles to exactly one check-in per scan', async () => {
    const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 3);
    await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 1 });
    const job = await printJob(clerk, order.id);
    expect(job.status, job.body).toBe(201);
    expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
    const [a, b, c] = (job.json.tickets as Array<{ barcode: string }>).map((t) => t.barcode) as [string, string, string];

    let network: Network = 'up';
    const sync = createHttpEntrySyncBackend(flaky(harness.station.backend()!.http, () => network));
    const scanList = await openScanListStore({ dir, secrets: createFakeSecretStore({ key: randomBytes(32) }), clock });
    const journal = await openScanJournal({ dir });
    const offline = createOfflineEntry({ scanList, journal, clock, gate: 'West' });
    const statuses: GateStatus[] = [];
    const { timers, fireAll } = manualTimers();
    const gate = createEntryGate({
      view,
      gate: 'West',
      online: sync,
      sync,
      offline,
      scanList,
      pendingUploads: () => journal.pendingUpload(Number.MAX_SAFE_INTEGER).length,
      clock,
      timers,
      onStatus: (s) => statuses.push(s),
    });
    await gate.tick();
    expect(gate.status()).toMatchObject({ mode: 'online', pendingUploads: 0, lastError: null });
    expect(gate.status().listAgeMs).toBeGreaterThanOrEqual(0);

    // Online: the server decides.
    expect(await gate.scan(a)).toMatchObject({ ok: true, value: { mode: 'online', verdict: 'admitted' } });
    expect(await gate.scan(a)).toMatchObject({ ok: true, value: { mode: 'online', verdict: 'already_admitted', admittedGate: 'West', admittedDevice: 'tor-west' } });

    // The server admits b but the answer never arrives: the gate decides b offline with the same nonce.
    network = 'answers-lost';
    const lost = await gate.scan(b);
    expect(lost).toMatchObject({ ok: true, value: { mode: 'offline', verdict: 'admitted' } });
    expect(gate.status().mode).toBe('offline');
    expect(statuses.at(-1)?.mode).toBe('offline');

    // Down: offline verdicts from the list and from what the gate itself let in, online and offline.
    network = 'down';
    expect(await gate.scan(a)).toMatchObject({ ok: true, value: { mode: 'offline', verdict: 'already_admitted' } });
    expect(await gate.scan(b)).toMatchObject({ ok: true, value: { mode: 'offline', verdict: 'already_admitted' } });
    expect(await gate.scan(c)).toMatchObject({ ok: true, value: { mode: 'offline', verdict: 'admitted' } });
    expect(await gate.scan(`${c.slice(0, -1)}${(Number(c.at(-1)) + 1) % 10}`)).toMatchObject({ ok: true, value: { mode: 'offline', verdict: 'malformed' } });
    await gate.tick();
    expect(gate.status()).toMatchObject({ mode: 'offline', lastError: 'SERVER_UNREACHABLE', pendingUploads: 5 });

    // Back: the timer's round syncs, switches online and uploads the journal in order.
    network = 'up';
    gate.start();
    await fireAll();
    await gate.stop();
    expect(gate.status()).toMatchObject({ mode: 'online', pendingUploads: 0, lastError: null });

    // On the server: b once (the lost online attempt and the offline scan are the same scan), each ticket
    // admitted once, no conflict, and every scan the gate showed is there.
    const rows = await server.tdb.asAdmin((db) => db('check_ins').where({ entry_list_id: view.id }).orderBy('scanned_at').select<Array<{ code: string; verdict: string; offline: boolean; nonce: string }>>('code', 'verdict', 'offline', 'nonce'));
    expect(rows.filter((r) => r.code === b)).toHaveLength(2);
    expect(rows.filter((r) => r.code === b && r.verdict === 'admitted')).toHaveLength(1);
    expect(rows.filter((r) => r.nonce === (lost.ok ? lost.value.nonce : ''))).toEqual([{ code: b, verdict: 'admitted', offline: false, nonce: lost.ok ? lost.value.nonce : '' }]);
    expect(rows).toHaveLength(7);
    const admissions = await server.tdb.asAdmin((db) => db('ticket_admissions').where({ entry_list_id: view.id }).count<Array<{ n: string }>>('* as n'));
    expect(Number(admissions[0]!.n)).toBe(3);
    expect(await server.tdb.asAdmin((db) => db('entry_conflicts').where({ entry_list_id: view.id }).select('id'))).toEqual([]);
    await journal.close();
    await scanList.close();
  });

  it('runs entry mode at the station: lists, open a gate, scan, status events, close', async () => {
    const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
    await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 4 });
    const job = await printJob(clerk, order.id);
    expect(job.status, job.body).toBe(201);
    expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
    const code = job.json.tickets[0].barcode as string;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'station-entry-'));
    const events: GateStatusView[] = [];
    const { timers } = manualTimers();
    const entry = createStationEntry({
      http: () => harness.station.backend()?.http,
      dataDir,
      secrets: createFakeSecretStore({ key: randomBytes(32) }),
      clock,
      timers,
      events: { emit: (name, payload) => void (name === 'entryStatus' && events.push(payload as GateStatusView)) },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    try {
      expect(await entry.scan(code)).toMatchObject({ ok: false, error: { code: 'ENTRY_NOT_OPEN' } });
      const lists = await entry.lists();
      expect(lists.ok && lists.value.map((l) => l.id)).toEqual([view.id]);
      expect(await entry.open('6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c', 'Ost')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const opened = await entry.open(view.id, 'Ost');
      expect(opened).toMatchObject({ ok: true, value: { entryListId: view.id, gate: 'Ost', mode: 'online', pendingUploads: 0, lastError: null } });
      expect(await entry.scan(code)).toMatchObject({ ok: true, value: { mode: 'online', verdict: 'admitted', ok: true } });
      expect(await entry.scan(code)).toMatchObject({ ok: true, value: { mode: 'online', verdict: 'already_admitted', admittedGate: 'Ost' } });
      expect(entry.status()).toMatchObject({ entryListId: view.id, mode: 'online' });
      // The window heard the gate's status after the first sync round.
      expect(events.at(-1)).toMatchObject({ entryListId: view.id, gate: 'Ost', mode: 'online' });
      expect(await entry.close()).toMatchObject({ entryListId: null, gate: null });
      expect(await entry.scan(code)).toMatchObject({ ok: false, error: { code: 'ENTRY_NOT_OPEN' } });
    } finally {
      await entry.shutdown();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
