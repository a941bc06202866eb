import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAllChains } from '../../server/src/modules/audit/verify.js';
import { operatorScope } from '../../server/src/modules/tenants/operator-scope.js';
import { testBackends } from '../support/backends.js';
import { fixtureServerOn, type FixtureServer } from '../support/fixture-server.js';
import { httpsRequest, type HttpsResult } from '../support/https.js';
import { createUser } from '../support/identity.js';
import { createPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { counters, createSalesFixture, newKey, openTill, type SalesFixture } from '../support/sales-fixtures.js';
import { startServerProcess, writeTlsFiles, type ServerProcess } from '../support/server-process.js';

/**
 * PostgreSQL stops under traffic — once like a crash (`pg_ctl stop -m immediate`: no checkpoint, crash
 * recovery at the next start) and once as an administrator's fast shutdown (sessions terminated) — and
 * comes back after a few seconds. A cluster of this test's own, never the shared server. The box-office
 * server process stays up throughout: while the database is away every request is answered (nothing
 * hangs) with 503 DATABASE_UNAVAILABLE and readiness is 503; afterwards it serves again by itself, and
 * every sale a client was told about is there exactly once.
 */

const CLERKS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Clerk {
  agent: https.Agent;
  login: string;
  password: string;
  token?: string;
}

interface Answer {
  phase: 'up' | 'down' | 'back';
  path: string;
  status: number | 'no answer';
  code?: string;
  ms: number;
}

describe.skipIf(!testBackends().includes('postgres'))('PostgreSQL restarted in the middle of traffic (own cluster)', () => {
  let cluster: PgCluster;
  let server: FixtureServer;
  let fx: SalesFixture;
  let work: string;
  let proc: ServerProcess;
  let clerks: Clerk[];
  /** Orders sold in the earlier rounds. */
  const previousOrders: string[] = [];

  beforeAll(async () => {
    cluster = await createPgCluster();
    server = await fixtureServerOn(await cluster.createDatabase('boxoffice'));
    fx = await createSalesFixture(server, { gaCapacity: 100_000, rows: 1, seatsPerRow: 1 });
    clerks = await Promise.all(
      Array.from({ length: CLERKS }, async (_, i) => {
        const ws = await server.registerWorkstation(server.tenants.outlet, `kasse-${i}`);
        const user = await createUser(server, server.tenants.outlet, `kasse.${i}`, ['sales.sell']);
        await openTill(server, server.tenants.outlet, ws.id, user.id);
        return { agent: new https.Agent({ keepAlive: true, maxSockets: 2, ca: server.pki.ca.certPem, cert: ws.certPem, key: ws.keyPem }), login: user.login, password: user.password };
      }),
    );
    work = mkdtempSync(path.join(tmpdir(), 'boxoffice-pgrestart-'));
    const tls = writeTlsFiles(path.join(work, 'tls'), server.pki);
    proc = await startServerProcess({ dataDir: path.join(work, 'data'), tls, databaseUrl: server.tdb.url ?? '', env: { BOXOFFICE_DB_CONNECT_TIMEOUT_MS: '2000' } });
    for (const c of clerks) {
      const res = await call(c, 'POST', '/api/v1/auth/login', { login: c.login, password: c.password });
      expect(res.status, res.body).toBe(200);
      c.token = res.json.token;
    }
  });

  afterAll(async () => {
    for (const c of clerks ?? []) c.agent.destroy();
    await proc?.kill();
    await server?.tdb.cleanup().catch(() => undefined);
    await cluster?.destroy();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  function call(c: Clerk, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpsResult> {
    return httpsRequest({
      port: proc.port,
      path: url,
      method,
      ca: server.pki.ca.certPem,
      agent: c.agent,
      ...(body === undefined ? {} : { body }),
      headers: { ...headers, ...(c.token === undefined ? {} : { authorization: `Bearer ${c.token}` }) },
    });
  }

  it.each(['immediate', 'fast'] as const)('answers 503 DATABASE_UNAVAILABLE while PostgreSQL is down (stop -m %s) and recovers by itself', async (mode) => {
    const answers: Answer[] = [];
    const told: Array<{ key: string; orderId: string }> = [];
    let phase: Answer['phase'] = 'up';
    let running = true;

    const timed = async (c: Clerk, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<HttpsResult | undefined> => {
      const began = performance.now();
      const at = phase;
      try {
        const res = await call(c, method, url, body, headers);
        answers.push({ phase: at, path: url, status: res.status, code: res.json?.code ?? res.json?.status, ms: performance.now() - began });
        return res;
      } catch {
        answers.push({ phase: at, path: url, status: 'no answer', ms: performance.now() - began });
        return undefined;
      }
    };

    /** Sells one ticket at a time, each sent again with its key until it is sold, as a station does. */
    const seller = async (c: Clerk) => {
      while (running) {
        const key = newKey();
        const body = { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'card', reference: key.slice(0, 12) } };
        for (;;) {
          const res = await timed(c, 'POST', '/api/v1/orders', body, { 'idempotency-key': key });
          if (res?.status === 201) {
            told.push({ key, orderId: res.json.id });
            break;
          }
          await sleep(50);
        }
      }
    };
    const prober = async (c: Clerk) => {
      while (running) {
        await timed(c, 'GET', '/health/ready');
        await timed(c, 'GET', '/api/v1/auth/me');
        await sleep(50);
      }
    };

    const workers = [...clerks.map(seller), prober(clerks[0]!), prober(clerks[1]!)];
    await sleep(2000);
    const soldBefore = told.length;
    await cluster.stop(mode);
    phase = 'down';
    await sleep(3000);
    phase = 'back';
    await cluster.start();
    // Recovered when readiness is back and a sale that starts now succeeds.
    for (let i = 0; ; i += 1) {
      const ready = await call(clerks[0]!, 'GET', '/health/ready');
      if (ready.status === 200) break;
      if (i > 200) throw new Error('readiness did not come back');
      await sleep(50);
    }
    const soldAtRecovery = told.length;
    await sleep(2000);
    running = false;
    await Promise.all(workers);

    const down = answers.filter((a) => a.phase === 'down');
    const worst = Math.max(...down.map((a) => a.ms));
    process.stdout.write(
      `PostgreSQL stop -m ${mode}: ${told.length} sales (${soldBefore} before, ${told.length - soldAtRecovery} after recovery), ${down.length} answers while down, slowest ${worst.toFixed(0)} ms\n`,
    );
    // While down: answers, not hangs — and only the clear code (readiness says unavailable).
    expect(down.filter((a) => a.path === '/api/v1/orders').length).toBeGreaterThan(CLERKS);
    expect(down.filter((a) => a.path === '/api/v1/auth/me').length).toBeGreaterThan(2);
    for (const a of down) {
      if (a.path === '/health/ready') expect(a).toMatchObject({ status: 503, code: 'unavailable' });
      else expect(a).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    }
    // Never a 500 or a dropped connection, before, during or after.
    for (const a of answers) expect([200, 201, 503], JSON.stringify(a)).toContain(a.status);
    expect(soldBefore).toBeGreaterThan(0);
    expect(told.length).toBeGreaterThan(soldAtRecovery);
    expect((await call(clerks[2]!, 'GET', '/api/v1/auth/me')).status).toBe(200);

    // No committed sale lost, none twice: the database holds exactly the orders the clerks were told.
    const ids = told.map((t) => t.orderId);
    expect(new Set(ids).size).toBe(ids.length);
    const inDb = await server.tdb.asAdmin((admin) => admin('orders').where({ event_id: fx.eventId }).select<Array<{ id: string }>>('id'));
    const total = await server.tdb.asAdmin((admin) => admin('orders').count<Array<{ n: number }>>('* as n'));
    expect(new Set(inDb.map((o) => o.id))).toEqual(new Set([...previousOrders, ...ids]));
    expect(Number(total[0]?.n)).toBe(previousOrders.length + ids.length);
    previousOrders.push(...ids);
    const c = await counters(server, fx);
    expect(c.categories['Stehplatz']).toEqual({ sold: previousOrders.length, valid: previousOrders.length });
    const chains = await verifyAllChains(server.tdb.db.knex, await operatorScope(server.tdb.db.knex));
    for (const chain of chains) expect(chain, chain.tenantCode).toMatchObject({ ok: true });
    // The same server process served throughout.
    expect(() => process.kill(proc.pid, 0)).not.toThrow();
  });
});
