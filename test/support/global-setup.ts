import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/src/db/database.js';
import { PG_ADMIN_URL, pgUrlFor, testBackends } from './backends.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    pgTemplateDatabase: string;
  }
}

/**
 * Migrates one template per backend once per run; each test then copies it (a directory copy for PGlite,
 * CREATE DATABASE ... TEMPLATE for PostgreSQL), which costs a fraction of a fresh migration.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backends = testBackends();
  const root = mkdtempSync(path.join(tmpdir(), 'boxoffice-test-'));
  const pgliteTemplateDir = path.join(root, 'pglite-template');
  const pgTemplateDatabase = `boxoffice_tpl_${process.pid}_${Date.now().toString(36)}`;

  if (backends.includes('pglite')) {
    const db = await openDatabase({ pgliteDir: pgliteTemplateDir, migrate: true });
    await db.close();
  }
  if (backends.includes('postgres')) {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(`PostgreSQL at ${PG_ADMIN_URL} is not reachable (${(error as Error).message}); start it or set TEST_BACKENDS=pglite`);
    }
    await admin.query(`CREATE DATABASE ${pgTemplateDatabase}`);
    await admin.end();
    const db = await openDatabase({ url: pgUrlFor(pgTemplateDatabase), migrate: true });
    await db.close();
  }
  project.provide('pgliteTemplateDir', pgliteTemplateDir);
  project.provide('pgTemplateDatabase', pgTemplateDatabase);

  return async () => {
    rmSync(root, { recursive: true, force: true });
    if (backends.includes('postgres')) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [pgTemplateDatabase, `boxoffice_t_${process.pid}_%`],
      );
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.end();
    }
  };
}
