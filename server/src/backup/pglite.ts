import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import { acquireDirectoryLock, type DirectoryLock } from '../db/dir-lock.js';
import { RESULT_PARSERS } from '../db/types.js';
import { BackupError } from './errors.js';
import { readDatabaseState, type DatabaseState } from './state.js';

/** The same lock file the server takes (db/database.ts): while a server holds it, nothing here runs. */
function lockFor(dir: string): DirectoryLock {
  return acquireDirectoryLock(path.join(path.dirname(dir), `${path.basename(dir)}.lock`));
}

/**
 * Opens an embedded database for backup tooling: under the data-directory lock and as PGlite's own
 * superuser session (which sees every tenant), never migrating.
 */
export async function openPgliteAdmin(dir: string): Promise<{ knex: Knex; pglite: PGlite; close(): Promise<void> }> {
  if (!existsSync(path.join(dir, 'PG_VERSION'))) throw new BackupError('BACKUP_FAILED', `${dir} holds no embedded database`);
  const lock = lockFor(dir);
  let pglite: PGlite;
  try {
    pglite = new PGlite(dir, { parsers: RESULT_PARSERS });
    await pglite.waitReady;
    await pglite.exec(`SET TIME ZONE 'UTC'`);
  } catch (error) {
    lock.release();
    throw new BackupError('BACKUP_FAILED', `cannot open the embedded database in ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const knex = knexFactory({ client: ClientPGLite, connection: { pglite } as never });
  return {
    knex,
    pglite,
    async close() {
      try {
        await knex.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * PGlite's own dump: a gzip tarball of the data directory, taken under the directory lock, so no server
 * writes meanwhile (a running server on the same directory makes this fail with DATA_DIR_LOCKED).
 */
export async function dumpPglite<T>(dir: string, write: (dump: Readable) => Promise<T>): Promise<{ state: DatabaseState; written: T }> {
  const db = await openPgliteAdmin(dir);
  try {
    const state = await readDatabaseState(db.knex);
    // PGlite hands the tarball over in memory; the embedded database is small enough for that.
    const tarball = await db.pglite.dumpDataDir('gzip');
    const written = await write(Readable.from([Buffer.from(await tarball.arrayBuffer())]));
    return { state, written };
  } finally {
    await db.close();
  }
}

/** Unpacks a data-directory tarball into `dir`, which must be missing or empty. */
export async function restorePglite(file: string, dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new BackupError('BACKUP_TARGET_NOT_EMPTY', `${dir} is not empty; restore only into a new or empty directory`);
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = lockFor(dir);
  try {
    const pglite = new PGlite(dir, { loadDataDir: new Blob([readFileSync(file)]), parsers: RESULT_PARSERS });
    await pglite.waitReady;
    await pglite.query('SELECT 1');
    await pglite.close();
  } catch (error) {
    // Nothing half-restored stays behind.
    if (created) rmSync(dir, { recursive: true, force: true });
    else for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    throw new BackupError('BACKUP_FAILED', `cannot restore the embedded database into ${dir}: ${(error as Error).message}`, { cause: error });
  } finally {
    lock.release();
  }
}
