import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, verifyDatabaseAgainst } from '../../../server/src/backup/backup.js';
import { sha256File } from '../../../server/src/backup/manifest.js';
import { countUserObjects } from '../../../server/src/backup/postgres.js';
import { pgConnection } from '../../../server/src/db/database.js';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { appendAudit } from '../../../server/src/modules/audit/repository.js';
import { PG_ADMIN_URL, pgUrlFor, testBackends } from '../../support/backends.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function seedTenants(tdb: TestDatabase): Promise<{ operator: string; outlet: string }> {
  return tdb.asAdmin(async (db) => {
    const [op] = await db('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
    const [outlet] = await db('tenants').insert({ kind: 'outlet', code: 'outlet-a', name: 'Outlet A', parent_id: op?.id }).returning<Array<{ id: string }>>('id');
    return { operator: op?.id ?? '', outlet: outlet?.id ?? '' };
  });
}

const appendOne = (tdb: TestDatabase, tenantId: string, i: number) =>
  inTenant(tdb.db.knex, { tenantId }, (trx) => appendAudit(trx, { tenantId, at: new Date(), action: 'test.write', entity: 'test', details: { i } }));

if (testBackends().includes('postgres')) {
  describe('PostgreSQL backups next to a running server', () => {
    let tdb: TestDatabase;
    let tenants: { operator: string; outlet: string };
    let work: string;
    const databases: string[] = [];
    const emptyDatabase = async () => {
      const name = `boxoffice_bk_${process.pid}_${databases.length}_${Date.now().toString(36)}`;
      await admin(`CREATE DATABASE ${name}`);
      databases.push(name);
      return pgUrlFor(name);
    };

    beforeAll(async () => {
      tdb = await createTestDatabase('postgres');
      tenants = await seedTenants(tdb);
      work = mkdtempSync(path.join(tmpdir(), 'boxoffice-backup-online-'));
    });
    afterAll(async () => {
      await tdb.cleanup();
      for (const name of databases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(work, { recursive: true, force: true });
    });

    it('takes a consistent backup while audit rows are being written: manifest and dump show the same instant', async () => {
      let stop = false;
      let written = 0;
      const writer = (async () => {
        while (!stop) {
          await appendOne(tdb, tenants.outlet, written);
          written += 1;
        }
      })();
      while (written < 20) await new Promise((r) => setTimeout(r, 10));
      const backup = await createBackup({ source: { kind: 'postgres', url: tdb.url ?? '' }, dir: path.join(work, 'online') });
      const atBackup = written;
      while (written < atBackup + 20) await new Promise((r) => setTimeout(r, 10));
      stop = true;
      await writer;
      const head = backup.manifest.auditChains.find((c) => c.tenantId === tenants.outlet);
      // Writes went on before and after the snapshot.
      expect(head?.lastSeq).toBeGreaterThanOrEqual(20);
      expect(head?.lastSeq).toBeLessThan(written);
      expect(backup.manifest.tables['audit_log']).toBe(head?.rows);

      const target = await emptyDatabase();
      await restoreBackup({ file: backup.backupPath, into: { kind: 'postgres', url: target } });
      const report = await verifyDatabaseAgainst(backup.manifest, { kind: 'postgres', url: target });
      expect(report.problems).toEqual([]);
      expect(report.chains.find((c) => c.tenantId === tenants.outlet)).toMatchObject({ ok: true, rows: head?.rows, headHash: head?.headHash });
    }, 120_000);

    it('refuses a role that cannot bypass row-level security (it would dump only part of the data), leaving no file behind', async () => {
      const role = `bk_nobypass_${process.pid}`;
      await admin(`CREATE ROLE ${role} LOGIN`);
      await admin(`GRANT pg_read_all_data TO ${role}`);
      try {
        const url = new URL(tdb.url ?? '');
        url.username = role;
        const dir = path.join(work, 'refused');
        await expect(createBackup({ source: { kind: 'postgres', url: url.toString() }, dir })).rejects.toMatchObject({ code: 'BACKUP_ROLE_INSUFFICIENT' });
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        await admin(`DROP ROLE ${role}`);
      }
    });

    it('reports a missing pg_dump in one line and leaves no partial file', async () => {
      const dir = path.join(work, 'no-tool');
      const saved = process.env['PATH'];
      process.env['PATH'] = '/nonexistent';
      try {
        await expect(createBackup({ source: { kind: 'postgres', url: tdb.url ?? '' }, dir })).rejects.toMatchObject({ code: 'BACKUP_FAILED', message: expect.stringMatching(/^pg_dump not found on PATH/) });
      } finally {
        process.env['PATH'] = saved;
      }
      expect(readdirSync(dir)).toEqual([]);
    });

    it('a restore that fails halfway leaves the target empty (one transaction), so it can be retried', async () => {
      const backup = await createBackup({ source: { kind: 'postgres', url: tdb.url ?? '' }, dir: path.join(work, 'broken') });
      // A dump cut short, with its manifest updated to match, so only pg_restore can notice.
      truncateSync(backup.backupPath, Math.floor(backup.manifest.sizeBytes * 0.8));
      writeFileSync(backup.manifestPath, JSON.stringify({ ...backup.manifest, ...(await sha256File(backup.backupPath)) }));
      const target = await emptyDatabase();
      await expect(restoreBackup({ file: backup.backupPath, into: { kind: 'postgres', url: target } })).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
      const knex = knexFactory({ client: 'pg', connection: pgConnection(target), pool: { min: 0, max: 1 } });
      try {
        expect(await countUserObjects(knex)).toBe(0);
      } finally {
        await knex.destroy();
      }
      expect(JSON.parse(readFileSync(backup.manifestPath, 'utf8'))).toMatchObject({ backend: 'postgres' });
    }, 60_000);
  });
}

if (testBackends().includes('pglite')) {
  describe('PGlite backups and the data-directory lock', () => {
    it('refuses to back up while the database is open (the server holds the lock), and works once it is closed', async () => {
      const tdb = await createTestDatabase('pglite');
      const work = mkdtempSync(path.join(tmpdir(), 'boxoffice-backup-lock-'));
      try {
        const tenants = await seedTenants(tdb);
        await appendOne(tdb, tenants.outlet, 1);
        const source = { kind: 'pglite' as const, dir: tdb.pgliteDir ?? '' };
        await expect(createBackup({ source, dir: work })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
        expect(readdirSync(work).filter((n) => !n.startsWith('.'))).toEqual([]);
        await tdb.db.close();
        const backup = await createBackup({ source, dir: work });
        expect(backup.manifest.auditChains.find((c) => c.tenantId === tenants.outlet)).toMatchObject({ lastSeq: 1, rows: 1 });
        const target = path.join(work, 'restored');
        await restoreBackup({ file: backup.backupPath, into: { kind: 'pglite', dir: target } });
        expect((await verifyDatabaseAgainst(backup.manifest, { kind: 'pglite', dir: target })).problems).toEqual([]);
      } finally {
        await tdb.cleanup();
        rmSync(work, { recursive: true, force: true });
      }
    }, 120_000);
  });
}
