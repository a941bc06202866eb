import knexFactory from 'knex';
import { openDatabase, pgConnection } from '../../server/src/db/database.js';
import { inTenant } from '../../server/src/db/tenant-scope.js';
import { createWorkstationRepository } from '../../server/src/modules/workstations/repository.js';
import { createTestPki, type KeyPair } from './pki.js';
import type { TestServer } from './test-server.js';

/** The set-up side of a TestServer (owner access, tenants, PKI, workstations), without a server. */
export type FixtureServer = Pick<TestServer, 'pki' | 'tdb' | 'tenants' | 'registerWorkstation'>;

/**
 * Migrates the PostgreSQL database at `url` (a superuser connection) and seeds the tenants a TestServer
 * has, for tests whose server under test runs in a separate process on a database of their own (e.g. a
 * PostgreSQL cluster the test restarts). The shared fixtures (sales, users, tills) work on it unchanged.
 */
export async function fixtureServerOn(url: string): Promise<FixtureServer> {
  const db = await openDatabase({ url, migrate: true });
  const admin = knexFactory({ client: 'pg', connection: pgConnection(url), pool: { min: 0, max: 2 } });
  const pki = await createTestPki();
  const tenants = await admin.transaction(async (trx) => {
    const [op] = await trx('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
    const rows = await trx('tenants')
      .insert([
        { kind: 'outlet', code: 'outlet-a', name: 'Outlet A', parent_id: op!.id },
        { kind: 'outlet', code: 'outlet-b', name: 'Outlet B', parent_id: op!.id },
      ])
      .returning<Array<{ id: string; code: string }>>(['id', 'code']);
    return { operator: op!.id, outlet: rows.find((r) => r.code === 'outlet-a')!.id, outletB: rows.find((r) => r.code === 'outlet-b')!.id };
  });
  const repo = createWorkstationRepository();
  return {
    pki,
    tenants,
    tdb: { backend: 'postgres', db, url, asAdmin: (fn) => fn(admin), cleanup: () => db.close().finally(() => admin.destroy()) },
    async registerWorkstation(tenantId: string, name: string, cert?: KeyPair) {
      const pair = cert ?? (await pki.client(name));
      const row = await inTenant(db.knex, { tenantId }, (trx) =>
        repo.insert(trx, { tenantId, name, certSerial: pair.serialHex, certFingerprint: pair.fingerprint256, certNotAfter: pair.notAfter }),
      );
      return { ...pair, id: row.id };
    },
  };
}
