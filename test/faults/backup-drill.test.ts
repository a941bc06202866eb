import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../server/src/backup/manifest.js';
import { localDay } from '../../server/src/modules/invoicing/service.js';
import { PG_ADMIN_URL, testBackends } from '../support/backends.js';
import { runCli, type CliResult } from '../support/cli.js';
import { apiClient, createUser, loginAs, type ApiClient } from '../support/identity.js';
import { insertBusinessOrder, profileOf } from '../support/invoicing-fixtures.js';
import { createSalesFixture, newKey, openTill } from '../support/sales-fixtures.js';
import { startServerProcess, writeTlsFiles, type ServerProcess } from '../support/server-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The operator's restore drill end to end, with the real server process and the CLI: the server sells
 * and issues invoices, `backup create` dumps it, the database is wiped, `backup restore` brings it back
 * into the empty database (data directory), `backup verify --against` compares row counts, audit chains
 * and invoice counters with the manifest, `audit verify` recomputes every chain, and a server started on
 * the restored database issues the next invoice number — no gap, no number twice.
 */

const year = localDay(new Date()).slice(0, 4);
const expectExit = (r: CliResult, code: number) => expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(code);

async function adminQuery(sql: string, url = PG_ADMIN_URL): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const tablesIn = async (url: string) => Number((await adminQuery(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`, url))[0]?.['n']);

for (const backend of testBackends()) {
  describe(`backup, wipe, restore, verify with the server process (${backend})`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    });

    it('restores exactly what the manifest describes and numbers invoices on without a gap', async () => {
      const server: TestServer = await startTestServer(backend);
      cleanups.push(() => server.tdb.cleanup());
      const work = mkdtempSync(path.join(tmpdir(), 'boxoffice-drill-'));
      cleanups.push(async () => rmSync(work, { recursive: true, force: true }));

      // Set-up through the in-process app (PGlite is held by one process at a time).
      const fx = await createSalesFixture(server, { gaCapacity: 200, rows: 2, seatsPerRow: 5 });
      const accountantUser = await createUser(server, server.tenants.outlet, 'buchhaltung', ['invoices.view', 'invoices.issue', 'users.manage']);
      const clerkWs = await server.registerWorkstation(server.tenants.outlet, 'kasse-2');
      const clerkUser = await createUser(server, server.tenants.outlet, 'kasse.2', ['sales.sell']);
      await openTill(server, server.tenants.outlet, clerkWs.id, clerkUser.id);
      const setup = await loginAs(server, server.workstation, accountantUser);
      expect((await setup.request('PUT', '/api/v1/billing-profile', profileOf('Vorverkauf A GmbH'))).status).toBe(200);
      const drafts: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const order = await insertBusinessOrder(server, { tenantId: server.tenants.outlet, userId: accountantUser.id, workstationId: server.workstation.id, fx, tickets: [{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity: 1 + i }] });
        const res = await setup.request('POST', '/api/v1/invoices/business-orders', { orderId: order.id });
        expect(res.status, res.body).toBe(201);
        drafts.push(res.json.id as string);
      }
      await server.app.close();
      if (backend === 'pglite') await server.tdb.db.close();

      const dataDir = backend === 'pglite' ? path.dirname(server.tdb.pgliteDir ?? '') : path.join(work, 'data');
      const databaseUrl = server.tdb.url;
      const env = { BOXOFFICE_DATA_DIR: dataDir, ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) };
      const tls = writeTlsFiles(path.join(work, 'tls'), server.pki);
      const start = async (): Promise<ServerProcess> => {
        const proc = await startServerProcess({ dataDir, tls, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
        cleanups.push(() => proc.kill());
        return proc;
      };

      // The server at work: invoices 1 and 2 issued, counter sales.
      let proc = await start();
      const at = { ...server, port: proc.port };
      const accountant = await loginAs(at, server.workstation, accountantUser);
      for (const [i, id] of drafts.slice(0, 2).entries()) {
        const issued = await accountant.request('POST', `/api/v1/invoices/${id}/issue`, {});
        expect(issued.status, issued.body).toBe(200);
        expect(issued.json.number).toBe(i + 1);
      }
      const clerk: ApiClient = await loginAs(at, clerkWs, clerkUser);
      for (let i = 0; i < 5; i += 1) {
        const sale = await clerk.request('POST', '/api/v1/orders', { eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 2 }], payment: { method: 'cash', givenCents: 20_000 } }, { 'idempotency-key': newKey() });
        expect(sale.status, sale.body).toBe(201);
      }

      // PostgreSQL is backed up while the server runs; PGlite's data directory only once it has stopped.
      const backups = path.join(work, 'backups');
      if (backend === 'pglite') expect(await proc.stop()).toBe(0);
      expectExit(await runCli(['backup', 'create', '--dir', backups], env), 0);
      if (backend === 'postgres') expect(await proc.stop()).toBe(0);
      const manifestFile = readdirSync(backups).find((n) => n.endsWith('.manifest.json')) ?? '';
      const { manifest, backupPath } = readManifest(path.join(backups, manifestFile));
      expect(manifest.invoiceCounters).toContainEqual({ tenantId: server.tenants.outlet, series: 'invoice', year: Number(year), nextNumber: 3 });

      // Wipe.
      let target: string;
      if (backend === 'pglite') {
        target = server.tdb.pgliteDir ?? '';
        rmSync(target, { recursive: true, force: true });
      } else {
        target = databaseUrl ?? '';
        const name = new URL(target).pathname.slice(1);
        await server.tdb.db.close();
        await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
        await adminQuery(`CREATE DATABASE ${name}`);
      }
      expect(backend === 'pglite' ? existsSync(target) : await tablesIn(target)).toBe(backend === 'pglite' ? false : 0);

      // Restore, verify against the manifest, recompute the audit chains.
      expectExit(await runCli(['backup', 'restore', backupPath, '--into', target], env), 0);
      const verified = await runCli(['backup', 'verify', backupPath, '--against', target], env);
      expectExit(verified, 0);
      expect(verified.stdout).toMatch(/matches boxoffice-/);
      for (const chain of manifest.auditChains.filter((c) => c.rows > 0)) expect(verified.stdout).toContain(`audit chain ${chain.tenantCode}: ok, ${chain.rows} rows, head ${chain.headHash}`);
      const audit = await runCli(['audit', 'verify'], env);
      expectExit(audit, 0);

      // The restored server serves: the session of before the backup is still valid, and the next
      // invoice is number 3 — then 4, with nothing skipped or repeated.
      proc = await start();
      const again = apiClient({ ...server, port: proc.port }, server.workstation, accountant.token);
      expect((await again.request('GET', '/api/v1/auth/me')).status).toBe(200);
      for (const [i, id] of drafts.slice(2).entries()) {
        const issued = await again.request('POST', `/api/v1/invoices/${id}/issue`, {});
        expect(issued.status, issued.body).toBe(200);
        expect(issued.json).toMatchObject({ number: 3 + i, numberLabel: `RE-${year}-${String(3 + i).padStart(6, '0')}` });
      }
      const list = await again.request('GET', '/api/v1/invoices?status=issued');
      expect(list.status, list.body).toBe(200);
      const labels = (list.json as Array<{ numberLabel: string }>).map((inv) => inv.numberLabel).sort();
      expect(labels).toEqual([1, 2, 3, 4].map((n) => `RE-${year}-${String(n).padStart(6, '0')}`));
      expect(await proc.stop()).toBe(0);
    });
  });
}
