import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { freePort } from '../support/cli.js';
import { haproxyConfigFromDocs, startHaproxy, type Haproxy } from '../support/haproxy.js';
import { apiClient, createUser, loginAs, STRONG_PASSWORD, type ApiClient } from '../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../support/printing-fixtures.js';
import { counters, createSalesFixture, newKey, openTill, type SalesFixture } from '../support/sales-fixtures.js';
import { startServerProcess, writeTlsFiles, type ServerProcess } from '../support/server-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Two server processes on one PostgreSQL database behind HAProxy in TCP mode (TLS passthrough, round
 * robin, readiness checks — the configuration of docs/operations-haproxy.cfg). Nothing a request needs
 * lives in one process: sessions, login throttling, idempotency records and locks are rows or row locks
 * in PostgreSQL. (What is per process: the invoicing service queues one tenant's invoice issues before
 * they take a pooled connection — the counter row lock still orders them across instances — and the
 * network policy and TLS material, which come from the same configuration on every instance.)
 *
 * Every request here opens its own connection, so the balancer alternates the servers per request.
 */
describe.skipIf(!testBackends().includes('postgres'))('two server instances behind HAProxy, one PostgreSQL', () => {
  let server: TestServer;
  let fx: SalesFixture;
  let work: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let haproxy: Haproxy;
  const at = (port: number): TestServer => ({ ...server, port });
  const lb = () => at(haproxy.port);

  beforeAll(async () => {
    server = await startTestServer('postgres');
    await server.app.close();
    fx = await createSalesFixture(server, { gaCapacity: 150, rows: 5, seatsPerRow: 10 });
    work = mkdtempSync(path.join(tmpdir(), 'boxoffice-instances-'));
    const tls = writeTlsFiles(path.join(work, 'tls'), server.pki);
    [a, b] = await Promise.all(
      ['a', 'b'].map((name) => startServerProcess({ dataDir: path.join(work, name), tls, databaseUrl: server.tdb.url ?? '' })),
    ) as [ServerProcess, ServerProcess];
    const front = await freePort();
    const statsSocket = path.join(work, 'haproxy.sock');
    const config = haproxyConfigFromDocs({ frontPort: front, servers: [{ name: 'app1', port: a.port }, { name: 'app2', port: b.port }], caFile: tls.caFile, statsSocket });
    haproxy = await startHaproxy(work, config, front, statsSocket);
  });

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all([a?.kill(), b?.kill()]);
    await server?.tdb.cleanup();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('checks both servers over HTTPS and passes TLS through: the client certificate reaches the server', async () => {
    const stats = await haproxy.stats();
    expect([...stats.values()].map((s) => s.status)).toEqual(['UP', 'UP']);
    const whoami = await apiClient(lb(), server.workstation).request('GET', '/api/v1/whoami');
    expect(whoami.status, whoami.body).toBe(200);
    expect(whoami.json.workstation.id).toBe(server.workstation.id);
    expect((await apiClient(lb(), { certPem: '', keyPem: '' }).request('GET', '/api/v1/whoami')).json.code).toBe('CLIENT_CERT_REQUIRED');
  });

  it('accepts a session created on one server on the other, and a logout on one ends it on both', async () => {
    const ws = await server.registerWorkstation(server.tenants.outlet, 'instanzen');
    const user = await createUser(server, server.tenants.outlet, 'instanzen.1', ['sales.sell']);
    const onA = await loginAs(at(a.port), ws, user);
    const onB = apiClient(at(b.port), ws, onA.token);
    expect((await onB.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await onB.request('POST', '/api/v1/auth/logout')).status).toBeLessThan(300);
    for (const client of [onA, onB]) {
      const res = await client.request('GET', '/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 'SESSION_ENDED', reason: 'logout' });
    }
  });

  it('counts failed logins on both servers together (throttling lives in the database)', async () => {
    const ws = await server.registerWorkstation(server.tenants.outlet, 'drossel');
    const user = await createUser(server, server.tenants.outlet, 'drossel.1', ['sales.sell']);
    for (let i = 0; i < 5; i += 1) {
      const res = await apiClient(at(i % 2 === 0 ? a.port : b.port), ws).request('POST', '/api/v1/auth/login', { login: user.login, password: 'Falsches Passwort 1!' });
      expect(res.json.code).toBe('INVALID_CREDENTIALS');
    }
    // Five failures spread over both: the next attempt, even with the right password, waits — on either server.
    for (const port of [a.port, b.port]) {
      const res = await apiClient(at(port), ws).request('POST', '/api/v1/auth/login', { login: user.login, password: STRONG_PASSWORD });
      expect(res.status).toBe(429);
      expect(res.json.code).toBe('LOGIN_THROTTLED');
    }
  });

  it('answers one idempotency key sent to both servers at once with one order', async () => {
    const ws = await server.registerWorkstation(server.tenants.outlet, 'doppelt');
    const user = await createUser(server, server.tenants.outlet, 'doppelt.1', ['sales.sell']);
    await openTill(server, server.tenants.outlet, ws.id, user.id);
    const onA = await loginAs(at(a.port), ws, user);
    const onB = apiClient(at(b.port), ws, onA.token);
    const body = { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'cash', givenCents: 3500 } };
    for (let round = 0; round < 5; round += 1) {
      const key = newKey();
      const [x, y] = await Promise.all([onA.request('POST', '/api/v1/orders', body, { 'idempotency-key': key }), onB.request('POST', '/api/v1/orders', body, { 'idempotency-key': key })]);
      expect([x.status, y.status], `${x.body} ${y.body}`).toEqual([201, 201]);
      expect(x.json.id).toBe(y.json.id);
      expect([x.headers['idempotent-replayed'], y.headers['idempotent-replayed']].filter((h) => h === 'true')).toHaveLength(1);
    }
    const orders = await server.tdb.asAdmin((admin) => admin('orders').where({ created_by: user.id }).count<Array<{ n: number }>>('* as n'));
    expect(Number(orders[0]?.n)).toBe(5);
  });

  it('sells concurrently through the balancer on both servers without overselling', async () => {
    const before = await haproxy.stats();
    const clerks: ApiClient[] = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const ws = await server.registerWorkstation(server.tenants.outlet, `lb-${i}`);
        const user = await createUser(server, server.tenants.outlet, `lb.${i}`, ['sales.sell']);
        await openTill(server, server.tenants.outlet, ws.id, user.id);
        return loginAs(lb(), ws, user);
      }),
    );
    let sold = 0;
    type Kind = 'ga' | 'seated';
    /** Buys `quantity` of a kind; true when sold, false when refused for want of capacity. */
    const buy = async (clerk: ApiClient, kind: Kind, quantity: number): Promise<boolean> => {
      const payment = { method: 'cash', givenCents: 10_000 * quantity };
      const body =
        kind === 'ga'
          ? { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity }], payment }
          : { eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity }], payment };
      const key = newKey();
      let res = await clerk.request('POST', '/api/v1/orders', body, { 'idempotency-key': key });
      while (res.status === 503) res = await clerk.request('POST', '/api/v1/orders', body, { 'idempotency-key': key });
      if (res.status === 201) {
        sold += quantity;
        return true;
      }
      if (res.status === 409 && ['SOLD_OUT', 'NOT_ENOUGH_SEATS'].includes(res.json.code as string)) return false;
      throw new Error(`unexpected ${res.status} ${res.body}`);
    };
    await Promise.all(
      clerks.map(async (clerk, i) => {
        const open = new Set<Kind>(['ga', 'seated']);
        for (let n = 0; open.size > 0; n += 1) {
          const kind: Kind = open.size === 1 ? [...open][0]! : (i + n) % 2 === 0 ? 'ga' : 'seated';
          if (!(await buy(clerk, kind, 1 + ((i + n) % 3)))) {
            // Fewer left than asked: one more try for a single one before giving the category up.
            if (!(await buy(clerk, kind, 1))) open.delete(kind);
          }
        }
      }),
    );
    // Seats skipped while locked by sales in flight can be left over: one last buyer sweeps them up alone.
    for (const kind of ['ga', 'seated'] as const) while (await buy(clerks[0]!, kind, 1));
    const c = await counters(server, fx);
    // Sold out exactly: 150 standing places + 50 seats, plus the 5 sold by the idempotency test.
    expect(c.categories['Stehplatz']).toEqual({ sold: 150, valid: 150 });
    expect(c.categories['Kat 1']).toEqual({ sold: 50, valid: 50 });
    expect(c.soldSeats).toBe(50);
    expect(sold).toBe(200 - 5);
    const after = await haproxy.stats();
    const spread = ['app1', 'app2'].map((s) => (after.get(s)?.sessionsTotal ?? 0) - (before.get(s)?.sessionsTotal ?? 0));
    process.stdout.write(`sales through HAProxy: connections per server ${spread.join(' / ')}\n`);
    for (const n of spread) expect(n).toBeGreaterThan(0.3 * (spread[0]! + spread[1]!));
  });

  it('admits each ticket once when ten gates scan it at the same time through the balancer', async () => {
    const event = await createSalesFixture(server, { gaCapacity: 30, rows: 1, seatsPerRow: 1 });
    const clerkUser = await createUser(server, server.tenants.outlet, 'druck.lb', ['sales.sell', 'tickets.print']);
    const clerkWs = await server.registerWorkstation(server.tenants.outlet, 'druck-lb');
    await openTill(server, server.tenants.outlet, clerkWs.id, clerkUser.id);
    await insertBlankBatch(server, server.tenants.outlet, 90_001, 90_030, clerkUser.id);
    const clerk = await loginAs(lb(), clerkWs, clerkUser);
    const order = await sellGa(clerk, event.eventId, event.gaCategoryId, 12);
    expect((await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 90_001 })).status).toBe(200);
    const job = await printJob(clerk, order.id);
    expect(job.status, job.body).toBe(201);
    expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
    const codes = (job.json.tickets as Array<{ barcode: string }>).map((t) => t.barcode);

    const promoterWs = await server.registerWorkstation(event.promoterId, 'einlass-buero');
    const promoter = await loginAs(lb(), promoterWs, await createUser(server, event.promoterId, 'veranstalter.lb', ['events.manage']));
    const list = await promoter.request('POST', '/api/v1/entry-lists', { eventId: event.eventId, name: 'Alle' });
    expect(list.status, list.body).toBe(201);
    const gates = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const ws = await server.registerWorkstation(event.promoterId, `tor-${i}`);
        return { name: `Tor ${i}`, client: await loginAs(lb(), ws, await createUser(server, event.promoterId, `einlass.${i}`, ['entry.scan'])) };
      }),
    );
    const verdicts = await Promise.all(
      codes.flatMap((code) =>
        gates.map(async (gate) => {
          const res = await gate.client.request('POST', '/api/v1/check-ins', { entryListId: list.json.id, gate: gate.name, code, nonce: `n-${randomUUID()}` });
          expect(res.status, res.body).toBe(200);
          return { code, verdict: res.json.verdict as string };
        }),
      ),
    );
    for (const code of codes) {
      const mine = verdicts.filter((v) => v.code === code).map((v) => v.verdict).sort();
      expect(mine).toEqual(['admitted', ...Array<string>(9).fill('already_admitted')]);
    }
    const admitted = await server.tdb.asAdmin((admin) =>
      admin('check_ins').where({ entry_list_id: list.json.id, verdict: 'admitted' }).groupBy('ticket_id').select<Array<{ n: number }>>(admin.raw('count(*)::int AS n')),
    );
    expect(admitted).toHaveLength(codes.length);
    for (const row of admitted) expect(row.n).toBe(1);
  });

  it('keeps serving through the balancer when one server dies, and the readiness check takes it out', async () => {
    const client = apiClient(lb(), server.workstation);
    await b.kill();
    // Connections the balancer sends to the dead server are refused and redispatched to the live one.
    for (let i = 0; i < 20; i += 1) expect((await client.request('GET', '/api/v1/whoami')).status).toBe(200);
    for (let i = 0; (await haproxy.stats()).get('app2')?.status !== 'DOWN'; i += 1) {
      if (i > 300) throw new Error('HAProxy did not mark the dead server down');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await haproxy.stats()).get('app1')?.status).toBe('UP');
    expect((await client.request('GET', '/api/v1/whoami')).status).toBe(200);
  });
});
