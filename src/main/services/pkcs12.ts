/**
 * Opens the workstation's .p12: OpenSSL checks the passphrase, the MAC and the key when the TLS context
 * is built; the certificates are read here (Node has no PKCS#12 parser) to pin the connection to the
 * platform CA shipped in the file and to show the certificate's subject and end date. The file never
 * leaves main, the passphrase is never logged.
 */
import { createDecipheriv, pbkdf2Sync, X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import { StationErrorCode } from '../../shared/ipc/result.js';
import { clientTlsPolicyOptions } from './tls-client.js';

/** A workstation .p12 is about 2 KB; anything near this limit is not one. */
export const MAX_PKCS12_BYTES = 64 * 1024;

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

const PBKDF2_PRF: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const AES_CBC: Readonly<Record<string, { cipher: string; keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 },
};

/** Far above any real file (OpenSSL: 2048, the platform: 600 000); caps the work a hostile file can demand. */
const MAX_PBKDF2_ITERATIONS = 10_000_000;

export interface LeafCertificate {
  readonly subject: string;
  readonly fingerprint256: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface WorkstationCertificate {
  /** Built once: every connection reuses it (building it runs the passphrase KDF, about a second). */
  readonly secureContext: SecureContext;
  readonly leaf: LeafCertificate;
}

export type Pkcs12Result = { ok: true; value: WorkstationCertificate } | { ok: false; code: string; message: string };

class DerError extends Error {}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** One DER element at `offset`; definite lengths only (BER's indefinite form is refused). */
function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let position = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 3) throw new DerError('unsupported length form');
    if (position + octets > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + der[position + i]!;
    position += octets;
  }
  if (position + length > limit) throw new DerError('element exceeds its container');
  return { tag, start: position, end: position + length };
}

function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv?.tag !== tag) throw new DerError(`${what}: unexpected structure`);
  return tlv;
}

function readOid(der: Uint8Array, tlv: Tlv): string {
  expectTag(tlv, 0x06, 'OID');
  const bytes = der.subarray(tlv.start, tlv.end);
  if (bytes.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

function readInteger(der: Uint8Array, tlv: Tlv | undefined): number {
  const integer = expectTag(tlv, 0x02, 'INTEGER');
  if (integer.end - integer.start > 6) throw new DerError('integer too large');
  let value = 0;
  for (let i = integer.start; i < integer.end; i += 1) value = value * 256 + der[i]!;
  return value;
}

/** The bytes of an OCTET STRING, primitive or (BER) constructed from primitive pieces. */
function octets(der: Uint8Array, tlv: Tlv, primitiveTag: number, constructedTag: number): Uint8Array {
  if (tlv.tag === primitiveTag) return der.subarray(tlv.start, tlv.end);
  if (tlv.tag === constructedTag) return Buffer.concat(childrenOf(der, tlv).map((piece) => der.subarray(expectTag(piece, 0x04, 'OCTET STRING piece').start, piece.end)));
  throw new DerError('OCTET STRING expected');
}

/**
 * Decrypts a PBES2 (PBKDF2 + AES-CBC) EncryptedData, the scheme OpenSSL 3 and current Windows use for
 * certificate bags. Older schemes (RC2, 3DES with the PKCS#12 KDF) are not supported.
 */
function decryptPbes2(der: Uint8Array, encryptedData: Tlv, passphrase: string): Uint8Array {
  const [, encryptedContentInfo] = childrenOf(der, expectTag(encryptedData, 0x30, 'EncryptedData'));
  const [, algorithm, content] = childrenOf(der, expectTag(encryptedContentInfo, 0x30, 'EncryptedContentInfo'));
  const [algorithmId, pbes2Params] = childrenOf(der, expectTag(algorithm, 0x30, 'AlgorithmIdentifier'));
  if (algorithmId === undefined || readOid(der, algorithmId) !== OID.pbes2) throw new UnsupportedSchemeError('not PBES2');
  const [kdf, scheme] = childrenOf(der, expectTag(pbes2Params, 0x30, 'PBES2-params'));
  const [kdfId, kdfParams] = childrenOf(der, expectTag(kdf, 0x30, 'keyDerivationFunc'));
  if (kdfId === undefined || readOid(der, kdfId) !== OID.pbkdf2) throw new UnsupportedSchemeError('not PBKDF2');
  const kdfFields = childrenOf(der, expectTag(kdfParams, 0x30, 'PBKDF2-params'));
  const salt = der.subarray(expectTag(kdfFields[0], 0x04, 'salt').start, kdfFields[0]!.end);
  const iterations = readInteger(der, kdfFields[1]);
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) throw new DerError('iteration count out of range');
  let digest = 'sha1';
  for (const field of kdfFields.slice(2)) {
    if (field.tag !== 0x30) continue; // keyLength (INTEGER) is implied by the cipher
    const [prfId] = childrenOf(der, field);
    const name = prfId === undefined ? undefined : PBKDF2_PRF[readOid(der, prfId)];
    if (name === undefined) throw new UnsupportedSchemeError('unsupported PBKDF2 PRF');
    digest = name;
  }
  const [cipherId, ivTlv] = childrenOf(der, expectTag(scheme, 0x30, 'encryptionScheme'));
  const cipher = cipherId === undefined ? undefined : AES_CBC[readOid(der, cipherId)];
  if (cipher === undefined) throw new UnsupportedSchemeError('unsupported cipher');
  const iv = der.subarray(expectTag(ivTlv, 0x04, 'iv').start, ivTlv!.end);
  if (content === undefined) throw new DerError('no encrypted content');
  const ciphertext = octets(der, content, 0x80, 0xa0);
  // PBES2 in PKCS#12 takes the passphrase as UTF-8 bytes (unlike the BMPString of the old PKCS#12 KDF).
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, cipher.keyLength, digest);
  const decipher = createDecipheriv(cipher.cipher, key, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** The SafeContents inside one ContentInfo of the AuthenticatedSafe, decrypted where needed and possible. */
class UnsupportedSchemeError extends Error {}

function safeContentsOf(der: Uint8Array, contentInfo: Tlv, passphrase: string | undefined): { bytes: Uint8Array } | { failed: 'unsupported' | 'decrypt' } | undefined {
  const [type, explicit] = childrenOf(der, expectTag(contentInfo, 0x30, 'ContentInfo'));
  if (type === undefined) return undefined;
  const contentType = readOid(der, type);
  const [inner] = childrenOf(der, expectTag(explicit, 0xa0, 'ContentInfo content'));
  if (contentType === OID.data) return { bytes: octets(der, expectTag(inner, inner?.tag === 0x24 ? 0x24 : 0x04, 'data'), 0x04, 0x24) };
  if (contentType === OID.encryptedData && passphrase !== undefined) {
    try {
      return { bytes: decryptPbes2(der, expectTag(inner, 0x30, 'EncryptedData'), passphrase) };
    } catch (error) {
      // An old scheme, or (bad padding) most likely a wrong passphrase: reported by the caller.
      return { failed: error instanceof UnsupportedSchemeError ? 'unsupported' : 'decrypt' };
    }
  }
  return undefined;
}

export interface Pkcs12Certificates {
  readonly certificates: Uint8Array[];
  /** Certificate bags that could not be opened: with this passphrase, or at all (an old scheme). */
  readonly undecryptable: 'none' | 'decrypt' | 'unsupported';
}

/**
 * The X.509 certificates of a PKCS#12 file: from plain SafeContents (the platform's own files keep
 * certificates unencrypted, they are public) and from PBES2-encrypted ones (OpenSSL 3, Windows).
 */
export function readPkcs12Certificates(pfx: Uint8Array, passphrase?: string): Pkcs12Certificates {
  const root = readTlv(pfx, 0, pfx.length);
  const [, authSafe] = childrenOf(pfx, expectTag(root, 0x30, 'PFX'));
  const [authSafeType, authSafeContent] = childrenOf(pfx, expectTag(authSafe, 0x30, 'authSafe'));
  if (authSafeType === undefined || readOid(pfx, authSafeType) !== OID.data) throw new DerError('authSafe is not data (public-key integrity mode is not supported)');
  const [authSafeOctets] = childrenOf(pfx, expectTag(authSafeContent, 0xa0, 'authSafe content'));
  const authenticatedSafe = octets(pfx, expectTag(authSafeOctets, authSafeOctets?.tag === 0x24 ? 0x24 : 0x04, 'authSafe data'), 0x04, 0x24);
  const certificates: Uint8Array[] = [];
  let undecryptable: Pkcs12Certificates['undecryptable'] = 'none';
  for (const contentInfo of childrenOf(authenticatedSafe, expectTag(readTlv(authenticatedSafe, 0, authenticatedSafe.length), 0x30, 'AuthenticatedSafe'))) {
    const contents = safeContentsOf(authenticatedSafe, contentInfo, passphrase);
    if (contents === undefined) continue;
    if ('failed' in contents) {
      if (undecryptable !== 'decrypt') undecryptable = contents.failed;
      continue;
    }
    const bagsDer = contents.bytes;
    for (const bag of childrenOf(bagsDer, expectTag(readTlv(bagsDer, 0, bagsDer.length), 0x30, 'SafeContents'))) {
      const [bagId, bagValue] = childrenOf(bagsDer, expectTag(bag, 0x30, 'SafeBag'));
      if (bagId === undefined || readOid(bagsDer, bagId) !== OID.certBag) continue;
      const [certBag] = childrenOf(bagsDer, expectTag(bagValue, 0xa0, 'bagValue'));
      const [certId, certValue] = childrenOf(bagsDer, expectTag(certBag, 0x30, 'CertBag'));
      if (certId === undefined || readOid(bagsDer, certId) !== OID.x509Certificate) continue;
      const [certOctets] = childrenOf(bagsDer, expectTag(certValue, 0xa0, 'certValue'));
      const der = expectTag(certOctets, 0x04, 'certificate');
      certificates.push(bagsDer.slice(der.start, der.end));
    }
  }
  return { certificates, undecryptable };
}

function isPassphraseError(error: unknown): boolean {
  return /mac verify failure|bad decrypt|wrong password|invalid password/i.test(String((error as Error | undefined)?.message ?? error));
}

/** Parses, checks and opens a workstation .p12 with its passphrase. */
export function openWorkstationPkcs12(pfx: Uint8Array, passphrase: string): Pkcs12Result {
  const refuse = (code: string, message: string): Pkcs12Result => ({ ok: false, code, message });
  if (pfx.byteLength > MAX_PKCS12_BYTES) return refuse(StationErrorCode.certificateFileTooLarge, `file larger than ${MAX_PKCS12_BYTES} bytes`);

  let certificates: X509Certificate[];
  let undecryptable: Pkcs12Certificates['undecryptable'];
  try {
    const read = readPkcs12Certificates(pfx, passphrase);
    certificates = read.certificates.map((der) => new X509Certificate(der));
    undecryptable = read.undecryptable;
  } catch (error) {
    return refuse(StationErrorCode.p12Invalid, `not a readable PKCS#12 file: ${(error as Error).message}`);
  }
  // Certificates hidden in bags that did not open: most likely the passphrase is wrong, or the file
  // uses the old RC2/3DES encryption, which OpenSSL 3 no longer opens without its legacy provider.
  const missing = (code: string, message: string): Pkcs12Result => {
    if (undecryptable === 'decrypt') return refuse(StationErrorCode.p12PassphraseWrong, 'the passphrase does not open the file');
    if (undecryptable === 'unsupported') return refuse(StationErrorCode.p12UnsupportedEncryption, 'the file uses an outdated encryption (RC2/3DES); export it again with AES');
    return refuse(code, message);
  };
  const authorities = certificates.filter((cert) => cert.ca);
  const leaf = certificates.find((cert) => !cert.ca && (cert.keyUsage ?? []).includes(CLIENT_AUTH_EKU));
  if (leaf === undefined) {
    return missing(certificates.some((cert) => !cert.ca) ? StationErrorCode.p12NotClientCertificate : StationErrorCode.p12Invalid, 'no client-authentication certificate in the file');
  }
  const issuer = authorities.find((ca) => leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
  if (issuer === undefined) return missing(StationErrorCode.p12NoCaCertificate, 'the file does not contain the CA certificate that issued the workstation certificate');

  let secureContext: SecureContext;
  try {
    secureContext = createSecureContext({
      ...clientTlsPolicyOptions(),
      pfx: Buffer.from(pfx),
      passphrase,
      // Only the CAs from the file are trusted, never the operating system's or Node's public roots.
      ca: authorities.map((ca) => ca.toString()),
    });
  } catch (error) {
    return isPassphraseError(error)
      ? refuse(StationErrorCode.p12PassphraseWrong, 'the passphrase does not open the file')
      : refuse(StationErrorCode.p12Invalid, `OpenSSL refused the file: ${(error as Error).message}`);
  }
  return {
    ok: true,
    value: {
      secureContext,
      leaf: {
        subject: leaf.subject,
        fingerprint256: leaf.fingerprint256,
        serialNumber: leaf.serialNumber,
        notBefore: new Date(leaf.validFrom),
        notAfter: new Date(leaf.validTo),
      },
    },
  };
}
