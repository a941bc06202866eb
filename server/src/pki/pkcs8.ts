import { createCipheriv, createPrivateKey, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import { integer, nullValue, objectIdentifier, octetString, sequence } from './der.js';
import { PkiError } from './errors.js';
import { assertStrongPassphrase } from './passphrase.js';
import { derToPem } from './pem.js';

/**
 * PBKDF2 iterations for an encrypted private key: OWASP's Password Storage Cheat Sheet recommends
 * 600 000 iterations for PBKDF2-HMAC-SHA256. Whoever steals the file can test passphrase guesses
 * offline, so every guess has to cost that much. (Node's own encrypted PKCS#8 export, i.e. OpenSSL's
 * default, uses only 2048 iterations and an 8-byte salt.)
 */
export const KEY_PBKDF2_ITERATIONS = 600_000;

const SALT_LENGTH = 16;
const KEY_LENGTH = 32;
const IV_LENGTH = 16;

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

export interface EncryptedPrivateKey {
  /** PKCS#8 EncryptedPrivateKeyInfo. */
  der: Buffer;
  /** The same, as an `ENCRYPTED PRIVATE KEY` PEM block. */
  pem: string;
}

/**
 * Encrypts a private key (any PEM that `createPrivateKey` reads unencrypted) as a PKCS#8
 * EncryptedPrivateKeyInfo with PBES2: PBKDF2-HMAC-SHA256 (`KEY_PBKDF2_ITERATIONS`, 16-byte random salt,
 * 32-byte key) and AES-256-CBC (16-byte random IV). Node, OpenSSL 3 and browsers' importers read it.
 */
export function encryptPrivateKey(keyPem: string, passphrase: string): EncryptedPrivateKey {
  assertStrongPassphrase(passphrase);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new PkiError('PKI_INVALID_PEM', `Unreadable private key: ${error instanceof Error ? error.message : String(error)}`);
  }
  const der = encryptPrivateKeyObject(key, passphrase);
  return { der, pem: derToPem(der, 'ENCRYPTED PRIVATE KEY') };
}

/** `encryptPrivateKey` for a key that is already parsed; gives the DER EncryptedPrivateKeyInfo. */
export function encryptPrivateKeyObject(key: KeyObject, passphrase: string): Buffer {
  assertStrongPassphrase(passphrase);
  if (key.type !== 'private') throw new PkiError('PKI_INVALID_INPUT', 'Only a private key can be encrypted');
  const salt = randomBytes(SALT_LENGTH);
  const iv = randomBytes(IV_LENGTH);
  // PBES2 takes the passphrase as octets; UTF-8 is what OpenSSL and Node pass for a string.
  const derivedKey = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, KEY_PBKDF2_ITERATIONS, KEY_LENGTH, 'sha256');
  const plain = key.export({ type: 'pkcs8', format: 'der' });
  let encrypted: Buffer;
  try {
    const cipher = createCipheriv('aes-256-cbc', derivedKey, iv);
    encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  } finally {
    // Not a guarantee (V8 may have copied them), but no reason to leave them lying around either.
    derivedKey.fill(0);
    plain.fill(0);
  }

  // RFC 8018 A.2 / A.4 and RFC 5958 EncryptedPrivateKeyInfo. The PRF must be spelled out: its DEFAULT
  // is hmacWithSHA1.
  const pbkdf2Params = sequence(
    octetString(salt),
    integer(KEY_PBKDF2_ITERATIONS),
    integer(KEY_LENGTH),
    sequence(objectIdentifier(OID.hmacWithSha256), nullValue()),
  );
  const pbes2Params = sequence(
    sequence(objectIdentifier(OID.pbkdf2), pbkdf2Params),
    sequence(objectIdentifier(OID.aes256Cbc), octetString(iv)),
  );
  return sequence(sequence(objectIdentifier(OID.pbes2), pbes2Params), octetString(encrypted));
}
