import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { verifyChain, type ChainReport } from '../modules/audit/verify.js';
import { decryptFile, encryptStream, keyId, writeStream, type FileDigest } from './encryption.js';
import { BackupError } from './errors.js';
import { MANIFEST_FORMAT, readManifest, sha256File, type BackupManifest } from './manifest.js';
import { openPgliteAdmin, dumpPglite, restorePglite } from './pglite.js';
import { dumpPostgres, openPostgresAdmin, assertSeesEverything, restorePostgres } from './postgres.js';
import { checkInvoiceContinuity, compareStates, readDatabaseState } from './state.js';

/** A database to back up, restore into or check: a PostgreSQL connection string or a PGlite data directory. */
export type DatabaseLocation = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export function describeLocation(location: DatabaseLocation): string {
  if (location.kind === 'pglite') return `embedded database ${location.dir}`;
  try {
    const u = new URL(location.url);
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unparsable url)';
  }
}

/** `postgres://…` is a server database, anything else a PGlite data directory. */
export function parseLocation(value: string, cwd = process.cwd()): DatabaseLocation {
  return /^postgres(ql)?:\/\//.test(value) ? { kind: 'postgres', url: value } : { kind: 'pglite', dir: path.resolve(cwd, value) };
}

export interface CreatedBackup {
  manifest: BackupManifest;
  backupPath: string;
  manifestPath: string;
}

/** 2026-12-04T16:30:00.123Z → 20261204T163000123Z: sorts by time, safe in file names. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/**
 * Dumps the database into `dir` as `boxoffice-<time>-<backend>.<ext>[.enc]` with its manifest next to it.
 * Files appear under their final names only when complete (written as hidden .partial files, then
 * renamed); the manifest comes last, so a backup without a manifest is never mistaken for a good one.
 */
export async function createBackup(options: { source: DatabaseLocation; dir: string; key?: Buffer | undefined; now?: Date; connectTimeoutMs?: number }): Promise<CreatedBackup> {
  const started = options.now ?? new Date();
  const t0 = performance.now();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const backend = options.source.kind;
  const id = `boxoffice-${backupStamp(started)}-${backend}`;
  const ext = backend === 'postgres' ? '.dump' : '.tar.gz';
  const fileName = `${id}${ext}${options.key === undefined ? '' : '.enc'}`;
  const partial = path.join(options.dir, `.${fileName}.partial`);
  const backupPath = path.join(options.dir, fileName);
  const manifestPath = path.join(options.dir, `${id}.manifest.json`);
  const key = options.key;
  // The dump streams straight into the (encrypted) file; no plaintext copy is written when encrypting.
  const write = async (dump: Readable): Promise<{ plain: FileDigest; stored: FileDigest }> => {
    if (key !== undefined) return encryptStream(dump, partial, key);
    const digest = await writeStream(dump, partial);
    return { plain: digest, stored: digest };
  };
  try {
    const { state, written } = options.source.kind === 'postgres' ? await dumpPostgres(options.source.url, write, options.connectTimeoutMs) : await dumpPglite(options.source.dir, write);
    const { plain, stored } = written;
    const encryption: BackupManifest['encryption'] =
      key === undefined ? null : { algorithm: 'aes-256-gcm', keyId: keyId(key), plainSizeBytes: plain.sizeBytes, plainSha256: plain.sha256 };
    renameSync(partial, backupPath);
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      id,
      createdAt: started.toISOString(),
      backend,
      file: fileName,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      encryption,
      dumpFormat: backend === 'postgres' ? 'pg_dump-custom' : 'pglite-datadir-tgz',
      durationMs: Math.round(performance.now() - t0),
      ...state,
    };
    writeFileSync(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${manifestPath}.partial`, manifestPath);
    return { manifest, backupPath, manifestPath };
  } catch (error) {
    for (const f of [partial, `${manifestPath}.partial`]) rmSync(f, { force: true });
    throw error;
  }
}

export interface FileCheck {
  manifest: BackupManifest;
  backupPath: string;
}

/**
 * The file is the one the manifest describes (size, SHA-256) and, when encrypted, decrypts and
 * authenticates with the key. Throws BACKUP_CORRUPT / BACKUP_KEY_WRONG otherwise.
 */
export async function checkBackupFile(fileOrManifest: string, key?: Buffer): Promise<FileCheck> {
  const { manifest, backupPath } = readManifest(fileOrManifest);
  let actual: { sha256: string; sizeBytes: number };
  try {
    actual = await sha256File(backupPath);
  } catch (error) {
    throw new BackupError('BACKUP_CORRUPT', `cannot read ${backupPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (actual.sizeBytes !== manifest.sizeBytes || actual.sha256 !== manifest.sha256) {
    throw new BackupError('BACKUP_CORRUPT', `${backupPath} does not match its manifest (SHA-256 ${actual.sha256.slice(0, 16)}…, expected ${manifest.sha256.slice(0, 16)}…): changed or damaged`);
  }
  if (manifest.encryption !== null) {
    const plain = await decryptChecked(backupPath, manifest, key);
    if (plain.sha256 !== manifest.encryption.plainSha256) throw new BackupError('BACKUP_CORRUPT', `${backupPath} decrypts, but not to the dump the manifest describes`);
  }
  return { manifest, backupPath };
}

async function decryptChecked(backupPath: string, manifest: BackupManifest, key: Buffer | undefined, target?: string) {
  if (manifest.encryption === null) throw new Error('not encrypted');
  if (key === undefined) throw new BackupError('BACKUP_KEY_WRONG', `${path.basename(backupPath)} is encrypted; set BOXOFFICE_BACKUP_KEY to the key it was made with (key id ${manifest.encryption.keyId})`);
  if (keyId(key) !== manifest.encryption.keyId) {
    throw new BackupError('BACKUP_KEY_WRONG', `BOXOFFICE_BACKUP_KEY is not the key ${path.basename(backupPath)} was encrypted with (key id ${keyId(key)}, backup needs ${manifest.encryption.keyId})`);
  }
  return decryptFile(backupPath, key, target);
}

/**
 * Restores a checked backup into an empty target. An encrypted backup is decrypted into a private
 * temporary directory and authenticated completely before a single byte reaches the database.
 */
export async function restoreBackup(options: { file: string; into: DatabaseLocation; key?: Buffer | undefined; connectTimeoutMs?: number }): Promise<{ manifest: BackupManifest; durationMs: number }> {
  const t0 = performance.now();
  const { manifest, backupPath } = readManifest(options.file);
  if (manifest.backend !== options.into.kind) {
    throw new BackupError('BACKUP_MISMATCH', `${path.basename(backupPath)} is a ${manifest.backend} backup and restores only into ${manifest.backend === 'postgres' ? 'a PostgreSQL database (postgres://…)' : 'a PGlite data directory'}`);
  }
  const actual = await sha256File(backupPath);
  if (actual.sha256 !== manifest.sha256) throw new BackupError('BACKUP_CORRUPT', `${backupPath} does not match its manifest (SHA-256): changed or damaged; not restored`);
  let work: string | undefined;
  let dump = backupPath;
  try {
    if (manifest.encryption !== null) {
      work = mkdtempSync(path.join(tmpdir(), 'boxoffice-restore-'));
      dump = path.join(work, 'dump');
      const plain = await decryptChecked(backupPath, manifest, options.key, dump);
      if (plain.sha256 !== manifest.encryption.plainSha256) throw new BackupError('BACKUP_CORRUPT', `${backupPath} decrypts, but not to the dump the manifest describes`);
    }
    if (options.into.kind === 'postgres') await restorePostgres(dump, options.into.url, options.connectTimeoutMs);
    else await restorePglite(dump, options.into.dir);
  } finally {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  }
  return { manifest, durationMs: Math.round(performance.now() - t0) };
}

export interface VerifyReport {
  problems: string[];
  chains: ChainReport[];
}

/**
 * Compares a database with a manifest: schema version, row counts, audit chain heads and invoice
 * counters; recomputes every audit chain; checks that invoice numbering continues without a gap.
 */
export async function verifyDatabaseAgainst(manifest: BackupManifest, against: DatabaseLocation, connectTimeoutMs?: number): Promise<VerifyReport> {
  if (against.kind === 'postgres') {
    const knex = openPostgresAdmin(against.url, connectTimeoutMs);
    try {
      await assertSeesEverything(knex, against.url);
      return await verifyWith(knex, manifest);
    } finally {
      await knex.destroy();
    }
  }
  const db = await openPgliteAdmin(against.dir);
  try {
    return await verifyWith(db.knex, manifest);
  } finally {
    await db.close();
  }
}

async function verifyWith(knex: Knex, manifest: BackupManifest): Promise<VerifyReport> {
  const state = await readDatabaseState(knex);
  const problems = compareStates(manifest, state);
  problems.push(...(await checkInvoiceContinuity(knex)));
  const chains: ChainReport[] = [];
  for (const chain of state.auditChains) {
    // This connection sees every tenant; the scope only satisfies the helper's signature.
    const report = await verifyChain(knex, { tenantId: chain.tenantId }, { id: chain.tenantId, code: chain.tenantCode });
    chains.push(report);
    if (!report.ok) problems.push(`audit chain of ${chain.tenantCode} broken at seq ${report.firstBroken?.seq ?? '?'} (${report.firstBroken?.reason ?? '?'})`);
  }
  return { problems, chains };
}
