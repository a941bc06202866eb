import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { parseBackupKey } from '../../backup/encryption.js';
import { DirectoryError } from './errors.js';

/**
 * The directory service account's password at rest: AES-256-GCM under BOXOFFICE_DIRECTORY_KEY (32 random
 * bytes, base64, given to every server process and the CLI by the environment, never stored in the
 * database or the JSON config). The tenant id is authenticated as additional data, so a ciphertext copied
 * into another tenant's row does not open. Stored as `v1.<key id>.<iv | ciphertext | tag>` (base64url);
 * the key id names a wrong key as such.
 */
export const DIRECTORY_KEY_VARIABLE = 'BOXOFFICE_DIRECTORY_KEY';

export function parseDirectoryKey(base64: string | undefined): Buffer {
  return parseBackupKey(base64, DIRECTORY_KEY_VARIABLE);
}

/** The key from the environment, or undefined when it is not set (directory sign-in is then unavailable). */
export function directoryKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env[DIRECTORY_KEY_VARIABLE];
  return raw === undefined || raw.trim() === '' ? undefined : parseDirectoryKey(raw);
}

function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('boxoffice-directory-key-id').digest().subarray(0, 6).toString('base64url');
}

export function sealSecret(key: Buffer, tenantId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(tenantId, 'utf8'));
  const body = Buffer.concat([iv, cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${keyId(key)}.${body.toString('base64url')}`;
}

export function openSecret(key: Buffer | undefined, tenantId: string, sealed: string): string {
  if (key === undefined) throw new DirectoryError('DIRECTORY_MISCONFIGURED', `${DIRECTORY_KEY_VARIABLE} is not set on this server, so the directory password cannot be read`);
  const [version, id, payload] = sealed.split('.');
  if (version !== 'v1' || id === undefined || payload === undefined) throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'the stored directory password has an unknown format');
  if (id !== keyId(key)) throw new DirectoryError('DIRECTORY_MISCONFIGURED', `the directory password was stored under another ${DIRECTORY_KEY_VARIABLE}; set the password again`);
  const body = Buffer.from(payload, 'base64url');
  if (body.length < 28) throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'the stored directory password is damaged');
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
  decipher.setAAD(Buffer.from(tenantId, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'the stored directory password does not open with this key (damaged or from another tenant)');
  }
}
