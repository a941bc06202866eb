/**
 * Starts the real server for the end-to-end run: the renderer built by Vite, a fresh PostgreSQL
 * database migrated by the server's own migrations, a test CA with server and workstation
 * certificates, mutual TLS on E2E_PORT. Fixtures that every spec shares are seeded here; specs add
 * their own through connectWorld(). The returned function stops the server and drops the database.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../server/src/app.js';
import { systemClock } from '../../server/src/clock.js';
import { openDatabase } from '../../server/src/db/database.js';
import { testAppConfig } from '../support/app-config.js';
import { PG_ADMIN_URL, pgUrlFor } from '../support/backends.js';
import { insertBlankBatch } from '../support/printing-fixtures.js';
import { openTill } from '../support/sales-fixtures.js';
import { createTestPki } from '../support/pki.js';
import { E2E_ORIGIN, E2E_PORT, REPO_ROOT, STATE_DIR } from './support/env.js';
import { connectWorld, writeState, type WorldState } from './support/world.js';

export const INITIAL_PASSWORD = 'Erst-Passwort-2026!';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const build = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:renderer failed');
  rmSync(STATE_DIR, { recursive: true, force: true });

  const database = `boxoffice_e2e_${process.pid}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${database}`);
  await client.end();
  const databaseUrl = pgUrlFor(database);
  const db = await openDatabase({ url: databaseUrl, migrate: true });

  const pki = await createTestPki();
  const base = connectWorld({ databaseUrl } as WorldState);
  const tenants = await base.admin.transaction(async (trx) => {
    const [op] = await trx('tenants').insert({ kind: 'operator', code: 'betreiber', name: 'Ticketplattform' }).returning<Array<{ id: string }>>('id');
    const [outlet] = await trx('tenants').insert({ kind: 'outlet', code: 'vvk-nord', name: 'VVK Nord', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
    const [outletB] = await trx('tenants').insert({ kind: 'outlet', code: 'vvk-sued', name: 'VVK Süd', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
    return { operator: op!.id, outlet: outlet!.id, outletB: outletB!.id };
  });
  await base.close();

  const partial: WorldState = { origin: E2E_ORIGIN, databaseUrl, database, ca: { certPem: pki.ca.certPem, keyPem: pki.ca.keyPem }, tenants, event: undefined as never, workstations: {}, users: {} };
  const world = connectWorld(partial);
  const event = await world.salesEvent({ gaCapacity: 200, rows: 4, seatsPerRow: 12, sellers: [tenants.outlet] });
  const kasse = await world.workstation(tenants.outlet, 'kasse-1');
  const buero = await world.workstation(tenants.outlet, 'buero-1');
  const clerk = await world.user(tenants.outlet, 'k.schmidt', ['sales.sell', 'sales.cancel', 'tickets.print', 'tickets.reprint'], { displayName: 'Karin Schmidt' });
  const newcomer = await world.user(tenants.outlet, 'n.neumann', ['sales.sell', 'tickets.print'], { password: INITIAL_PASSWORD, mustChangePassword: true, displayName: 'Nina Neumann' });
  const nobody = await world.user(tenants.outlet, 'o.ohnerecht', [], { displayName: 'Olaf Ohnerecht' });
  // The clerk's till is open and the printer at kasse-1 holds blanks 1…300.
  await openTill(world as never, tenants.outlet, kasse.id, clerk.id);
  await insertBlankBatch(world as never, tenants.outlet, 1, 300, clerk.id);
  await world.admin('print_trays').insert({ tenant_id: tenants.outlet, workstation_id: kasse.id, next_blank: 1, updated_at: new Date(), updated_by: clerk.id });
  await world.close();

  const state: WorldState = { ...partial, event, workstations: { 'kasse-1': kasse.id, 'buero-1': buero.id }, users: { clerk, newcomer, nobody } };
  writeState(state);

  const app = await buildApp({
    config: testAppConfig({ rendererDir: path.join(REPO_ROOT, 'build', 'renderer'), logLevel: 'warn' }),
    db,
    clock: systemClock,
    tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem },
  });
  await app.listen({ host: '127.0.0.1', port: E2E_PORT });

  return async () => {
    await app.close();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  };
}
