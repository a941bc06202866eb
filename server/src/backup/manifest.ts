import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { BackupError } from './errors.js';

export const MANIFEST_FORMAT = 'boxoffice-backup/1';

export const BackupManifestSchema = Type.Object({
  format: Type.Literal(MANIFEST_FORMAT),
  id: Type.String({ minLength: 1 }),
  createdAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T' }),
  backend: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  /** Base name of the backup file, in the manifest's own directory. */
  file: Type.String({ minLength: 1 }),
  /** Size and SHA-256 of the file as stored (encrypted, when it is). */
  sizeBytes: Type.Integer({ minimum: 0 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  encryption: Type.Union([
    Type.Null(),
    Type.Object({
      algorithm: Type.Literal('aes-256-gcm'),
      keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
      plainSizeBytes: Type.Integer({ minimum: 0 }),
      plainSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    }),
  ]),
  /** pg_dump custom format, or PGlite's data-directory tarball (gzip). */
  dumpFormat: Type.Union([Type.Literal('pg_dump-custom'), Type.Literal('pglite-datadir-tgz')]),
  durationMs: Type.Integer({ minimum: 0 }),
  schemaVersion: Type.String(),
  migrations: Type.Integer({ minimum: 0 }),
  tables: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  auditChains: Type.Array(
    Type.Object({
      tenantId: Type.String(),
      tenantCode: Type.String(),
      rows: Type.Integer({ minimum: 0 }),
      lastSeq: Type.Integer({ minimum: 0 }),
      headHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    }),
  ),
  invoiceCounters: Type.Union([
    Type.Null(),
    Type.Array(Type.Object({ tenantId: Type.String(), series: Type.String(), year: Type.Integer(), nextNumber: Type.Integer() })),
  ]),
});

export type BackupManifest = Static<typeof BackupManifestSchema>;

const BACKUP_SUFFIX = /\.(dump|tar\.gz)(\.enc)?$/;
export const MANIFEST_SUFFIX = '.manifest.json';

/** `boxoffice-<time>-<backend>.dump[.enc]` → `boxoffice-<time>-<backend>.manifest.json`; a manifest path maps to itself. */
export function manifestPathFor(file: string): string {
  if (file.endsWith(MANIFEST_SUFFIX)) return file;
  if (!BACKUP_SUFFIX.test(file)) throw new BackupError('BACKUP_MANIFEST_INVALID', `${file} is not named like a backup (.dump, .tar.gz, optionally .enc)`);
  return file.replace(BACKUP_SUFFIX, MANIFEST_SUFFIX);
}

/** Reads and validates the manifest next to a backup file (or the manifest itself). */
export function readManifest(fileOrManifest: string): { manifest: BackupManifest; manifestPath: string; backupPath: string } {
  const manifestPath = manifestPathFor(fileOrManifest);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError('BACKUP_MANIFEST_INVALID', code === 'ENOENT' ? `no manifest ${manifestPath} next to the backup` : `manifest ${manifestPath} is unreadable: ${(error as Error).message}`);
  }
  const firstError = [...Value.Errors(BackupManifestSchema, parsed)][0];
  if (firstError !== undefined) throw new BackupError('BACKUP_MANIFEST_INVALID', `manifest ${manifestPath}: ${firstError.instancePath || '(root)'} ${firstError.message}`);
  const manifest = parsed as BackupManifest;
  if (path.basename(manifest.file) !== manifest.file) throw new BackupError('BACKUP_MANIFEST_INVALID', `manifest ${manifestPath}: file must be a plain file name`);
  return { manifest, manifestPath, backupPath: path.join(path.dirname(manifestPath), manifest.file) };
}

export async function sha256File(file: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes: size };
}
