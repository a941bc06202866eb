import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testBackends } from '../../support/backends.js';
import { freePort, startCliServer } from '../../support/cli.js';
import { httpsRequest, type HttpsResult } from '../../support/https.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

// Long enough for the probes below to arrive within the drain on a busy machine.
const DRAIN_MS = 4000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A POST whose body arrives in two halves, the second only when `finish` is called: a request that is in
 * flight for as long as the test wants, against the real server process.
 */
function slowLogin(port: number, ca: string, pfx: Buffer, passphrase: string): { finish(): void; done: Promise<HttpsResult> } {
  const body = JSON.stringify({ login: 'niemand', password: 'Kein Passwort 1!' });
  let req: ReturnType<typeof https.request> | undefined;
  const done = new Promise<HttpsResult>((resolve, reject) => {
    req = https.request(
      { host: '127.0.0.1', servername: 'localhost', port, path: '/api/v1/auth/login', method: 'POST', ca, pfx, passphrase, agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
  });
  return { finish: () => req?.end(body.slice(10)), done };
}

for (const backend of testBackends()) {
  describe(`graceful shutdown of the server process (${backend})`, () => {
    let dir: string | undefined;
    let tdb: TestDatabase | undefined;
    afterEach(async () => {
      await tdb?.cleanup();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('on SIGTERM: readiness 503 while draining, the in-flight request completes, background backups stop, exit 0', async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'boxoffice-shutdown-'));
      const port = await freePort();
      const env: Record<string, string> = { BOXOFFICE_DATA_DIR: dir, BOXOFFICE_PORT: String(port), BOXOFFICE_SHUTDOWN_DRAIN_MS: String(DRAIN_MS), BOXOFFICE_SHUTDOWN_GRACE_MS: '20000' };
      const backups = path.join(dir, 'backups');
      if (backend === 'postgres') {
        tdb = await createTestDatabase('postgres');
        // The backup schedule runs inside the server here (PostgreSQL only), every 2 s.
        Object.assign(env, { DATABASE_URL: tdb.url!, BOXOFFICE_BACKUP_EVERY: '2s', BOXOFFICE_BACKUP_DIR: backups });
      }
      const server = await startCliServer(['--demo'], env, 180_000);
      const output = server.output();
      const demo = /(\S+\.p12)\s+passphrase (\S+)/.exec(output);
      expect(demo, output).not.toBeNull();
      const pfx = readFileSync(path.join(dir, 'demo', demo![1]!));
      const ca = readFileSync(path.join(dir, 'pki', 'ca.cert.pem'), 'utf8');
      const ready = () => httpsRequest({ port, path: '/health/ready', ca });
      expect((await ready()).status).toBe(200);

      if (backend === 'postgres') {
        // Wait for the first scheduled backup, so that the shutdown also has a runner to stop.
        const backedUp = () => existsSync(backups) && readdirSync(backups).some((f) => f.endsWith('.manifest.json'));
        for (let i = 0; i < 60 && !backedUp(); i += 1) await sleep(500);
        expect(backedUp(), server.output()).toBe(true);
      }

      const slow = slowLogin(port, ca, pfx, demo![2]!);
      await sleep(300);
      const exited = server.stop();
      await sleep(300);
      // Draining: the load balancer's probe fails, the server still answers everything else.
      const probe = await ready();
      expect([probe.status, probe.json]).toEqual([503, { status: 'unavailable' }]);
      expect((await httpsRequest({ port, path: '/health/live', ca })).status).toBe(200);
      // The request started before SIGTERM finishes after the drain, while the listener is closing.
      await sleep(DRAIN_MS);
      slow.finish();
      const answer = await slow.done;
      expect([answer.status, answer.json.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      expect(await exited).toBe(0);
      expect(server.output()).toContain('shut down');
      // Nothing listens any more.
      await expect(ready()).rejects.toThrow(/ECONNREFUSED/);

      if (backend === 'postgres') {
        const runs = await tdb!.asAdmin((db) => db('job_runs').where({ job: 'backup' }).select<Array<{ outcome: string; detail: string }>>('outcome', 'detail'));
        const manifests = readdirSync(backups).filter((f) => f.endsWith('.manifest.json'));
        expect(runs.length).toBeGreaterThan(0);
        expect(runs.filter((r) => r.outcome === 'running')).toEqual([]);
        // Every backup on disk was made by a recorded run; older ones of the same hour were pruned by later runs.
        const ok = runs.filter((r) => r.outcome === 'ok');
        expect(manifests.length).toBeGreaterThan(0);
        for (const m of manifests) expect(ok.some((r) => r.detail.startsWith(m.replace('.manifest.json', ''))), m).toBe(true);
        expect(ok.length).toBeGreaterThanOrEqual(manifests.length);
      }
    }, 240_000);
  });
}
