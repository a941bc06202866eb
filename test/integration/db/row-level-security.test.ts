import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { createUserRepository } from '../../../server/src/modules/identity/users-repository.js';
import { createWorkstationRepository } from '../../../server/src/modules/workstations/repository.js';
import { testBackends } from '../../support/backends.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

/** The second wall: even code that forgets its tenant filter sees only the scoped tenant's rows. */
for (const backend of testBackends()) {
  describe(`row-level security (${backend})`, () => {
    let tdb: TestDatabase;
    const ids = { operator: '', a: '', b: '' };

    beforeAll(async () => {
      tdb = await createTestDatabase(backend);
      await tdb.asAdmin(async (admin) => {
        const [op] = await admin('tenants').insert({ kind: 'operator', code: 'op', name: 'Op' }).returning('id');
        const [a] = await admin('tenants').insert({ kind: 'outlet', code: 'ta', name: 'A', parent_id: op.id }).returning('id');
        const [b] = await admin('tenants').insert({ kind: 'promoter', code: 'tb', name: 'B', parent_id: op.id }).returning('id');
        Object.assign(ids, { operator: op.id, a: a.id, b: b.id });
        for (const [tenant, login, fp] of [[a.id, 'anna', 'a'], [b.id, 'bert', 'b'], [op.id, 'olga', 'c']] as const) {
          await admin('users').insert({ tenant_id: tenant, login, display_name: login, password_hash: 'x' });
          await admin('workstations').insert({ tenant_id: tenant, name: `ws-${login}`, cert_serial: Buffer.from(login).toString('hex'), cert_fingerprint: fp.repeat(64), cert_not_after: new Date('2030-01-01') });
        }
      });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('shows no tenant-owned rows to a transaction without a tenant', async () => {
      await tdb.db.knex.transaction(async (trx) => {
        for (const table of ['users', 'workstations', 'sessions', 'audit_log', 'user_permissions', 'password_history']) {
          expect(await trx(table).select(), table).toEqual([]);
        }
        // Only the operator itself is visible without a scope (it is the platform).
        expect(await trx('tenants').pluck('code')).toEqual(['op']);
      });
    });

    it('limits a deliberately unscoped repository query to the scoped tenant', async () => {
      const users = createUserRepository();
      const seen = await inTenant(tdb.db.knex, { tenantId: ids.a }, (trx) => users.list(trx));
      expect(seen.map((u) => u.login)).toEqual(['anna']);
      const raw = await inTenant(tdb.db.knex, { tenantId: ids.a }, (trx) => trx.raw('SELECT login FROM users'));
      expect(raw.rows).toEqual([{ login: 'anna' }]);
      const ws = await inTenant(tdb.db.knex, { tenantId: ids.b }, (trx) => createWorkstationRepository().list(trx));
      expect(ws.map((w) => w.name)).toEqual(['ws-bert']);
    });

    it('refuses to write rows into another tenant', async () => {
      await expect(
        inTenant(tdb.db.knex, { tenantId: ids.a }, (trx) => trx('users').insert({ tenant_id: ids.b, login: 'eindringling', display_name: 'x', password_hash: 'x' })),
      ).rejects.toThrow(/row-level security/);
      const moved = await inTenant(tdb.db.knex, { tenantId: ids.a }, (trx) => trx('users').where({ login: 'bert' }).update({ display_name: 'gekapert' }));
      expect(moved).toBe(0);
      await expect(
        inTenant(tdb.db.knex, { tenantId: ids.a }, (trx) => trx('users').where({ login: 'anna' }).update({ tenant_id: ids.b })),
      ).rejects.toThrow(/row-level security/);
    });

    it('lets the operator see direct sub-tenants only when the scope includes them', async () => {
      const narrow = await inTenant(tdb.db.knex, { tenantId: ids.operator }, (trx) => trx('users').orderBy('login').pluck('login'));
      expect(narrow).toEqual(['olga']);
      const wide = await inTenant(tdb.db.knex, { tenantId: ids.operator, includeChildren: true }, (trx) => trx('users').orderBy('login').pluck('login'));
      expect(wide).toEqual(['anna', 'bert', 'olga']);
      // A sub-tenant gains nothing from asking for children.
      const outlet = await inTenant(tdb.db.knex, { tenantId: ids.a, includeChildren: true }, (trx) => trx('users').pluck('login'));
      expect(outlet).toEqual(['anna']);
    });

    it('does not leak the tenant setting to the next use of a pooled connection', async () => {
      await inTenant(tdb.db.knex, { tenantId: ids.a }, (trx) => trx('users').select());
      for (let i = 0; i < 5; i += 1) expect(await tdb.db.knex('users').select()).toEqual([]);
    });

    it('finds a workstation by certificate fingerprint only for that fingerprint', async () => {
      const fp = 'a'.repeat(64);
      const found = await createWorkstationRepository().findByFingerprint(tdb.db.knex, fp);
      expect(found?.name).toBe('ws-anna');
      expect(await tdb.db.knex('workstations').select()).toEqual([]);
    });
  });
}
