import { X509Certificate, createHash, createHmac, createPrivateKey, createPublicKey, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { bmpString, explicit, integer, nullValue, objectIdentifier, octetString, sequence, setOf } from './der.js';
import { PkiError } from './errors.js';
import { assertStrongPassphrase } from './passphrase.js';
import { PKCS12_KDF_ID, pkcs12Kdf, pkcs12Password } from './pkcs12-kdf.js';
import { KEY_PBKDF2_ITERATIONS, encryptPrivateKeyObject } from './pkcs8.js';
import { pemToDer } from './pem.js';

export interface Pkcs12Input {
  keyPem: string;
  certPem: string;
  /** CA certificates to ship along, issuer first; the importing side needs them to trust the server. */
  chainPems: string[];
  passphrase: string;
  friendlyName: string;
}

export { MIN_PASSPHRASE_LENGTH } from './passphrase.js';
/**
 * Iterations of the MAC key derivation. The MAC is a passphrase oracle too: a guess can be checked
 * against it without touching the key bag, so it must cost as much as the key bag's PBKDF2
 * (`KEY_PBKDF2_ITERATIONS`), or the attacker simply attacks the MAC instead.
 */
export const PKCS12_MAC_ITERATIONS = KEY_PBKDF2_ITERATIONS;

const OID = {
  data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

// Lower case only and without 0/o-like or 1/l-like pairs, so it can be read out over the phone.
const PASSPHRASE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const PASSPHRASE_GROUPS = 5;
const PASSPHRASE_GROUP_LENGTH = 4;

/**
 * A PKCS#12 (.p12) file that OpenSSL 3 opens without its legacy provider: the key is a PBES2 bag
 * (PBKDF2-HMAC-SHA256, AES-256-CBC; see `encryptPrivateKey`), the certificates sit unencrypted (they
 * are public), and the whole is MAC'd with HMAC-SHA256. The leaf certificate and the key share
 * localKeyId and friendlyName, which is how importers pair them. Key bag and MAC each cost
 * `KEY_PBKDF2_ITERATIONS` per passphrase guess, so building a file takes most of a second of CPU.
 */
export function buildPkcs12(input: Pkcs12Input): Buffer {
  assertStrongPassphrase(input.passphrase);
  if (input.friendlyName.trim().length === 0) throw new PkiError('PKI_INVALID_INPUT', 'friendlyName must not be empty');
  const certDer = pemToDer(input.certPem, 'CERTIFICATE');
  const chainDers = input.chainPems.map((pem) => pemToDer(pem, 'CERTIFICATE'));
  const key = readMatchingKey(input.keyPem, certDer);

  const encryptedKey = encryptPrivateKeyObject(key, input.passphrase);
  const attributes = setOf(
    attribute(OID.friendlyName, bmpString(input.friendlyName)),
    attribute(OID.localKeyId, octetString(createHash('sha256').update(certDer).digest())),
  );
  const certificates = sequence(certBag(certDer, attributes), ...chainDers.map((der) => certBag(der)));
  const keys = sequence(sequence(objectIdentifier(OID.pkcs8ShroudedKeyBag), explicit(0, encryptedKey), attributes));
  const authenticatedSafe = sequence(dataContentInfo(certificates), dataContentInfo(keys));

  return sequence(integer(3), dataContentInfo(authenticatedSafe), macData(authenticatedSafe, input.passphrase));
}

export function generatePassphrase(): string {
  const groups: string[] = [];
  for (let g = 0; g < PASSPHRASE_GROUPS; g += 1) {
    let group = '';
    for (let c = 0; c < PASSPHRASE_GROUP_LENGTH; c += 1) group += PASSPHRASE_ALPHABET.charAt(randomInt(PASSPHRASE_ALPHABET.length));
    groups.push(group);
  }
  return groups.join('-');
}

function readMatchingKey(keyPem: string, certDer: Buffer): KeyObject {
  let key: KeyObject;
  let certKeyDer: Buffer;
  try {
    key = createPrivateKey(keyPem);
    certKeyDer = new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' });
  } catch (error) {
    throw new PkiError('PKI_INVALID_PEM', `Unreadable key or certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A mismatched pair would produce a file that every importer rejects, long after it was handed out.
  if (!certKeyDer.equals(createPublicKey(key).export({ type: 'spki', format: 'der' }))) {
    throw new PkiError('PKCS12_KEY_MISMATCH', 'The private key does not belong to the certificate');
  }
  return key;
}

function attribute(oid: string, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), setOf(value));
}

function certBag(der: Buffer, attributes?: Buffer): Buffer {
  const value = sequence(objectIdentifier(OID.x509Certificate), explicit(0, octetString(der)));
  return sequence(objectIdentifier(OID.certBag), explicit(0, value), ...(attributes === undefined ? [] : [attributes]));
}

function dataContentInfo(content: Buffer): Buffer {
  return sequence(objectIdentifier(OID.data), explicit(0, octetString(content)));
}

/** RFC 7292 MacData: HMAC-SHA256 over the AuthenticatedSafe, keyed by the PKCS#12 KDF (ID 3). */
function macData(authenticatedSafe: Buffer, passphrase: string): Buffer {
  const salt = randomBytes(16);
  const macKey = pkcs12Kdf({
    password: pkcs12Password(passphrase),
    salt,
    id: PKCS12_KDF_ID.macKey,
    iterations: PKCS12_MAC_ITERATIONS,
    keyLength: 32,
  });
  const mac = createHmac('sha256', macKey).update(authenticatedSafe).digest();
  const digestInfo = sequence(sequence(objectIdentifier(OID.sha256), nullValue()), octetString(mac));
  return sequence(digestInfo, octetString(salt), integer(PKCS12_MAC_ITERATIONS));
}
