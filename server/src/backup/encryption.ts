import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfigError } from '../config.js';
import { BackupError } from './errors.js';

/**
 * Backup file encryption: AES-256-GCM, streamed, so a backup of any size needs constant memory.
 *
 * Layout: MAGIC (8 bytes) | IV (12 bytes) | ciphertext | tag (16 bytes). The header is authenticated as
 * additional data. GCM releases plaintext before the tag is checked, so nothing decrypted is used until
 * the whole file has passed: restore decrypts into a private temporary file first and only then reads it.
 */
const MAGIC = Buffer.from('BXBKAES1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES;

export const ENCRYPTION_ALGORITHM = 'aes-256-gcm';

/** Parses the key from its configured form: 32 bytes, base64. */
export function parseBackupKey(base64: string | undefined, variable = 'BOXOFFICE_BACKUP_KEY'): Buffer {
  if (base64 === undefined || base64.trim() === '') throw new ConfigError(`${variable} is not set; it must hold 32 random bytes, base64 (e.g. openssl rand -base64 32)`);
  const text = base64.trim();
  // 32 bytes are exactly 43 base64 characters and one '='; Buffer.from would silently skip stray characters.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) throw new ConfigError(`${variable} must be 32 bytes in base64 (44 characters ending in "=")`);
  const key = Buffer.from(text, 'base64');
  return key;
}

/**
 * A public identifier of the key (HMAC of a fixed label, not the key's hash), stored in the manifest so
 * that a wrong key is named as such before any decryption is tried.
 */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('boxoffice-backup-key-id').digest('hex').slice(0, 16);
}

export interface FileDigest {
  sizeBytes: number;
  sha256: string;
}

/** A pass-through stream that counts and hashes what flows through it. */
export function digestTap(): { tap: Transform; digest(): FileDigest } {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  let result: FileDigest | undefined;
  return { tap, digest: () => (result ??= { sizeBytes: size, sha256: hash.digest('hex') }) };
}

/** Writes `source` to `target` (created exclusively, mode 0600); returns size and SHA-256 of what was written. */
export async function writeStream(source: Readable, target: string): Promise<FileDigest> {
  const t = digestTap();
  await pipeline(source, t.tap, createWriteStream(target, { flags: 'wx', mode: 0o600, flush: true }));
  return t.digest();
}

/**
 * Encrypts `source` into `target` (created exclusively, mode 0600) as it streams, so no plaintext copy
 * touches the disk. Returns the digests of the plaintext read and of the file written.
 */
export async function encryptStream(source: Readable, target: string, key: Buffer): Promise<{ plain: FileDigest; stored: FileDigest }> {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, iv]);
  const cipher = createCipheriv(ENCRYPTION_ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(header);
  let headerSent = false;
  const frame = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!headerSent) {
        headerSent = true;
        this.push(header);
      }
      done(null, chunk);
    },
    flush(done) {
      if (!headerSent) this.push(header);
      done(null, cipher.getAuthTag());
    },
  });
  const plain = digestTap();
  const stored = digestTap();
  await pipeline(source, plain.tap, cipher, frame, stored.tap, createWriteStream(target, { flags: 'wx', mode: 0o600, flush: true }));
  return { plain: plain.digest(), stored: stored.digest() };
}

/** Encrypts a file; returns size and SHA-256 of the encrypted file. */
export async function encryptFile(source: string, target: string, key: Buffer): Promise<FileDigest> {
  return (await encryptStream(createReadStream(source), target, key)).stored;
}

/**
 * Decrypts `source` and authenticates it. With `target` the plaintext is written there (exclusively,
 * 0600); without, it is only checked. Returns the plaintext's SHA-256. A changed byte or a wrong key
 * fails with BACKUP_CORRUPT / BACKUP_KEY_WRONG at the end; the caller removes a partial target.
 */
export async function decryptFile(source: string, key: Buffer, target?: string): Promise<FileDigest> {
  const total = statSync(source).size;
  if (total < HEADER_BYTES + TAG_BYTES) throw new BackupError('BACKUP_CORRUPT', `${source} is too short to be an encrypted backup`);
  const fh = await open(source, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await fh.read(header, 0, HEADER_BYTES, 0);
    await fh.read(tag, 0, TAG_BYTES, total - TAG_BYTES);
  } finally {
    await fh.close();
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError('BACKUP_CORRUPT', `${source} is not an encrypted backup (unknown header)`);
  const decipher = createDecipheriv(ENCRYPTION_ALGORITHM, key, header.subarray(MAGIC.length), { authTagLength: TAG_BYTES });
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const plain = digestTap();
  const sink =
    target === undefined
      ? new Writable({
          write(_chunk, _enc, done) {
            done();
          },
        })
      : createWriteStream(target, { flags: 'wx', mode: 0o600, flush: true });
  try {
    await pipeline(
      createReadStream(source, { start: HEADER_BYTES, end: total - TAG_BYTES - 1 }),
      decipher,
      plain.tap,
      sink,
    );
  } catch (error) {
    if (/unable to authenticate|auth/i.test((error as Error).message)) {
      throw new BackupError('BACKUP_CORRUPT', `${source} failed authentication: the file was changed or the key is wrong`, { cause: error });
    }
    throw error;
  }
  return plain.digest();
}
