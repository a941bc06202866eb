import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { appendAudit } from '../../../server/src/modules/audit/repository.js';
import { verifyAllChains, verifyChain } from '../../../server/src/modules/audit/verify.js';
import { testBackends } from '../../support/backends.js';
import { runCli } from '../../support/cli.js';
import { createUser, loginAs } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of testBackends()) {
  describe(`audit trail (${backend})`, () => {
    let server: TestServer;
    const operatorScope = () => ({ tenantId: server.tenants.operator, includeChildren: true });

    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => {
      await server.close();
    });

    const append = (tenantId: string, action: string, details: Record<string, unknown> = {}) =>
      inTenant(server.tdb.db.knex, { tenantId }, (trx) => appendAudit(trx, { tenantId, at: new Date(), action, entity: 'test', entityId: action, details }));

    it('keeps every chain valid under concurrent writes from many requests', async () => {
      const tenants = [server.tenants.outlet, server.tenants.outletB];
      await Promise.all(Array.from({ length: 60 }, (_, i) => append(tenants[i % 2]!, `test.concurrent_${i}`, { i })));
      const reports = await verifyAllChains(server.tdb.db.knex, operatorScope());
      for (const r of reports) expect(r, r.tenantCode).toMatchObject({ ok: true });
      const counts = Object.fromEntries(reports.map((r) => [r.tenantCode, r.rows]));
      expect(counts['outlet-b']).toBe(30);
      expect(counts['outlet-a']).toBe(30);
    });

    it('finds a row altered by a superuser at exactly that row', async () => {
      await append(server.tenants.outletB, 'test.before');
      const target = await append(server.tenants.outletB, 'test.target', { amount: 100 });
      await append(server.tenants.outletB, 'test.after');
      await server.tdb.asAdmin(async (admin) => {
        // Triggers stop even the owner; a superuser can switch them off for the session, as an attacker with
        // database access would. The hash chain still gives the change away.
        await admin.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica');
          await trx('audit_log').where({ tenant_id: server.tenants.outletB, seq: target.seq }).update({ details: JSON.stringify({ amount: 1 }) });
        });
      });
      const report = await verifyChain(server.tdb.db.knex, operatorScope(), { id: server.tenants.outletB, code: 'outlet-b' });
      expect(report).toMatchObject({ ok: false, firstBroken: { seq: target.seq, reason: 'hash_mismatch' } });
      const others = await verifyChain(server.tdb.db.knex, operatorScope(), { id: server.tenants.outlet, code: 'outlet-a' });
      expect(others.ok).toBe(true);

      if (backend === 'postgres') {
        const cli = await runCli(['audit', 'verify'], { DATABASE_URL: server.tdb.url!, BOXOFFICE_DATA_DIR: '/tmp/unused-audit-cli' });
        expect(cli.code).toBe(1);
        expect(cli.stdout).toContain(`outlet-b: BROKEN at seq ${target.seq} (hash_mismatch)`);
        expect(cli.stdout).toMatch(/outlet-a: ok, \d+ rows, head [0-9a-f]{64}/);
        const exported = await runCli(['audit', 'export', '--tenant', 'outlet-a'], { DATABASE_URL: server.tdb.url!, BOXOFFICE_DATA_DIR: '/tmp/unused-audit-cli' });
        expect(exported.code).toBe(0);
        const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
        const last = lines.at(-1);
        expect(last).toMatchObject({ tenant: 'outlet-a', verified: true, rows: lines.length - 1 });
        expect(last.head).toBe(lines.at(-2).hash);
      }
    });

    it('serves the own tenant audit log, filtered and paged, to holders of audit.view', async () => {
      const reader = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'revision', ['audit.view']));
      const logins = await reader.request('GET', '/api/v1/audit?action=auth.login');
      expect(logins.status).toBe(200);
      expect(logins.json.items.length).toBeGreaterThanOrEqual(1);
      expect(logins.json.items.every((i: { action: string }) => i.action === 'auth.login')).toBe(true);
      const page1 = await reader.request('GET', '/api/v1/audit?action=test.*&limit=10');
      expect(page1.json.items).toHaveLength(10);
      const page2 = await reader.request('GET', `/api/v1/audit?action=test.*&limit=10&beforeSeq=${page1.json.nextBeforeSeq}`);
      expect(page2.json.items[0].seq).toBeLessThan(page1.json.items[9].seq);
      const all = await reader.request('GET', '/api/v1/audit?limit=500');
      expect(all.body).not.toContain(server.tenants.outletB);
      expect(all.json.items.some((i: { entityId: string }) => i.entityId === 'test.target')).toBe(false);
      const bad = await reader.request('GET', '/api/v1/audit?from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe('VALIDATION_FAILED');
    });
  });
}
