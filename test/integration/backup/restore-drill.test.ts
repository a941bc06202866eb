import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../server/src/app.js';
import { decryptFile } from '../../../server/src/backup/encryption.js';
import { readManifest, sha256File, type BackupManifest } from '../../../server/src/backup/manifest.js';
import { readDatabaseState, type DatabaseState } from '../../../server/src/backup/state.js';
import { systemClock } from '../../../server/src/clock.js';
import { openDatabase, type Database } from '../../../server/src/db/database.js';
import { verifyAllChains } from '../../../server/src/modules/audit/verify.js';
import { localDay } from '../../../server/src/modules/invoicing/service.js';
import { operatorScope } from '../../../server/src/modules/tenants/operator-scope.js';
import { migrations } from '../../../server/migrations/index.js';
import type { Permission } from '../../../src/shared/domain/permissions.js';
import { testAppConfig } from '../../support/app-config.js';
import { PG_ADMIN_URL, pgUrlFor, testBackends } from '../../support/backends.js';
import { runCli, type CliResult } from '../../support/cli.js';
import { apiClient, createUser, loginAs, type TestUser } from '../../support/identity.js';
import { insertBusinessOrder, profileOf } from '../../support/invoicing-fixtures.js';
import { createSalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const RIGHTS: Permission[] = ['invoices.view', 'invoices.issue', 'users.manage'];
const year = localDay(new Date()).slice(0, 4);

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
}

const manifestsIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.manifest.json')).sort();
const expectExit = (r: CliResult, code: number) => expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(code);

for (const backend of testBackends()) {
  describe(`backup, wipe, restore, verify (${backend})`, () => {
    let server: TestServer;
    let user: TestUser;
    let drafts: string[];
    let before: DatabaseState;
    let work: string;
    let backups: string;
    let env: Record<string, string>;
    /** The database the restore goes into: the wiped original. */
    let target: string;
    let plain: { manifest: BackupManifest; backupPath: string; manifestPath: string };
    let encrypted: { manifest: BackupManifest; backupPath: string; manifestPath: string };
    const key = randomBytes(32).toString('base64');

    beforeAll(async () => {
      server = await startTestServer(backend);
      const fx = await createSalesFixture(server, { rows: 2, seatsPerRow: 5 });
      user = await createUser(server, server.tenants.outlet, 'buchhaltung', RIGHTS);
      const client = await loginAs(server, server.workstation, user);
      expect((await client.request('PUT', '/api/v1/billing-profile', profileOf('Vorverkauf A GmbH'))).status).toBe(200);
      drafts = [];
      for (let i = 0; i < 3; i += 1) {
        const order = await insertBusinessOrder(server, { tenantId: server.tenants.outlet, userId: user.id, workstationId: server.workstation.id, fx, tickets: [{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity: 2 }] });
        const res = await client.request('POST', '/api/v1/invoices/business-orders', { orderId: order.id });
        expect(res.status, res.body).toBe(201);
        drafts.push(res.json.id as string);
      }
      for (const id of drafts.slice(0, 2)) expect((await client.request('POST', `/api/v1/invoices/${id}/issue`, {})).status).toBe(200);
      before = await server.tdb.asAdmin((admin) => readDatabaseState(admin));
      // The server stops before the backup: PGlite's data directory is held by one process at a time.
      await server.app.close();
      if (backend === 'pglite') await server.tdb.db.close();
      work = mkdtempSync(path.join(tmpdir(), 'boxoffice-backup-test-'));
      backups = path.join(work, 'backups');
      if (backend === 'pglite') {
        const dir = server.tdb.pgliteDir ?? '';
        env = { BOXOFFICE_DATA_DIR: path.dirname(dir) };
        target = dir;
      } else {
        env = { BOXOFFICE_DATA_DIR: path.join(work, 'data'), DATABASE_URL: server.tdb.url ?? '' };
        target = server.tdb.url ?? '';
      }
      env['BOXOFFICE_BACKUP_KEY'] = key;
    }, 240_000);

    afterAll(async () => {
      await server?.tdb.cleanup();
      if (work !== undefined) rmSync(work, { recursive: true, force: true });
    });

    it('creates a plain and an encrypted backup whose manifests describe the database', async () => {
      const first = await runCli(['backup', 'create', '--dir', backups], env);
      expectExit(first, 0);
      const second = await runCli(['backup', 'create', '--dir', backups, '--encrypt'], env);
      expectExit(second, 0);
      const [a, b] = manifestsIn(backups);
      expect(manifestsIn(backups)).toHaveLength(2);
      plain = readManifest(path.join(backups, a ?? ''));
      encrypted = readManifest(path.join(backups, b ?? ''));
      expect(plain.manifest.encryption).toBeNull();
      expect(encrypted.manifest.encryption).toMatchObject({ algorithm: 'aes-256-gcm' });
      for (const m of [plain.manifest, encrypted.manifest]) {
        expect(m.backend).toBe(backend);
        expect(m.schemaVersion).toBe(migrations[migrations.length - 1]?.name);
        expect(m.tables).toEqual(before.tables);
        expect(m.auditChains).toEqual(before.auditChains);
        expect(m.invoiceCounters).toEqual(before.invoiceCounters);
      }
      // The seed is in there: invoices 1 and 2 issued, the outlet's next number is 3, its chain has rows.
      expect(plain.manifest.invoiceCounters).toContainEqual({ tenantId: server.tenants.outlet, series: 'invoice', year: Number(year), nextNumber: 3 });
      expect(plain.manifest.tables['invoices']).toBe(3);
      expect(plain.manifest.auditChains.find((c) => c.tenantId === server.tenants.outlet)?.lastSeq).toBeGreaterThanOrEqual(4);
      for (const { manifest, backupPath } of [plain, encrypted]) {
        const actual = await sha256File(backupPath);
        expect(actual).toEqual({ sha256: manifest.sha256, sizeBytes: manifest.sizeBytes });
      }
      // Encrypted means no plaintext dump format at the start (pg_dump: PGDMP, gzip: 1f 8b).
      const head = readFileSync(encrypted.backupPath).subarray(0, 8);
      expect(head.toString('ascii')).toBe('BXBKAES1');
      const plainHead = readFileSync(plain.backupPath).subarray(0, 5);
      if (backend === 'postgres') expect(plainHead.toString('ascii')).toBe('PGDMP');
      else expect(plainHead.subarray(0, 2).toString('hex')).toBe('1f8b');
    }, 180_000);

    it('refuses to restore into a database that is not empty', async () => {
      const result = await runCli(['backup', 'restore', encrypted.backupPath, '--into', target], env);
      expectExit(result, 1);
      expect(result.stderr).toMatch(/^boxoffice: .* is not empty/);
    }, 120_000);

    it('wipes the database, restores the encrypted backup and verifies it against the manifest', async () => {
      if (backend === 'pglite') {
        rmSync(target, { recursive: true, force: true });
      } else {
        const name = new URL(target).pathname.slice(1);
        await server.tdb.db.close();
        await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
        await adminQuery(`CREATE DATABASE ${name}`);
      }
      const restored = await runCli(['backup', 'restore', encrypted.backupPath, '--into', target], env);
      expectExit(restored, 0);
      expect(restored.stdout).toMatch(/^restored boxoffice-.*\.enc/);
      const verified = await runCli(['backup', 'verify', encrypted.backupPath, '--against', target], env);
      expectExit(verified, 0);
      expect(verified.stdout).toMatch(/decrypts and authenticates/);
      expect(verified.stdout).toMatch(/matches boxoffice-/);
      for (const chain of before.auditChains.filter((c) => c.rows > 0)) expect(verified.stdout).toContain(`audit chain ${chain.tenantCode}: ok, ${chain.rows} rows, head ${chain.headHash}`);
    }, 180_000);

    it('serves from the restored database, numbering invoices and audit rows on without a gap', async () => {
      const db: Database = await openDatabase(backend === 'pglite' ? { pgliteDir: target, migrate: false } : { url: target, migrate: false });
      let app: App | undefined;
      try {
        app = await buildApp({ config: testAppConfig(), db, clock: systemClock, tls: { cert: server.pki.server.certPem, key: server.pki.server.keyPem, ca: server.pki.ca.certPem } });
        await app.listen({ host: '127.0.0.1', port: 0 });
        const address = app.server.address();
        if (address === null || typeof address === 'string') throw new Error('no port');
        const restored: TestServer = { ...server, app, port: address.port };
        expect((await apiClient(restored, server.workstation).request('GET', '/health/ready')).status).toBe(200);
        const client = await loginAs(restored, server.workstation, user);
        const issued = await client.request('POST', `/api/v1/invoices/${drafts[2] ?? ''}/issue`, {});
        expect(issued.status, issued.body).toBe(200);
        expect(issued.json).toMatchObject({ number: 3, numberLabel: `RE-${year}-000003` });
        const chains = await verifyAllChains(db.knex, await operatorScope(db.knex));
        for (const c of chains) expect(c, c.tenantCode).toMatchObject({ ok: true });
        const outlet = chains.find((c) => c.tenantId === server.tenants.outlet);
        const backedUp = before.auditChains.find((c) => c.tenantId === server.tenants.outlet);
        // Login and issue appended to the restored chain: sequence continuous from 1 (verified above), longer than before.
        expect(outlet?.rows).toBeGreaterThan(backedUp?.rows ?? Infinity);
      } finally {
        await app?.close();
        await db.close();
      }
      // The database has moved on from the backup, and verify says so.
      const drifted = await runCli(['backup', 'verify', encrypted.backupPath, '--against', target], env);
      expectExit(drifted, 1);
      expect(drifted.stdout).toMatch(/MISMATCH table invoices|MISMATCH audit chain of outlet-a/);
      expect(drifted.stdout).toMatch(/MISMATCH invoice counter invoice/);
    }, 180_000);

    it('refuses a changed byte (SHA-256), a changed byte under a matching manifest (GCM), a wrong and a missing key', async () => {
      const dir = mkdtempSync(path.join(work, 'tampered-'));
      const copy = (b: { backupPath: string; manifestPath: string }) => {
        copyFileSync(b.backupPath, path.join(dir, path.basename(b.backupPath)));
        copyFileSync(b.manifestPath, path.join(dir, path.basename(b.manifestPath)));
        return { file: path.join(dir, path.basename(b.backupPath)), manifest: path.join(dir, path.basename(b.manifestPath)) };
      };
      const p = copy(plain);
      flipByte(p.file, Math.floor(plain.manifest.sizeBytes / 2));
      const verifyPlain = await runCli(['backup', 'verify', p.file], env);
      expectExit(verifyPlain, 1);
      expect(verifyPlain.stderr).toMatch(/does not match its manifest/);
      const fresh = backend === 'pglite' ? path.join(dir, 'restore-target') : pgUrlFor(`boxoffice_bk_${process.pid}_${Date.now().toString(36)}`);
      if (backend === 'postgres') await adminQuery(`CREATE DATABASE ${new URL(fresh).pathname.slice(1)}`);
      try {
        const restore = await runCli(['backup', 'restore', p.file, '--into', fresh], env);
        expectExit(restore, 1);
        expect(restore.stderr).toMatch(/does not match its manifest .*not restored/);
        if (backend === 'pglite') expect(existsSync(fresh)).toBe(false);
      } finally {
        if (backend === 'postgres') await adminQuery(`DROP DATABASE IF EXISTS ${new URL(fresh).pathname.slice(1)}`);
      }

      // A byte of ciphertext changed and the manifest "fixed" to the new file: only the GCM tag can tell.
      const e = copy(encrypted);
      flipByte(e.file, Math.floor(encrypted.manifest.sizeBytes / 2));
      const forged = { ...encrypted.manifest, ...(await sha256File(e.file)) };
      writeFileSync(e.manifest, JSON.stringify(forged));
      const verifyForged = await runCli(['backup', 'verify', e.file], env);
      expectExit(verifyForged, 1);
      expect(verifyForged.stderr).toMatch(/failed authentication/);

      const wrongKey = randomBytes(32);
      const verifyWrong = await runCli(['backup', 'verify', encrypted.backupPath], { ...env, BOXOFFICE_BACKUP_KEY: wrongKey.toString('base64') });
      expectExit(verifyWrong, 1);
      expect(verifyWrong.stderr).toMatch(/is not the key .* was encrypted with/);
      // Not only the key id: the cipher itself refuses the wrong key.
      await expect(decryptFile(encrypted.backupPath, wrongKey)).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
      const { BOXOFFICE_BACKUP_KEY: _omitted, ...noKey } = env;
      const verifyNoKey = await runCli(['backup', 'verify', encrypted.backupPath], noKey);
      expectExit(verifyNoKey, 1);
      expect(verifyNoKey.stderr).toMatch(/is encrypted; set BOXOFFICE_BACKUP_KEY/);
      const verifyOk = await runCli(['backup', 'verify', encrypted.backupPath], env);
      expectExit(verifyOk, 0);
    }, 180_000);

    it('runs on a schedule in the foreground: creates, prunes by the retention rules, stops on SIGTERM', async () => {
      // One hourly slot and nothing else, so the outcome does not depend on whether the run crosses an hour.
      const keepOnlyNewestHour = { BOXOFFICE_BACKUP_KEEP_HOURLY: '1', BOXOFFICE_BACKUP_KEEP_DAILY: '0', BOXOFFICE_BACKUP_KEEP_WEEKLY: '0', BOXOFFICE_BACKUP_KEEP_MONTHLY: '0' };
      const dir = path.join(work, 'scheduled');
      const { spawn } = await import('node:child_process');
      const { REPO_ROOT } = await import('../../support/cli.js');
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli/index.ts'), 'backup', 'schedule', '--every', '1s', '--dir', dir], {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], BOXOFFICE_LOG_LEVEL: 'warn', ...env, ...keepOnlyNewestHour },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      const deadline = Date.now() + 120_000;
      while ((out.match(/^backup \//gm) ?? []).length < 2 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      expect(await exited, out).toBe(0);
      expect((out.match(/^backup \//gm) ?? []).length, out).toBeGreaterThanOrEqual(2);
      expect(out).toMatch(/^deleted boxoffice-/m);
      expect(out).toMatch(/backup schedule stopped/);
      // The rules keep one backup: the newest.
      expect(manifestsIn(dir)).toHaveLength(1);
      expect(readdirSync(dir).filter((n) => !n.startsWith('.'))).toHaveLength(2);
      const listed = await runCli(['backup', 'list', '--dir', dir], { ...env, ...keepOnlyNewestHour });
      expectExit(listed, 0);
      const rows = listed.stdout.trim().split('\n');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatch(new RegExp(`\\t${backend}\\t.*\\tno\\tnewest,hourly\\tboxoffice-`));
    }, 180_000);
  });
}
