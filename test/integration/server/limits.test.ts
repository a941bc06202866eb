import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../server/src/app.js';
import { fixedClock } from '../../../server/src/clock.js';
import { testAppConfig } from '../../support/app-config.js';
import { testBackends } from '../../support/backends.js';
import { httpsRequest } from '../../support/https.js';
import { verifyPassword } from '../../../server/src/modules/identity/password-hash.js';
import { apiClient, createUser, loginAs } from '../../support/identity.js';
import type { KeyPair } from '../../support/pki.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const LIMITS = { windowSeconds: 60, perWorkstation: 8, loginPerWorkstation: 2, heavyPerWorkstation: 1 };

for (const backend of testBackends()) {
  describe(`request limits (${backend})`, () => {
    // Five seconds into a window, so that the Retry-After values are known.
    const clock = fixedClock(new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5000));
    let server: TestServer;
    let second: { app: App; port: number };
    let passwordChecks = 0;
    const config = { limits: LIMITS, headersTimeoutMs: 1000 };

    const whoami = (ws: KeyPair, port = server.port) =>
      httpsRequest({ port, path: '/api/v1/whoami', ca: server.pki.ca.certPem, identity: { cert: ws.certPem, key: ws.keyPem } });

    beforeAll(async () => {
      server = await startTestServer(backend, {
        clock,
        config,
        verifyPassword: async (password, hash) => {
          passwordChecks += 1;
          return verifyPassword(password, hash);
        },
      });
      // A second instance on the same database: the counters must be the same.
      const app = await buildApp({
        config: testAppConfig(config),
        db: server.tdb.db,
        clock,
        tls: { cert: server.pki.server.certPem, key: server.pki.server.keyPem, ca: server.pki.ca.certPem },
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      second = { app, port: typeof address === 'object' && address !== null ? address.port : 0 };
    });

    afterAll(async () => {
      await second?.app.close();
      await server?.close();
    });

    it('counts a workstation across instances and answers 429 RATE_LIMITED with Retry-After until the window ends', async () => {
      const ws = await server.registerWorkstation(server.tenants.outlet, 'kasse-flut');
      const other = await server.registerWorkstation(server.tenants.outlet, 'kasse-ruhig');
      for (let i = 0; i < 5; i += 1) expect((await whoami(ws)).status).toBe(200);
      for (let i = 0; i < 3; i += 1) expect((await whoami(ws, second.port)).status).toBe(200);
      for (const port of [server.port, second.port]) {
        const refused = await whoami(ws, port);
        expect([refused.status, refused.json.code, refused.json.retryAfterSeconds, refused.headers['retry-after']]).toEqual([429, 'RATE_LIMITED', 55, '55']);
      }
      expect((await whoami(other, second.port)).status).toBe(200);
      const hits = await server.tdb.asAdmin((db) => db('rate_limit_counters').where({ bucket: `api:${ws.id}` }).pluck('hits'));
      expect(hits).toEqual([10]);
      clock.advance(55_000);
      expect((await whoami(ws)).status).toBe(200);
    });

    it('limits logins before the password is checked, and heavy routes on their own', async () => {
      const ws = await server.registerWorkstation(server.tenants.outlet, 'kasse-login');
      const client = apiClient(server, ws);
      await createUser(server, server.tenants.outlet, 'k.login', []);
      const before = passwordChecks;
      const attempt = () => client.request('POST', '/api/v1/auth/login', { login: 'k.login', password: 'Falsch Falsch 1!' });
      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(401);
      const third = await attempt();
      expect([third.status, third.json.code]).toEqual([429, 'RATE_LIMITED']);
      expect(passwordChecks - before).toBe(2);
      // The general limit is not used up: other routes still answer.
      expect((await whoami(ws)).status).toBe(200);

      const reports = await server.registerWorkstation(server.tenants.outlet, 'kasse-berichte');
      const r = apiClient(server, reports);
      expect((await r.request('GET', '/api/v1/stock/report')).status).toBe(401);
      expect((await r.request('GET', '/api/v1/stock/report.pdf')).json.code).toBe('RATE_LIMITED');
      expect((await whoami(reports)).status).toBe(200);
    });

    it('refuses bodies above the route limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const ws = await server.registerWorkstation(server.tenants.outlet, 'kasse-gross');
      const client = apiClient(server, ws);
      const login = await client.request('POST', '/api/v1/auth/login', { login: 'x', password: 'y'.repeat(17 * 1024) });
      expect([login.status, login.json.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      // Other routes take up to bodyLimitBytes (64 KiB in tests).
      const clerk = await loginAs(server, ws, await createUser(server, server.tenants.outlet, 'k.gross', ['sales.sell']));
      const order = await clerk.request('POST', '/api/v1/orders', { padding: 'z'.repeat(70 * 1024) });
      expect([order.status, order.json.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    });

    it('closes a connection whose headers never end (slow loris) with 408', async () => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: server.pki.ca.certPem }, () => {
          socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n');
        });
        let received = '';
        socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
        socket.on('error', reject);
        socket.on('close', () => resolve(received));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    });
  });
}
