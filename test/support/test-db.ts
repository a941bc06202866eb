import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { inject } from 'vitest';
import { APP_ROLE, openDatabase, pgConnection, type Database } from '../../server/src/db/database.js';
import { PG_ADMIN_URL, pgUrlFor, type Backend } from './backends.js';

export interface TestDatabase {
  backend: Backend;
  db: Database;
  /** Runs `fn` with owner/superuser rights (to tamper, inspect or set up what the app role may not). */
  asAdmin<T>(fn: (admin: Knex) => Promise<T>): Promise<T>;
  /** PostgreSQL only: the connection string of this test's database. */
  url?: string;
  /** PGlite only: the data directory (its parent is a BOXOFFICE_DATA_DIR for the CLI). */
  pgliteDir?: string;
  cleanup(): Promise<void>;
}

let counter = 0;

/** A fresh, migrated database copied from the run's template. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'pglite' ? createPgliteTestDatabase() : createPostgresTestDatabase();
}

async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const root = mkdtempSync(path.join(tmpdir(), 'boxoffice-pglite-'));
  const dir = path.join(root, 'pglite');
  cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
  const db = await openDatabase({ pgliteDir: dir, migrate: false });
  return {
    backend: 'pglite',
    db,
    pgliteDir: dir,
    // PGlite is one session: leave the app role for the duration of `fn`, then return to it.
    async asAdmin(fn) {
      await db.knex.raw('RESET ROLE');
      try {
        return await fn(db.knex);
      } finally {
        await db.knex.raw(`SET ROLE ${APP_ROLE}`);
      }
    },
    async cleanup() {
      await db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  counter += 1;
  const name = `boxoffice_t_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
  const template = inject('pgTemplateDatabase');
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    // Concurrent copies of one template can collide briefly; retry a few times.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await client.end();
  }
  const url = pgUrlFor(name);
  const db = await openDatabase({ url, migrate: false });
  const admin = knexFactory({ client: 'pg', connection: pgConnection(url), pool: { min: 0, max: 2 } });
  return {
    backend: 'postgres',
    db,
    url,
    asAdmin: (fn) => fn(admin),
    async cleanup() {
      await db.close();
      await admin.destroy();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** An empty, unmigrated database with an owner connection, for migration tests. */
export async function createEmptyDatabase(backend: Backend): Promise<{ admin: Knex; cleanup(): Promise<void> }> {
  if (backend === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { default: ClientPGLite } = await import('knex-pglite');
    const { RESULT_PARSERS } = await import('../../server/src/db/types.js');
    const root = mkdtempSync(path.join(tmpdir(), 'boxoffice-pglite-empty-'));
    const pglite = new PGlite(path.join(root, 'pglite'), { parsers: RESULT_PARSERS });
    await pglite.waitReady;
    const admin = knexFactory({ client: ClientPGLite, connection: { pglite } as never });
    return {
      admin,
      async cleanup() {
        await admin.destroy();
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  counter += 1;
  const name = `boxoffice_t_${process.pid}_${counter}_empty`;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const admin = knexFactory({ client: 'pg', connection: pgConnection(pgUrlFor(name)), pool: { min: 0, max: 1 } });
  return {
    admin,
    async cleanup() {
      await admin.destroy();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
