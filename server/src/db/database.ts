import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import ClientPGLite from 'knex-pglite';
import { RESULT_PARSERS } from './types.js';
import { migrateLatest } from './migrate.js';
import { acquireDirectoryLock, type DirectoryLock } from './dir-lock.js';

export const APP_ROLE = 'boxoffice_app';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DatabaseKind;
  /** Runs as the application role: not superuser, not owner, subject to row-level security. */
  readonly knex: Knex;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL server connection string; without it the embedded PGlite in `pgliteDir` is used. */
  url?: string | undefined;
  /** Connection string of the schema owner for migrations; defaults to `url`. */
  adminUrl?: string | undefined;
  pgliteDir?: string | undefined;
  poolMax?: number;
  connectTimeoutMs?: number;
  /** Apply pending migrations before handing out the application connection. */
  migrate: boolean;
}

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

export class DatabaseRoleError extends Error {
  readonly code = 'DATABASE_ROLE_UNSAFE';
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseRoleError';
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url !== undefined) return openPostgres(options.url, options);
  if (options.pgliteDir === undefined) throw new Error('openDatabase needs either url or pgliteDir');
  return openPglite(options.pgliteDir, options);
}

/** Redacts credentials so that a connection string can appear in an error line or a log. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparsable database url)';
  }
}

type TypeParser = (value: string) => unknown;

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): TypeParser {
    const own = RESULT_PARSERS[oid];
    if (own !== undefined && format !== 'binary') return own;
    return (format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format)) as TypeParser;
  },
};

// knex prints pool and driver warnings to the console; the same failures reach the caller as rejected
// queries (and from there the log or the CLI's one-line error), so the console copy is dropped.
const quietKnexLog = { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined };

/** pg connection settings with the shared type parsers; also used by tools that connect as the owner. */
export function pgConnection(url: string, connectTimeoutMs = 5000): Knex.PgConnectionConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'boxoffice',
    types: pgTypes as unknown as NonNullable<Knex.PgConnectionConfig['types']>,
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  if (options.migrate) {
    const admin = knexFactory({
      client: 'pg',
      connection: pgConnection(options.adminUrl ?? url, connectTimeoutMs),
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: connectTimeoutMs,
      log: quietKnexLog,
    });
    try {
      await migrateLatest(admin).catch((error: unknown) => {
        throw asUnavailable(error, options.adminUrl ?? url);
      });
    } finally {
      await admin.destroy();
    }
  }

  const knex = knexFactory({
    client: 'pg',
    connection: pgConnection(url, connectTimeoutMs),
    acquireConnectionTimeout: connectTimeoutMs,
    log: quietKnexLog,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      // Every pooled connection works as the application role and in UTC, whatever the login role is.
      afterCreate: (conn: pg.Client, done: (error: Error | null, conn: pg.Client) => void) => {
        conn.query(`SET ROLE ${APP_ROLE}; SET TIME ZONE 'UTC'`).then(
          () => done(null, conn),
          (error: Error) => done(error, conn),
        );
      },
    },
  });
  const database = makeDatabase('postgres', knex, () => knex.destroy());
  try {
    await database.ping(connectTimeoutMs).catch((error: unknown) => {
      throw asUnavailable(error, url);
    });
    await assertSafeAppRole(knex);
  } catch (error) {
    await knex.destroy();
    throw error;
  }
  return database;
}

async function openPglite(dir: string, options: OpenDatabaseOptions): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  // PGlite has no lock of its own; two processes on one data directory would corrupt it.
  const lock: DirectoryLock = acquireDirectoryLock(path.join(path.dirname(dir), `${path.basename(dir)}.lock`));
  let pglite: PGlite | undefined;
  try {
    pglite = new PGlite(dir, { parsers: RESULT_PARSERS });
    await pglite.waitReady;
    await pglite.exec(`SET TIME ZONE 'UTC'`);
  } catch (error) {
    lock.release();
    throw new DatabaseUnavailableError(`cannot open the embedded database in ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const knex = knexFactory({ client: ClientPGLite, connection: { pglite } as never, log: quietKnexLog });
  const close = async () => {
    try {
      await knex.destroy();
    } finally {
      lock.release();
    }
  };
  try {
    // PGlite is a single session as superuser: migrate as that, then drop privileges for good measure.
    if (options.migrate) await migrateLatest(knex);
    await pglite.exec(`SET ROLE ${APP_ROLE}`);
    await assertSafeAppRole(knex);
  } catch (error) {
    await close();
    throw error;
  }
  return makeDatabase('pglite', knex, close);
}

function makeDatabase(kind: DatabaseKind, knex: Knex, close: () => Promise<void>): Database {
  let closed = false;
  return {
    kind,
    knex,
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DatabaseUnavailableError(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([knex.raw('select 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/**
 * Refuses to run as a role that would silently switch off row-level security or the audit grants:
 * superuser, BYPASSRLS, or owner of any table in the schema.
 */
export async function assertSafeAppRole(knex: Knex): Promise<void> {
  const result = await knex.raw<{ rows: Array<{ role: string; rolsuper: boolean; rolbypassrls: boolean; owned: number }> }>(`
    SELECT current_user AS role, r.rolsuper, r.rolbypassrls,
           (SELECT count(*)::int FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user) AS owned
      FROM pg_roles r WHERE r.rolname = current_user
  `);
  const row = result.rows[0];
  if (row === undefined) throw new DatabaseRoleError('cannot determine the database role');
  if (row.rolsuper || row.rolbypassrls || row.owned > 0) {
    throw new DatabaseRoleError(
      `database role ${row.role} is ${row.rolsuper ? 'superuser' : row.rolbypassrls ? 'BYPASSRLS' : 'owner of tables'}; the application must run as ${APP_ROLE}`,
    );
  }
}

function asUnavailable(error: unknown, url: string): Error {
  if (error instanceof DatabaseUnavailableError) return error;
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  // Connection-level failures become one readable line; anything else (e.g. a failing migration) stays as is.
  const connectionCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03']);
  if ((code !== undefined && connectionCodes.has(code)) || /timeout|connect/i.test(message)) {
    return new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${describeUrl(url)}: ${code ?? message}`, { cause: error });
  }
  return error as Error;
}
