/**
 * The end-to-end run's world: a fresh PostgreSQL database (migrated like the server migrates it), the
 * test CA, the tenants, and helpers that specs use to add their own users, workstations and events.
 * Global setup builds it once and writes state.json; every spec reads that file and may seed more
 * through `connectWorld()` (as the database owner, the way test/support does).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import { issueClientCertificate, type CaSigner } from '../../../server/src/pki/x509.js';
import { pgConnection } from '../../../server/src/db/database.js';
import type { Permission } from '../../../src/shared/domain/permissions.js';
import { createUser, STRONG_PASSWORD } from '../../support/identity.js';
import { createSalesFixture, type SalesFixture } from '../../support/sales-fixtures.js';
import { certificateFiles, STATE_DIR, STATE_FILE } from './env.js';

export interface WorldState {
  readonly origin: string;
  readonly databaseUrl: string;
  readonly database: string;
  readonly ca: CaSigner;
  readonly tenants: { readonly operator: string; readonly outlet: string; readonly outletB: string };
  /** The outlet's event on sale: general admission and seated (block A). */
  readonly event: SalesFixture;
  readonly workstations: Readonly<Record<string, string>>;
  readonly users: Readonly<Record<string, { readonly id: string; readonly login: string; readonly password: string }>>;
}

export function readState(): WorldState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as WorldState;
}

export function writeState(state: WorldState): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

export interface World {
  readonly state: WorldState;
  readonly admin: Knex;
  /** For the test/support helpers that take a server with `tdb.asAdmin`. */
  readonly tdb: { asAdmin<T>(fn: (knex: Knex) => Promise<T>): Promise<T> };
  /** A user with exactly these rights (password STRONG_PASSWORD unless given). */
  user(tenantId: string, login: string, permissions: readonly Permission[], options?: { password?: string; mustChangePassword?: boolean; displayName?: string }): Promise<{ id: string; login: string; password: string }>;
  /** A registered workstation whose certificate and key lie in the state folder (for clientCertificates). */
  workstation(tenantId: string, name: string): Promise<{ id: string; certPath: string; keyPath: string }>;
  /** The shared sales fixture (an event on sale for the given outlets). */
  salesEvent(options?: Parameters<typeof createSalesFixture>[1]): Promise<SalesFixture>;
  close(): Promise<void>;
}

export function connectWorld(state: WorldState): World {
  const admin = knexFactory({ client: 'pg', connection: pgConnection(state.databaseUrl), pool: { min: 0, max: 2 } });
  const tdb = { asAdmin: <T>(fn: (knex: Knex) => Promise<T>) => fn(admin) };
  return {
    state,
    admin,
    tdb,
    async user(tenantId, login, permissions, options = {}) {
      const created = await createUser({ tdb } as never, tenantId, login, permissions, {
        password: options.password ?? STRONG_PASSWORD,
        mustChangePassword: options.mustChangePassword ?? false,
      });
      if (options.displayName !== undefined) await admin('users').where({ id: created.id }).update({ display_name: options.displayName });
      return created;
    },
    async workstation(tenantId, name) {
      const pair = await issueClientCertificate(state.ca, { commonName: name, organization: 'E2E', validityDays: 20, now: new Date(), kind: 'workstation' });
      const files = certificateFiles(name);
      mkdirSync(STATE_DIR, { recursive: true });
      writeFileSync(files.certPath, pair.certPem);
      writeFileSync(files.keyPath, pair.keyPem, { mode: 0o600 });
      const [row] = await admin('workstations')
        .insert({ tenant_id: tenantId, name, cert_serial: pair.serialHex, cert_fingerprint: pair.fingerprint256, cert_not_after: pair.notAfter })
        .returning<Array<{ id: string }>>('id');
      return { id: row!.id, ...files };
    },
    salesEvent: (options) => createSalesFixture({ tdb, tenants: state.tenants } as never, options),
    close: () => admin.destroy(),
  };
}
