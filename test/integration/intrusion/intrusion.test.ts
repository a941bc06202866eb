import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp, type App, type AppDeps } from '../../../server/src/app.js';
import { fixedClock } from '../../../server/src/clock.js';
import { openDatabase, type Database } from '../../../server/src/db/database.js';
import { INTRUSION_CONFIG_DEFAULTS } from '../../../server/src/modules/intrusion/config.js';
import { createIntrusionService } from '../../../server/src/modules/intrusion/service.js';
import { testAppConfig } from '../../support/app-config.js';
import { testBackends } from '../../support/backends.js';
import { runCli } from '../../support/cli.js';
import { httpsRequest, tlsHandshake, type HttpsResult } from '../../support/https.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import type { KeyPair } from '../../support/pki.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Intrusion prevention over real HTTPS. Linux routes all of 127.0.0.0/8 to the loopback interface, so
 * each case connects from its own address (`localAddress`) and is its own source to the server.
 */
const SETTINGS: AppDeps['intrusion'] = {
  allow: ['127.0.0.64/28'],
  scan: { threshold: 10, windowSeconds: 60 },
  loginSpray: { threshold: 20, windowSeconds: 600 },
  tls: { threshold: 5, windowSeconds: 60 },
  injection: { threshold: 3, windowSeconds: 60 },
  blockMinutes: [15, 60, 1440],
  cacheSeconds: 1,
};
const WRONG_PASSWORD = 'Falsches Passwort 9!';

type Attempt = HttpsResult | 'refused';

/** A request on a fresh connection; a connection the server resets (blocked source) is 'refused'. */
async function attempt(server: { port: number; pki: TestServer['pki'] }, from: string, path: string, options: { method?: string; body?: unknown; ws?: Pick<KeyPair, 'certPem' | 'keyPem'>; agent?: https.Agent } = {}): Promise<Attempt> {
  try {
    return await httpsRequest({
      port: server.port,
      path,
      ca: server.pki.ca.certPem,
      localAddress: from,
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.ws === undefined ? {} : { identity: { cert: options.ws.certPem, key: options.ws.keyPem } }),
      ...(options.agent === undefined ? {} : { agent: options.agent }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'EPIPE') return 'refused';
    throw error;
  }
}

const statusOf = (a: Attempt) => (a === 'refused' ? 'refused' : a.status);

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for: ${what}`);
}

/** Bytes that are no TLS ClientHello (an HTTP request to the HTTPS port). */
function sendGarbage(port: number, from: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from }, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.on('data', () => undefined);
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
}

for (const backend of testBackends()) {
  describe(`intrusion prevention (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let operator: ApiClient;
    let operatorWs: KeyPair & { id: string };

    const blocksOf = (source: string) =>
      server.tdb.asAdmin((db) => db('intrusion_blocks').where({ source }).orderBy('blocked_at').select<Array<{ id: string; trigger: string; level: number; blocked_at: Date; blocked_until: Date; lifted_at: Date | null }>>('*'));
    const signalCount = (source: string) => server.tdb.asAdmin(async (db) => Number((await db('intrusion_signals').where({ source }).count<Array<{ count: string }>>('* as count'))[0]?.count));
    const scan = async (from: string, n: number, prefix = '/wp-admin') => {
      const statuses: Array<number | 'refused'> = [];
      for (let i = 0; i < n; i += 1) statuses.push(statusOf(await attempt(server, from, `${prefix}/${i}.php`)));
      return statuses;
    };

    beforeAll(async () => {
      server = await startTestServer(backend, { clock, intrusion: SETTINGS });
      operatorWs = await server.registerWorkstation(server.tenants.operator, 'leitstelle');
      const opUser = await createUser(server, server.tenants.operator, 'op.sicherheit', ['intrusion.manage', 'users.manage', 'tenants.manage', 'audit.view']);
      operator = await loginAs(server, operatorWs, opUser);
    });
    afterAll(async () => {
      await server.close();
    });

    it('blocks a route scan at the threshold: its connections are reset, other sources carry on', async () => {
      const from = '127.0.0.11';
      expect(await scan(from, 10)).toEqual(Array(10).fill(404));
      expect(await scan(from, 3)).toEqual(['refused', 'refused', 'refused']);
      expect(statusOf(await attempt(server, '127.0.0.1', '/health/live'))).toBe(200);
      // A registered station asking for routes this server lacks (an older server version) is no scanner.
      const station = '127.0.0.22';
      for (let i = 0; i < 15; i += 1) expect(statusOf(await attempt(server, station, `/api/v9/neu/${i}`, { ws: server.workstation }))).toBe(404);
      expect(await signalCount(station)).toBe(0);
      const [block] = await blocksOf(from);
      expect(block).toMatchObject({ trigger: 'scan', level: 0, lifted_at: null });
      expect(block!.blocked_until.getTime() - block!.blocked_at.getTime()).toBe(15 * 60_000);
      // Audited as a system action on the operator's chain.
      const audit = await server.tdb.asAdmin((db) => db('audit_log').where({ action: 'intrusion.block', entity_id: block!.id }).select('tenant_id', 'actor_user_id', 'workstation_id', 'details'));
      expect(audit).toEqual([{ tenant_id: server.tenants.operator, actor_user_id: null, workstation_id: null, details: expect.objectContaining({ source: from, trigger: 'scan', count: 10, threshold: 10, level: 0, minutes: 15 }) }]);
    });

    it('answers a blocked client on a connection opened before the block with 403 SOURCE_BLOCKED and Retry-After', async () => {
      const from = '127.0.0.13';
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 10; i += 1) expect(statusOf(await attempt(server, from, `/admin/${i}`, { agent }))).toBe(404);
        const refused = await attempt(server, from, '/health/live', { agent });
        if (refused === 'refused') throw new Error('expected an answer on the open connection');
        expect(refused.status).toBe(403);
        expect(refused.json.code).toBe('SOURCE_BLOCKED');
        expect(refused.headers['retry-after']).toBe('900');
        expect(refused.headers['connection']).toBe('close');
      } finally {
        agent.destroy();
      }
    });

    it('blocks a password spray over 20 accounts, but not one person mistyping', async () => {
      const users = [];
      for (let i = 0; i < 20; i += 1) users.push(await createUser(server, server.tenants.outlet, `spray.${i}`, []));
      const ws = server.workstation;
      // One account failing again and again from another address is the lockout's business, not a spray.
      const typo = await createUser(server, server.tenants.outlet, 'vertipper', []);
      for (let i = 0; i < 8; i += 1) {
        const res = await attempt(server, '127.0.0.14', '/api/v1/auth/login', { method: 'POST', body: { login: typo.login, password: WRONG_PASSWORD }, ws });
        expect([401, 429]).toContain(statusOf(res));
      }
      expect(await blocksOf('127.0.0.14')).toEqual([]);

      const from = '127.0.0.12';
      for (const user of users) {
        const res = await attempt(server, from, '/api/v1/auth/login', { method: 'POST', body: { login: user.login, password: WRONG_PASSWORD }, ws });
        expect(statusOf(res), user.login).toBe(401);
      }
      // The right password no longer helps from there.
      expect(statusOf(await attempt(server, from, '/api/v1/auth/login', { method: 'POST', body: { login: users[0]!.login, password: users[0]!.password }, ws }))).toBe('refused');
      const [block] = await blocksOf(from);
      expect(block).toMatchObject({ trigger: 'login_failure', level: 0 });
      const detail = await operator.request('GET', `/api/v1/intrusion/blocks/${block!.id}`);
      expect(detail.status).toBe(200);
      expect(detail.json.block.signals.counts).toEqual({ login_failure: 20 });
      expect([...detail.json.block.signals.samples].sort()).toEqual(users.map((u) => u.login).sort());
    });

    it('blocks repeated bad TLS handshakes (old protocol, no shared cipher, not TLS at all)', async () => {
      const from = '127.0.0.15';
      const tls11 = await tlsHandshake(server.port, { localAddress: from, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0', ca: server.pki.ca.certPem });
      expect(tls11.ok).toBe(false);
      const cbc = await tlsHandshake(server.port, { localAddress: from, maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA', ca: server.pki.ca.certPem });
      expect(cbc.ok).toBe(false);
      for (let i = 0; i < 3; i += 1) await sendGarbage(server.port, from);
      // tlsClientError is recorded asynchronously: the block follows shortly after the fifth failure.
      await eventually(async () => (await blocksOf(from)).length === 1, 'the TLS block');
      expect((await blocksOf(from))[0]).toMatchObject({ trigger: 'tls', level: 0 });
      const next = await tlsHandshake(server.port, { localAddress: from, ca: server.pki.ca.certPem });
      expect(next).toEqual({ ok: false, error: 'ECONNRESET' });
    });

    it('blocks client certificates of a foreign CA, but not clients that refuse our certificate', async () => {
      const foreign = await server.pki.client('fremd', { foreign: true });
      const from = '127.0.0.16';
      for (let i = 0; i < 5; i += 1) {
        const res = await attempt(server, from, '/api/v1/auth/me', { ws: foreign });
        expect(res !== 'refused' && res.json.code).toBe('CLIENT_CERT_UNTRUSTED');
      }
      expect(statusOf(await attempt(server, from, '/health/live'))).toBe('refused');

      // A browser that does not trust the platform CA yet aborts with an alert: its own refusal, no attack.
      const careful = '127.0.0.17';
      for (let i = 0; i < 8; i += 1) expect((await tlsHandshake(server.port, { localAddress: careful })).ok).toBe(false);
      expect(statusOf(await attempt(server, careful, '/health/live'))).toBe(200);
      expect(await signalCount(careful)).toBe(0);
    });

    it('blocks injection payloads in path, query and anonymous JSON bodies; German data passes', async () => {
      const from = '127.0.0.18';
      const answers = [
        await attempt(server, from, `/health/live?q=${encodeURIComponent("' OR '1'='1")}`),
        await attempt(server, from, '/static/..%2f..%2fetc%2fpasswd'),
        await attempt(server, from, '/api/v1/auth/login', { method: 'POST', body: { login: '<script>alert(1)</script>', password: 'x' }, ws: server.workstation }),
      ];
      expect(answers.map(statusOf)).toEqual([200, 404, 401]);
      expect(statusOf(await attempt(server, from, '/health/live'))).toBe('refused');
      expect((await blocksOf(from))[0]).toMatchObject({ trigger: 'injection' });

      const german = '127.0.0.19';
      const values = ["O'Brien", 'Straße des 17. Juni 1–3', 'c/o Müller & Söhne', 'Am Ölberg 5 / Hinterhaus', "D'Angelo; 2. OG", 'Union Berlin Fanclub'];
      for (const value of values) {
        expect(statusOf(await attempt(server, german, `/health/live?name=${encodeURIComponent(value)}`))).toBe(200);
      }
      expect(await signalCount(german)).toBe(0);
    });

    it('never blocks an allow-listed network, not even with a block already stored for it', async () => {
      const from = '127.0.0.70';
      await server.tdb.asAdmin((db) =>
        db('intrusion_blocks').insert({ source: from, trigger: 'scan', level: 0, signals: JSON.stringify({ windowSeconds: 60, threshold: 10, counts: {}, samples: [] }), blocked_at: clock.now(), blocked_until: new Date(clock.now().getTime() + 3600_000) }),
      );
      await new Promise((r) => setTimeout(r, 1500)); // one reload of the active blocks (cacheSeconds: 1)
      expect(await scan(from, 30)).toEqual(Array(30).fill(404));
      expect(await signalCount(from)).toBe(0);
      expect((await blocksOf(from)).length).toBe(1);
    });

    it('holds a block on a second server instance on the same database', async () => {
      const db2: Database = server.tdb.backend === 'postgres' ? await openDatabase({ url: server.tdb.url!, migrate: false }) : server.tdb.db;
      const second: App = await buildApp({ config: testAppConfig(), db: db2, clock, intrusion: SETTINGS, tls: { cert: server.pki.server.certPem, key: server.pki.server.keyPem, ca: server.pki.ca.certPem } });
      await second.listen({ host: '127.0.0.1', port: 0 });
      const other = { port: (second.server.address() as net.AddressInfo).port, pki: server.pki };
      try {
        // Blocked before the second instance started: refused from its first connection on.
        expect(statusOf(await attempt(other, '127.0.0.11', '/health/live'))).toBe('refused');
        // Blocked by the first instance while the second runs: refused once it has reloaded.
        const from = '127.0.0.20';
        expect(statusOf(await attempt(other, from, '/health/live'))).toBe(200);
        await scan(from, 10);
        await eventually(async () => statusOf(await attempt(other, from, '/health/live')) === 'refused', 'the block on the second instance');
        // Lifted on the first instance: the second lets the source in again.
        const [block] = await blocksOf(from);
        clock.advance(1000);
        expect((await operator.request('POST', `/api/v1/intrusion/blocks/${block!.id}/lift`, { reason: 'Test der Aufhebung' })).status).toBe(200);
        expect(statusOf(await attempt(server, from, '/health/live'))).toBe(200);
        await eventually(async () => statusOf(await attempt(other, from, '/health/live')) === 200, 'the lift on the second instance');
      } finally {
        await second.close();
        if (db2 !== server.tdb.db) await db2.close();
      }
    });

    it('names IPv4 clients of a dual-stack listener by their IPv4 address (not ::ffff:…), also for the allow list', async () => {
      const dual: App = await buildApp({ config: testAppConfig(), db: server.tdb.db, clock, intrusion: SETTINGS, tls: { cert: server.pki.server.certPem, key: server.pki.server.keyPem, ca: server.pki.ca.certPem } });
      await dual.listen({ host: '::', port: 0 });
      const other = { port: (dual.server.address() as net.AddressInfo).port, pki: server.pki };
      try {
        const from = '127.0.0.23';
        for (let i = 0; i < 10; i += 1) expect(statusOf(await attempt(other, from, `/phpmyadmin/${i}`))).toBe(404);
        expect(statusOf(await attempt(other, from, '/health/live'))).toBe('refused');
        expect((await blocksOf(from)).map((b) => b.trigger)).toEqual(['scan']);
        expect(await blocksOf(`::ffff:${from}`)).toEqual([]);
        // 127.0.0.64/28 is allowed as IPv4; its clients arrive as ::ffff:127.0.0.66 here.
        for (let i = 0; i < 15; i += 1) expect(statusOf(await attempt(other, '127.0.0.66', `/phpmyadmin/${i}`))).toBe(404);
        expect(await signalCount('127.0.0.66')).toBe(0);
      } finally {
        await dual.close();
      }
    });

    it('shows operators the blocks and why, lets them lift one, audits it; nobody else sees blocks', async () => {
      const list = await operator.request('GET', '/api/v1/intrusion/blocks');
      expect(list.status).toBe(200);
      const scanBlock = list.json.find((b: { source: string }) => b.source === '127.0.0.11');
      expect(scanBlock).toMatchObject({ trigger: 'scan', level: 0, active: true, liftedAt: null, signals: { threshold: 10, windowSeconds: 60, counts: { scan: 10 } } });
      expect(scanBlock.signals.samples).toContain('404 GET /wp-admin/9.php');
      const detail = await operator.request('GET', `/api/v1/intrusion/blocks/${scanBlock.id}`);
      expect(detail.json.recentSignals).toHaveLength(10);

      // Outlet staff holding the right (not grantable to them, inserted here directly) see nothing.
      const outletAdmin = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'a.sicherheit', ['intrusion.manage']));
      expect((await outletAdmin.request('GET', '/api/v1/intrusion/blocks')).status).toBe(403);
      expect((await outletAdmin.request('GET', `/api/v1/intrusion/blocks/${scanBlock.id}`)).status).toBe(404);
      expect((await outletAdmin.request('POST', `/api/v1/intrusion/blocks/${scanBlock.id}/lift`, { reason: 'Versuch' })).status).toBe(404);
      const grant = await operator.request('POST', '/api/v1/users', { tenantId: server.tenants.outlet, login: 'a.neu', displayName: 'Neu', permissions: ['intrusion.manage'] });
      expect(grant.status).toBe(403);
      expect(grant.json.code).toBe('GRANT_NOT_ALLOWED');

      clock.advance(1000);
      const lifted = await operator.request('POST', `/api/v1/intrusion/blocks/${scanBlock.id}/lift`, { reason: 'Eigener Sicherheitsscan' });
      expect(lifted.status).toBe(200);
      expect(lifted.json).toMatchObject({ active: false, liftReason: 'Eigener Sicherheitsscan' });
      expect((await operator.request('POST', `/api/v1/intrusion/blocks/${scanBlock.id}/lift`, { reason: 'nochmal' })).json.code).toBe('BLOCK_NOT_ACTIVE');
      expect(statusOf(await attempt(server, '127.0.0.11', '/health/live'))).toBe(200);
      const audit = await server.tdb.asAdmin((db) => db('audit_log').where({ action: 'intrusion.unblock', entity_id: scanBlock.id }).select('tenant_id', 'actor_user_id', 'details'));
      expect(audit).toEqual([{ tenant_id: server.tenants.operator, actor_user_id: operator.token === undefined ? null : expect.any(String), details: expect.objectContaining({ source: '127.0.0.11', reason: 'Eigener Sicherheitsscan' }) }]);
      // The signals before the lift count no more: one more 404 does not block again.
      expect(await scan('127.0.0.11', 1, '/nochmal')).toEqual([404]);
      const active = await operator.request('GET', '/api/v1/intrusion/blocks?state=active&source=127.0.0.11');
      expect(active.json).toEqual([]);
    });

    it.runIf(backend === 'postgres')('lists and lifts blocks on the command line (the way back in for a blocked operator)', async () => {
      const from = '127.0.0.24';
      await scan(from, 10);
      const [block] = await blocksOf(from);
      const dataDir = mkdtempSync(path.join(tmpdir(), 'boxoffice-intrusion-cli-'));
      onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
      const env = { DATABASE_URL: server.tdb.url!, BOXOFFICE_DATA_DIR: dataDir };
      const list = await runCli(['intrusion', 'list'], env);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`${block!.id}  ${from.replaceAll('.', '\\.')}  ACTIVE  scan \\(level 0; scan 10\\)`));
      expect((await runCli(['intrusion', 'lift', block!.id], env)).code).toBe(2);
      const lifted = await runCli(['intrusion', 'lift', block!.id, '--reason', 'Kasse im Büro'], env);
      expect(lifted.code, lifted.stderr).toBe(0);
      const again = await runCli(['intrusion', 'lift', block!.id, '--reason', 'Kasse im Büro'], env);
      expect({ code: again.code, stderr: again.stderr.trim() }).toEqual({ code: 1, stderr: 'boxoffice: This block has already ended or been lifted.' });
      const audit = await server.tdb.asAdmin((db) => db('audit_log').where({ action: 'intrusion.unblock', entity_id: block!.id }).select('tenant_id', 'actor_user_id', 'details'));
      expect(audit).toEqual([{ tenant_id: server.tenants.operator, actor_user_id: null, details: expect.objectContaining({ source: from, reason: 'Kasse im Büro', via: `cli (${userInfo().username})` }) }]);
      await eventually(async () => statusOf(await attempt(server, from, '/health/live')) === 200, 'the lift from the command line');
    });

    it('lets blocks expire and escalates repeat offenders: 15 min, 1 h, 24 h, 24 h', async () => {
      const from = '127.0.0.21';
      const minutes: number[] = [];
      for (let round = 0; round < 4; round += 1) {
        expect(await scan(from, 10)).toEqual(Array(10).fill(404));
        expect(await scan(from, 1)).toEqual(['refused']);
        const blocks = await blocksOf(from);
        const latest = blocks[blocks.length - 1]!;
        expect(latest.level).toBe(Math.min(round, 2));
        minutes.push((latest.blocked_until.getTime() - latest.blocked_at.getTime()) / 60_000);
        // Still blocked a second before the end, free at the end.
        clock.set(new Date(latest.blocked_until.getTime() - 1000));
        expect(await scan(from, 1)).toEqual(['refused']);
        clock.set(latest.blocked_until);
        expect(statusOf(await attempt(server, from, '/health/live'))).toBe(200);
        clock.advance(1000);
      }
      expect(minutes).toEqual([15, 60, 1440, 1440]);
    });

    it('prunes signals after their retention and blocks after theirs', async () => {
      const service = createIntrusionService({ knex: server.tdb.db.knex, clock, settings: { ...INTRUSION_CONFIG_DEFAULTS, ...SETTINGS }, isTrustedProxy: () => false, log: { warn: () => undefined, error: () => undefined } });
      const count = (table: string, where: (q: Knex.QueryBuilder) => void = () => undefined) =>
        server.tdb.asAdmin(async (db) => Number((await db(table).where(where).count<Array<{ count: string }>>('* as count'))[0]?.count));
      clock.advance(1000);
      await service.recordSignal('192.0.2.50', 'scan', '404 GET /x');
      const old = await count('intrusion_signals', (q) => void q.where('at', '<', new Date(clock.now().getTime() - 24 * 3600_000)));
      expect(old).toBeGreaterThan(0);
      expect(await service.prune()).toEqual({ signals: old, blocks: 0 });
      expect(await count('intrusion_signals')).toBe(1);
      clock.advance(25 * 3600_000);
      expect(await service.prune()).toEqual({ signals: 1, blocks: 0 });
      const blocks = await count('intrusion_blocks');
      expect(blocks).toBeGreaterThan(0);
      clock.advance(91 * 86_400_000);
      expect(await service.prune()).toEqual({ signals: 0, blocks });
      expect(await count('intrusion_blocks')).toBe(0);
    });
  });
}
