import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeAppRole, DatabaseRoleError } from '../../../server/src/db/database.js';
import { inTenant } from '../../../server/src/db/tenant-scope.js';
import { appendAudit, recordOfRow } from '../../../server/src/modules/audit/repository.js';
import { chainHash, GENESIS_HASH } from '../../../server/src/modules/audit/chain.js';
import { testBackends } from '../../support/backends.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

for (const backend of testBackends()) {
  describe(`database layer on ${backend}`, () => {
    let tdb: TestDatabase;
    let tenantId: string;

    beforeAll(async () => {
      tdb = await createTestDatabase(backend);
      tenantId = await tdb.asAdmin(async (admin) => {
        const [row] = await admin('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
        return row!.id;
      });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('parses types identically on both backends', async () => {
      const { rows } = await tdb.db.knex.raw(`
        SELECT 42::int8 AS big, 9007199254740991::int8 AS max_safe, 12.50::numeric(10,2) AS amount,
               '2026-12-31'::date AS day, '2026-12-04T13:15:35.123456Z'::timestamptz AS at,
               7::int4 AS small, true AS flag, '{"a":[1,2]}'::jsonb AS doc, gen_random_uuid() AS id
      `);
      expect(rows[0]).toEqual({
        big: 42,
        max_safe: 9007199254740991,
        amount: '12.50',
        day: '2026-12-31',
        at: new Date('2026-12-04T13:15:35.123Z'),
        small: 7,
        flag: true,
        doc: { a: [1, 2] },
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      await expect(tdb.db.knex.raw('SELECT 9007199254740993::int8 AS too_big')).rejects.toThrow(/safe integer/);
    });

    it('round-trips Date parameters and reports times in UTC', async () => {
      const at = new Date('2026-03-29T01:30:00.250Z');
      const { rows } = await tdb.db.knex.raw('SELECT ?::timestamptz AS at, (?::timestamptz)::text AS text', [at, at]);
      expect(rows[0].at).toEqual(at);
      expect(rows[0].text).toBe('2026-03-29 01:30:00.25+00');
    });

    it('works as boxoffice_app: not superuser, no BYPASSRLS, owner of nothing', async () => {
      const { rows } = await tdb.db.knex.raw(`
        SELECT current_user AS role, r.rolsuper, r.rolbypassrls,
               (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
          FROM pg_roles r WHERE r.rolname = current_user`);
      expect(rows[0]).toEqual({ role: 'boxoffice_app', rolsuper: false, rolbypassrls: false, owned: 0 });
      await expect(assertSafeAppRole(tdb.db.knex)).resolves.toBeUndefined();
      await tdb.asAdmin(async (admin) => {
        await expect(assertSafeAppRole(admin)).rejects.toBeInstanceOf(DatabaseRoleError);
      });
    });

    it('cannot change the schema or the audit trail as the application role', async () => {
      await expect(tdb.db.knex.raw('DROP TABLE tenants')).rejects.toThrow(/must be owner/);
      await expect(tdb.db.knex.raw('CREATE TABLE sneaky (id int)')).rejects.toThrow(/permission denied/);
      await expect(tdb.db.knex('tenants').delete()).rejects.toThrow(/permission denied/);
      await inTenant(tdb.db.knex, { tenantId }, (trx) => appendAudit(trx, { tenantId, at: new Date(), action: 'test.first', entity: 'test' }));
      await expect(inTenant(tdb.db.knex, { tenantId }, (trx) => trx('audit_log').update({ action: 'test.changed' }))).rejects.toThrow(/permission denied/);
      await expect(inTenant(tdb.db.knex, { tenantId }, (trx) => trx('audit_log').delete())).rejects.toThrow(/permission denied/);
      await expect(tdb.db.knex.raw('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
    });

    it('refuses audit changes even to the owner (triggers)', async () => {
      await tdb.asAdmin(async (admin) => {
        await expect(admin('audit_log').update({ action: 'test.changed' })).rejects.toThrow(/append-only \(UPDATE refused\)/);
        await expect(admin('audit_log').delete()).rejects.toThrow(/append-only \(DELETE refused\)/);
        await expect(admin.raw('TRUNCATE audit_log')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
      });
    });

    it('chains audit rows per tenant with hashes that can be recomputed from the stored rows', async () => {
      const at = new Date('2026-12-04T12:00:00.123Z');
      await inTenant(tdb.db.knex, { tenantId }, async (trx) => {
        await appendAudit(trx, { tenantId, at, action: 'test.second', entity: 'thing', entityId: 'x1', details: { z: 1, a: 'ü' }, sourceIp: '192.0.2.1' });
        await appendAudit(trx, { tenantId, at, action: 'test.third', entity: 'thing', details: {} });
      });
      const rows = await inTenant(tdb.db.knex, { tenantId }, (trx) => trx('audit_log').where({ tenant_id: tenantId }).orderBy('seq'));
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      let prev = GENESIS_HASH;
      for (const r of rows) {
        expect(r.prev_hash).toBe(prev);
        const recomputed = chainHash(prev, recordOfRow(r));
        expect(r.hash).toBe(recomputed);
        prev = r.hash;
      }
    });

    it('writes nothing when the surrounding transaction fails', async () => {
      const count = () => inTenant(tdb.db.knex, { tenantId }, (trx) => trx('audit_log').count<Array<{ count: number }>>('* as count'));
      const before = await count();
      await expect(
        inTenant(tdb.db.knex, { tenantId }, async (trx) => {
          await appendAudit(trx, { tenantId, at: new Date(), action: 'test.rolled_back', entity: 'thing' });
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      expect(await count()).toEqual(before);
    });
  });
}
