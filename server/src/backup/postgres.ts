import type { Readable } from 'node:stream';
import knexFactory, { type Knex } from 'knex';
import { up as createAppRole } from '../../migrations/20261204120000_create_app_role.js';
import { describeUrl, pgConnection } from '../db/database.js';
import { BackupError } from './errors.js';
import { readDatabaseState, type DatabaseState } from './state.js';
import { runTool, runToolToStream, toolConnection } from './tools.js';

const quietLog = { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined };

/** One owner-level connection (superuser or BYPASSRLS) for reading state, checks and preparing a restore. */
export function openPostgresAdmin(url: string, connectTimeoutMs = 5000): Knex {
  return knexFactory({ client: 'pg', connection: pgConnection(url, connectTimeoutMs), pool: { min: 0, max: 1 }, acquireConnectionTimeout: connectTimeoutMs, log: quietLog });
}

/**
 * FORCE ROW LEVEL SECURITY binds even the table owner, so a dump by a role that cannot bypass it would
 * either fail (pg_dump's default) or silently miss rows; refuse such a role up front.
 */
export async function assertSeesEverything(knex: Knex, url: string): Promise<void> {
  const result = await knex.raw<{ rows: Array<{ role: string; rolsuper: boolean; rolbypassrls: boolean }> }>(
    'SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
  );
  const row = result.rows[0];
  if (row === undefined || !(row.rolsuper || row.rolbypassrls)) {
    throw new BackupError(
      'BACKUP_ROLE_INSUFFICIENT',
      `role ${row?.role ?? '?'} at ${describeUrl(url)} can neither bypass row-level security nor is superuser; backups need one that can (ALTER ROLE … BYPASSRLS), set in BOXOFFICE_BACKUP_DATABASE_URL`,
    );
  }
}

/**
 * pg_dump in custom format. The manifest's counts and chain heads are read in a REPEATABLE READ
 * transaction whose snapshot pg_dump adopts (--snapshot), so dump and manifest show the same instant
 * even while servers keep writing.
 */
export async function dumpPostgres<T>(url: string, write: (dump: Readable) => Promise<T>, connectTimeoutMs?: number): Promise<{ state: DatabaseState; written: T }> {
  const knex = openPostgresAdmin(url, connectTimeoutMs);
  try {
    await assertSeesEverything(knex, url);
    const tool = toolConnection(url);
    return await knex.transaction(async (trx) => {
      await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const snapshot = (await trx.raw<{ rows: Array<{ id: string }> }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id;
      if (snapshot === undefined) throw new BackupError('BACKUP_FAILED', 'PostgreSQL exported no snapshot');
      const state = await readDatabaseState(trx);
      const written = await runToolToStream('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--dbname=${tool.dbname}`], tool.env, write);
      return { state, written };
    });
  } finally {
    await knex.destroy();
  }
}

/** Objects in non-system schemas (tables, sequences, views, functions); 0 for a freshly created database. */
export async function countUserObjects(knex: Knex): Promise<number> {
  const result = await knex.raw<{ rows: Array<{ n: number }> }>(`
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%')
         + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))::int AS n`);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * pg_restore into an empty database, in one transaction (a failure leaves the database empty). Objects
 * end up owned by the restoring role (--no-owner), so a dump restores on another server with other
 * role names; the application role is created first when the target server lacks it, and the dump's
 * grants to it are kept.
 */
export async function restorePostgres(file: string, url: string, connectTimeoutMs?: number): Promise<void> {
  const knex = openPostgresAdmin(url, connectTimeoutMs);
  try {
    const objects = await countUserObjects(knex);
    if (objects > 0) throw new BackupError('BACKUP_TARGET_NOT_EMPTY', `database ${describeUrl(url)} is not empty (${objects} objects); restore only into a newly created database`);
    // The migration that creates the role is idempotent and tolerates a concurrent creator; reuse it.
    await createAppRole(knex);
  } finally {
    await knex.destroy();
  }
  const tool = toolConnection(url);
  await runTool('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${tool.dbname}`, file], tool.env);
}
