import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAllChains } from '../../server/src/modules/audit/verify.js';
import { operatorScope } from '../../server/src/modules/tenants/operator-scope.js';
import { testBackends } from '../support/backends.js';
import { httpsRequest, type HttpsResult } from '../support/https.js';
import { apiClient, createUser, loginAs } from '../support/identity.js';
import { openDatabase } from '../../server/src/db/database.js';
import { counters, createSalesFixture, newKey, openTill, type SalesFixture } from '../support/sales-fixtures.js';
import { startServerProcess, writeTlsFiles, type ServerProcess, type TlsFiles } from '../support/server-process.js';
import { startDelayingProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * SIGKILL of the server process in the middle of an on-sale rush of 50 clients. The clients reach it
 * through a proxy that holds answers back for a moment and drops them with the crash, so that some sales
 * commit without their client hearing of it (as when the network fails with the server). Every client sends each
 * order with its own idempotency key and, like the station, sends the very same request again after a
 * lost answer (connection reset, refused while the server is down) or a 503 — until it gets an answer.
 * After the restart: every order a client was told about exists exactly once, every committed order was
 * eventually told to its client, no ticket lacks its order, counters equal ticket rows, nothing is sold
 * beyond capacity, each order was paid once, and the audit chains verify.
 */

const CLIENTS = 50;
const KILL_AFTER_ORDERS = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Buyer {
  index: number;
  login: string;
  password: string;
  agent: https.Agent;
  token: string | undefined;
}

interface Outcome {
  key: string;
  buyer: number;
  kind: 'ga' | 'seated';
  quantity: number;
  /** Attempts that ended without an HTTP answer (connection reset, refused). */
  lostAnswers: number;
  status: number;
  orderId?: string;
  tickets?: number;
  replayed: boolean;
  code?: string;
}

describe.skipIf(!testBackends().includes('postgres'))('crash during an on-sale rush (PostgreSQL, server process killed with SIGKILL)', () => {
  let server: TestServer;
  let fx: SalesFixture;
  let work: string;
  let tls: TlsFiles;
  let proc: ServerProcess | undefined;
  let buyers: Buyer[];
  let proxy: TcpProxy | undefined;

  beforeAll(async () => {
    server = await startTestServer('postgres');
    // Only its database, PKI and tenants are used: the server under test is a separate process.
    await server.app.close();
    fx = await createSalesFixture(server, { gaCapacity: 260, rows: 8, seatsPerRow: 20 });
    work = mkdtempSync(path.join(tmpdir(), 'boxoffice-crash-'));
    tls = writeTlsFiles(path.join(work, 'tls'), server.pki);
    buyers = [];
    for (let i = 0; i < CLIENTS; i += 10) {
      buyers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, CLIENTS - i) }, async (_, k) => {
            const index = i + k;
            const ws = await server.registerWorkstation(server.tenants.outlet, `rush-${index}`);
            const user = await createUser(server, server.tenants.outlet, `rush.${index}`, ['sales.sell']);
            await openTill(server, server.tenants.outlet, ws.id, user.id);
            const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: server.pki.ca.certPem, cert: ws.certPem, key: ws.keyPem });
            return { index, login: user.login, password: user.password, agent, token: undefined };
          }),
        )),
      );
    }
    proc = await startServerProcess({ dataDir: path.join(work, 'data'), tls, databaseUrl: server.tdb.url ?? '' });
    proxy = await startDelayingProxy(proc.port, 250);
    for (const b of buyers) {
      const res = await call(b, 'POST', '/api/v1/auth/login', { login: b.login, password: b.password });
      expect(res.status, res.body).toBe(200);
      b.token = res.json.token as string;
    }
  });

  afterAll(async () => {
    for (const b of buyers ?? []) b.agent.destroy();
    await proxy?.close();
    await proc?.kill();
    await server?.tdb.cleanup();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  function call(b: Buyer, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpsResult> {
    return httpsRequest({
      port: proxy?.port ?? 0,
      path: url,
      method,
      ca: server.pki.ca.certPem,
      agent: b.agent,
      ...(body === undefined ? {} : { body }),
      headers: { ...headers, ...(b.token === undefined ? {} : { authorization: `Bearer ${b.token}` }) },
    });
  }

  it('loses no order a client was told about, sells nothing twice and keeps counters equal to tickets', async () => {
    const port = proc!.port;
    const outcomes: Outcome[] = [];
    let committedAnswers = 0;
    let inFlightAtKill = 0;
    const inFlight = new Set<number>();
    const closed = { ga: false, seated: false };
    const deadline = Date.now() + 120_000;

    /** One order, sent again with the same key after every lost answer or 503 until it has an answer. */
    async function order(b: Buyer, kind: 'ga' | 'seated', quantity: number): Promise<Outcome> {
      const key = newKey();
      const payment = { method: 'cash', givenCents: 10_000 * quantity };
      const body =
        kind === 'ga'
          ? { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity }], payment }
          : { eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity }], payment };
      const outcome: Outcome = { key, buyer: b.index, kind, quantity, lostAnswers: 0, status: 0, replayed: false };
      for (;;) {
        if (Date.now() > deadline) throw new Error(`order ${key} got no answer before the deadline`);
        let res: HttpsResult;
        inFlight.add(b.index);
        try {
          res = await call(b, 'POST', '/api/v1/orders', body, { 'idempotency-key': key });
        } catch {
          outcome.lostAnswers += 1;
          await sleep(100);
          continue;
        } finally {
          inFlight.delete(b.index);
        }
        if (res.status === 503) {
          await sleep(20 + Math.random() * 30);
          continue;
        }
        outcome.status = res.status;
        outcome.code = res.json?.code;
        outcome.replayed = res.headers['idempotent-replayed'] === 'true';
        if (res.status === 201) {
          outcome.orderId = res.json.id;
          outcome.tickets = (res.json.tickets as unknown[]).length;
          committedAnswers += 1;
        }
        return outcome;
      }
    }

    async function buyer(b: Buyer): Promise<void> {
      let n = 0;
      while (!(closed.ga && closed.seated)) {
        n += 1;
        const kind = closed.ga ? 'seated' : closed.seated ? 'ga' : n % 2 === 0 ? 'ga' : 'seated';
        const result = await order(b, kind, 1 + ((b.index + n) % 3));
        outcomes.push(result);
        if (result.status === 409 && ['SOLD_OUT', 'NOT_ENOUGH_SEATS'].includes(result.code ?? '')) {
          // Ask once more for a single ticket; when even that is refused the category is gone.
          const single = await order(b, kind, 1);
          outcomes.push(single);
          if (single.status !== 201) closed[kind] = true;
        } else if (result.status !== 201) {
          throw new Error(`unexpected answer ${result.status} ${result.code ?? ''} for ${result.key}`);
        }
      }
    }

    const killer = (async () => {
      while (committedAnswers < KILL_AFTER_ORDERS) await sleep(5);
      inFlightAtKill = inFlight.size;
      proxy!.cutAll();
      await proc!.kill();
      await sleep(300);
      // The same port, so that the clients' retries reach the new process like a station's would.
      proc = await startServerProcess({ dataDir: path.join(work, 'data'), tls, databaseUrl: server.tdb.url ?? '', port });
    })();
    await Promise.all([...buyers.map((b) => buyer(b)), killer]);

    const told = outcomes.filter((o) => o.status === 201);
    const refused = outcomes.filter((o) => o.status !== 201);
    const interrupted = outcomes.filter((o) => o.lostAnswers > 0);
    process.stdout.write(
      `crash rush: ${told.length} orders, ${told.reduce((s, o) => s + (o.tickets ?? 0), 0)} tickets; ${inFlightAtKill} requests in flight at the kill; ` +
        `${interrupted.length} requests replayed after lost answers, of which ${interrupted.filter((o) => o.replayed).length} had committed before the kill (stored answer replayed)\n`,
    );
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(interrupted.length).toBeGreaterThan(0);
    // Sales that committed while their answer was held back: the replay got the stored answer.
    expect(interrupted.filter((o) => o.replayed).length).toBeGreaterThan(0);
    for (const o of refused) expect(['SOLD_OUT', 'NOT_ENOUGH_SEATS']).toContain(o.code);

    const ids = told.map((o) => o.orderId!);
    expect(new Set(ids).size).toBe(ids.length);
    const db = await server.tdb.asAdmin(async (admin) => {
      const orders = await admin('orders').whereIn('id', ids).select<Array<{ id: string }>>('id');
      const all = await admin('orders').where({ event_id: fx.eventId }).count<Array<{ n: number }>>('* as n');
      const orphans = await admin.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM tickets t LEFT JOIN orders o ON o.id = t.order_id WHERE o.id IS NULL');
      const tickets = await admin('tickets').where({ event_id: fx.eventId }).count<Array<{ n: number }>>('* as n');
      const payments = await admin('payments').whereIn('order_id', ids).groupBy('order_id').select<Array<{ order_id: string; n: number }>>('order_id', admin.raw('count(*)::int AS n'));
      const keys = await admin('idempotency_keys').whereIn('key', outcomes.map((o) => o.key)).select<Array<{ key: string; order_id: string | null }>>('key', admin.raw("response->>'id' AS order_id"));
      const caps = await admin('price_categories').where({ event_id: fx.eventId }).select<Array<{ capacity: number; sold: number }>>('capacity', 'sold');
      return { orders: orders.length, all: Number(all[0]?.n), orphans: orphans.rows[0]?.n, tickets: Number(tickets[0]?.n), payments, keys, caps };
    });
    // Every order a client was told about exists exactly once, and every committed order was told.
    expect(db.orders).toBe(ids.length);
    expect(db.all).toBe(ids.length);
    expect(db.orphans).toBe(0);
    expect(db.tickets).toBe(told.reduce((s, o) => s + (o.tickets ?? 0), 0));
    expect(db.payments).toHaveLength(ids.length);
    for (const p of db.payments) expect(p.n).toBe(1);
    // One stored answer per key that sold, naming the order its client was told; refused sales store nothing.
    expect(new Map(db.keys.map((k) => [k.key, k.order_id]))).toEqual(new Map(told.map((o) => [o.key, o.orderId])));
    for (const c of db.caps) expect(c.sold).toBeLessThanOrEqual(c.capacity);
    const c = await counters(server, fx);
    for (const cat of Object.values(c.categories)) expect(cat.sold).toBe(cat.valid);
    expect(c.soldSeats).toBe(c.categories['Kat 1']?.valid);

    const chains = await verifyAllChains(server.tdb.db.knex, await operatorScope(server.tdb.db.knex));
    for (const chain of chains) expect(chain, chain.tenantCode).toMatchObject({ ok: true });
  });

  it('keeps the sessions of before the crash valid in the new process', async () => {
    const res = await call(buyers[0]!, 'GET', '/api/v1/auth/me');
    expect(res.status, res.body).toBe(200);
  });
});

/**
 * The embedded default: the server process on PGlite killed with SIGKILL while eight clerks sell. PGlite
 * belongs to one process (lock file), so the checks run on the data directory after the crash; then a new
 * process takes over the directory of the dead one and the clerks replay their unanswered sales.
 */
describe.skipIf(!testBackends().includes('pglite'))('crash during sales on the embedded database (PGlite, SIGKILL)', () => {
  it('keeps every sale a clerk was told about, exactly once, and the next process serves on', async () => {
    const server = await startTestServer('pglite');
    const work = mkdtempSync(path.join(tmpdir(), 'boxoffice-crash-pglite-'));
    let proc: ServerProcess | undefined;
    try {
      const fx = await createSalesFixture(server, { gaCapacity: 100_000 });
      const user = await createUser(server, server.tenants.outlet, 'kasse.p', ['sales.sell']);
      await openTill(server, server.tenants.outlet, server.workstation.id, user.id);
      await server.app.close();
      await server.tdb.db.close();
      const tls = writeTlsFiles(path.join(work, 'tls'), server.pki);
      const dataDir = path.dirname(server.tdb.pgliteDir ?? '');
      proc = await startServerProcess({ dataDir, tls });
      let clerk = await loginAs({ ...server, port: proc.port }, server.workstation, user);
      const told = new Map<string, string>();
      const pending = new Set<string>();
      const body = { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'card', reference: 'K-1' } };
      const sell = async (key: string) => {
        pending.add(key);
        const res = await clerk.request('POST', '/api/v1/orders', body, { 'idempotency-key': key });
        if (res.status !== 201) throw new Error(`${res.status} ${res.body}`);
        told.set(key, res.json.id as string);
        pending.delete(key);
      };
      let crashed = false;
      const workers = Array.from({ length: 8 }, async () => {
        while (!crashed) await sell(newKey()).catch(() => undefined);
      });
      while (told.size < 30) await sleep(20);
      await proc.kill();
      crashed = true;
      await Promise.all(workers);
      expect(pending.size).toBeGreaterThan(0);

      proc = await startServerProcess({ dataDir, tls });
      // The session of before the crash is still valid in the new process.
      clerk = apiClient({ ...server, port: proc.port }, server.workstation, clerk.token);
      for (const key of [...pending]) await sell(key);
      await sell(newKey());
      expect(await proc.stop()).toBe(0);
      proc = undefined;

      const db = await openDatabase({ pgliteDir: server.tdb.pgliteDir ?? '', migrate: false });
      try {
        await db.knex.raw('RESET ROLE');
        const orders = await db.knex('orders').where({ event_id: fx.eventId }).pluck<string[]>('id');
        expect(new Set(orders)).toEqual(new Set(told.values()));
        const [cat] = await db.knex('price_categories').where({ id: fx.gaCategoryId }).select<Array<{ sold: number }>>('sold');
        const tickets = await db.knex('tickets').where({ category_id: fx.gaCategoryId, status: 'valid' }).count<Array<{ n: number }>>('* as n');
        expect(cat?.sold).toBe(told.size);
        expect(Number(tickets[0]?.n)).toBe(told.size);
        const chains = await verifyAllChains(db.knex, await operatorScope(db.knex));
        for (const chain of chains) expect(chain, chain.tenantCode).toMatchObject({ ok: true });
      } finally {
        await db.close();
      }
    } finally {
      await proc?.kill();
      rmSync(work, { recursive: true, force: true });
      await server.tdb.cleanup();
    }
  });
});
