import { buildApp, type App, type AppDeps } from '../../server/src/app.js';
import { systemClock, type Clock } from '../../server/src/clock.js';
import { inTenant } from '../../server/src/db/tenant-scope.js';
import { createWorkstationRepository } from '../../server/src/modules/workstations/repository.js';
import { testAppConfig } from './app-config.js';
import type { Backend } from './backends.js';
import { createTestPki, type KeyPair, type TestPki } from './pki.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestServer {
  app: App;
  port: number;
  pki: TestPki;
  tdb: TestDatabase;
  tenants: { operator: string; outlet: string; outletB: string };
  /** A registered, valid workstation of the outlet. */
  workstation: KeyPair & { id: string };
  registerWorkstation(tenantId: string, name: string, cert?: KeyPair): Promise<KeyPair & { id: string }>;
  close(): Promise<void>;
}

/** A real HTTPS server on a random loopback port with a fresh database and test PKI. */
export async function startTestServer(
  backend: Backend,
  options: { clock?: Clock; config?: Partial<AppDeps['config']>; verifyPassword?: AppDeps['verifyPassword']; printing?: AppDeps['printing']; directoryKey?: Buffer; intrusion?: AppDeps['intrusion'] } = {},
): Promise<TestServer> {
  const tdb = await createTestDatabase(backend);
  const pki = await createTestPki();
  const clock = options.clock ?? systemClock;
  const tenants = await tdb.asAdmin(async (admin) => {
    const [op] = await admin('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
    const [outlet] = await admin('tenants').insert({ kind: 'outlet', code: 'outlet-a', name: 'Outlet A', parent_id: op?.id }).returning<Array<{ id: string }>>('id');
    const [outletB] = await admin('tenants').insert({ kind: 'outlet', code: 'outlet-b', name: 'Outlet B', parent_id: op?.id }).returning<Array<{ id: string }>>('id');
    return { operator: op!.id, outlet: outlet!.id, outletB: outletB!.id };
  });
  const repo = createWorkstationRepository();
  const registerWorkstation = async (tenantId: string, name: string, cert?: KeyPair) => {
    const pair = cert ?? (await pki.client(name));
    const row = await inTenant(tdb.db.knex, { tenantId }, (trx) =>
      repo.insert(trx, { tenantId, name, certSerial: pair.serialHex, certFingerprint: pair.fingerprint256, certNotAfter: pair.notAfter }),
    );
    return { ...pair, id: row.id };
  };
  const workstation = await registerWorkstation(tenants.outlet, 'kasse-1');
  const app = await buildApp({
    config: testAppConfig(options.config),
    ...(options.verifyPassword === undefined ? {} : { verifyPassword: options.verifyPassword }),
    ...(options.printing === undefined ? {} : { printing: options.printing }),
    ...(options.directoryKey === undefined ? {} : { directoryKey: options.directoryKey }),
    ...(options.intrusion === undefined ? {} : { intrusion: options.intrusion }),
    db: tdb.db,
    clock,
    tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    app,
    port: address.port,
    pki,
    tdb,
    tenants,
    workstation,
    registerWorkstation,
    async close() {
      await app.close();
      await tdb.cleanup();
    },
  };
}
