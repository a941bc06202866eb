import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { appendAudit } from '../../../server/src/modules/audit/repository.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of testBackends()) {
  describe(`audit chain status over the API (${backend})`, () => {
    let server: TestServer;
    let reader: ApiClient;

    beforeAll(async () => {
      server = await startTestServer(backend);
      reader = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'chain.reader', ['audit.view']));
    });
    afterAll(async () => {
      await server.close();
    });

    const append = (tenantId: string, action: string) =>
      inTenant(server.tdb.db.knex, { tenantId }, (trx) => appendAudit(trx, { tenantId, at: new Date(), action, entity: 'test', entityId: action, details: { action } }));

    it('reports an intact chain of the own tenant with its row count and head', async () => {
      const last = await append(server.tenants.outlet, 'test.one');
      const res = await reader.request('GET', '/api/v1/audit/verify');
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ ok: true, firstBroken: null, rows: last.seq });
      expect(res.json.headHash).toMatch(/^[0-9a-f]{64}$/);
      // The chain of another tenant is not the caller's: its rows do not count.
      await append(server.tenants.outletB, 'test.other');
      expect((await reader.request('GET', '/api/v1/audit/verify')).json.rows).toBe(last.seq);
    });

    it('names the first broken row after a superuser altered it', async () => {
      const target = await append(server.tenants.outlet, 'test.target');
      await append(server.tenants.outlet, 'test.after');
      await server.tdb.asAdmin((admin) =>
        admin.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica');
          await trx('audit_log').where({ tenant_id: server.tenants.outlet, seq: target.seq }).update({ details: JSON.stringify({ action: 'changed' }) });
        }),
      );
      const res = await reader.request('GET', '/api/v1/audit/verify');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: false, firstBroken: { seq: target.seq, reason: 'hash_mismatch' }, rows: target.seq });
    });

    it('refuses a user without audit.view', async () => {
      const clerk = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'chain.clerk', ['sales.sell']));
      const res = await clerk.request('GET', '/api/v1/audit/verify');
      expect([res.status, res.json.code]).toEqual([403, 'FORBIDDEN']);
    });
  });
}
