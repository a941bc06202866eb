// @peculiar/x509 resolves its dependency-injection metadata when it is loaded, so the polyfill must be
// imported before it; ESM evaluates imports in order, which makes this line the guarantee.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, createHash, createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';

// The server project has no DOM lib, so the WebCrypto types come from Node's module.
type Crypto = webcrypto.Crypto;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { isIP } from 'node:net';
import { PkiError } from './errors.js';
import { objectIdentifierContent, readElements } from './der.js';
import { derToPem, pemToDer } from './pem.js';

export { pemToDer } from './pem.js';

export type ClientKind = 'workstation' | 'user';

/** Key and certificate of the internal CA. `keyPem` is unencrypted PKCS#8; the caller protects it at rest. */
export interface CaMaterial {
  certPem: string;
  keyPem: string;
  serialHex: string;
  fingerprint256: string;
  notAfter: Date;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  serialHex: string;
  fingerprint256: string;
  notAfter: Date;
}

export interface CaSigner {
  certPem: string;
  keyPem: string;
}

export interface CreateCaOptions {
  commonName: string;
  organization?: string;
  validityDays: number;
  now: Date;
}

export interface ServerCertificateOptions {
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  validityDays: number;
  now: Date;
}

export interface ClientCertificateOptions {
  commonName: string;
  organization: string;
  organizationalUnit?: string;
  validityDays: number;
  now: Date;
  kind: ClientKind;
}

export interface ParsedCertificate {
  serialHex: string;
  fingerprint256: string;
  subjectCommonName: string | null;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** From the certificate policy this library writes into client certificates; null for others. */
  clientKind: ClientKind | null;
}

/**
 * Policy OIDs that mark a client certificate as a workstation's or a person's, so that a user's browser
 * certificate can never pass as a workstation. They live under a UUID arc (2.25, ITU-T X.667), which
 * needs no registration; the UUID was generated once for this project.
 */
const POLICY_ARC = '2.25.134028153969945816320111211000022181058';
export const CLIENT_KIND_POLICY: Readonly<Record<ClientKind, string>> = {
  workstation: `${POLICY_ARC}.1.1`,
  user: `${POLICY_ARC}.1.2`,
};

/**
 * Certificates start a little in the past: a station whose clock runs a few minutes behind the server
 * would otherwise refuse a server certificate issued just now (and the server a fresh client one).
 */
const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;
const CERTIFICATE_POLICIES_OID = '2.5.29.32';
const DAY_MS = 86_400_000;
const MAX_VALIDITY_DAYS = 36_500;
// X.520 upper bounds for CN, O and OU.
const MAX_NAME_LENGTH = 64;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-384' } as const;

type Curve = 'P-256' | 'P-384' | 'P-521';
const CURVE_BY_OPENSSL_NAME: Readonly<Record<string, Curve>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/**
 * The library's global provider is set right before each use (so no import order elsewhere matters) and
 * also passed explicitly to every call that accepts it.
 */
function cryptoForX509(): Crypto {
  const provider: Crypto = webcrypto;
  x509.cryptoProvider.set(provider);
  return provider;
}

export async function createCa(options: CreateCaOptions): Promise<CaMaterial> {
  const crypto = cryptoForX509();
  const name = buildName({ O: options.organization, CN: options.commonName });
  const { notBefore, notAfter } = validityWindow(options.now, options.validityDays);
  const keys = await generateKeyPair(crypto, 'P-384');
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialHex(),
      name,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        // pathLen 0: this CA signs end-entity certificates only, never a subordinate CA.
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        new x509.SubjectKeyIdentifierExtension(keyIdentifier(KeyObject.from(keys.publicKey)), false),
      ],
    },
    crypto,
  );
  return material(cert, await exportPrivateKeyPem(crypto, keys.privateKey));
}

export async function issueServerCertificate(ca: CaSigner, options: ServerCertificateOptions): Promise<IssuedCertificate> {
  const dnsNames = options.dnsNames.map(checkDnsName);
  const ipAddresses = options.ipAddresses.map(checkIpAddress);
  if (dnsNames.length + ipAddresses.length === 0) {
    // TLS clients match the host against the SAN only; a certificate without one matches nothing.
    throw new PkiError('PKI_INVALID_INPUT', 'A server certificate needs at least one DNS name or IP address');
  }
  const san = new x509.SubjectAlternativeNameExtension([
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ]);
  return issueLeaf(ca, {
    subject: buildName({ CN: options.commonName }),
    validityDays: options.validityDays,
    now: options.now,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]), san],
  });
}

export async function issueClientCertificate(ca: CaSigner, options: ClientCertificateOptions): Promise<IssuedCertificate> {
  return issueLeaf(ca, {
    subject: buildName({ O: options.organization, OU: options.organizationalUnit, CN: options.commonName }),
    validityDays: options.validityDays,
    now: options.now,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.CertificatePolicyExtension([CLIENT_KIND_POLICY[options.kind]]),
    ],
  });
}

export function parseCertificate(pem: string): ParsedCertificate {
  const der = pemToDer(pem, 'CERTIFICATE');
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch (error) {
    throw new PkiError('PKI_INVALID_PEM', `Not an X.509 certificate: ${errorMessage(error)}`);
  }
  return {
    serialHex: cert.serialNumber.toLowerCase(),
    fingerprint256: sha256Hex(der),
    subjectCommonName: cert.subjectName.getField('CN')[0] ?? null,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    clientKind: clientKindOf(cert),
  };
}

/**
 * Node's `getPeerCertificate().fingerprint256` is upper-case hex with colons; the database keeps
 * lower-case hex without them. Both forms (and anything in between) map to the stored form.
 */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new PkiError('PKI_INVALID_INPUT', 'Not a SHA-256 fingerprint');
  return hex;
}

interface LeafRequest {
  subject: x509.Name;
  validityDays: number;
  now: Date;
  extensions: x509.Extension[];
}

async function issueLeaf(caSigner: CaSigner, request: LeafRequest): Promise<IssuedCertificate> {
  const crypto = cryptoForX509();
  const ca = await loadCa(crypto, caSigner);
  const { notBefore, notAfter } = validityWindow(request.now, request.validityDays);
  if (notAfter > ca.cert.notAfter) {
    // Clients reject a chain once the CA expires, so a longer leaf would only pretend to be valid. (An
    // issuing time before the CA's notBefore is allowed: tests backdate certificates to make expired ones.)
    throw new PkiError('PKI_VALIDITY_EXCEEDS_CA', 'The certificate would outlive its CA certificate');
  }
  const keys = await generateKeyPair(crypto, 'P-256');
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: request.subject,
      issuer: ca.cert.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: ca.signingKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.SubjectKeyIdentifierExtension(keyIdentifier(KeyObject.from(keys.publicKey)), false),
        new x509.AuthorityKeyIdentifierExtension(ca.keyId, false),
        ...request.extensions,
      ],
    },
    crypto,
  );
  return material(cert, await exportPrivateKeyPem(crypto, keys.privateKey));
}

interface LoadedCa {
  cert: x509.X509Certificate;
  signingKey: CryptoKey;
  keyId: string;
}

async function loadCa(crypto: Crypto, signer: CaSigner): Promise<LoadedCa> {
  let cert: x509.X509Certificate;
  let privateKey: KeyObject;
  try {
    cert = new x509.X509Certificate(pemToDer(signer.certPem, 'CERTIFICATE'));
    privateKey = createPrivateKey(signer.keyPem);
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError('PKI_INVALID_PEM', `Unreadable CA material: ${errorMessage(error)}`);
  }
  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (!cert.getExtension(x509.BasicConstraintsExtension)?.ca || (keyUsage && !(keyUsage.usages & x509.KeyUsageFlags.keyCertSign))) {
    throw new PkiError('PKI_NOT_A_CA', 'The certificate is not a CA certificate');
  }
  const publicKey = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
  const keyPublicDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!keyPublicDer.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new PkiError('PKI_CA_KEY_MISMATCH', 'The CA key does not belong to the CA certificate');
  }
  const curve = CURVE_BY_OPENSSL_NAME[privateKey.asymmetricKeyDetails?.namedCurve ?? ''];
  if (privateKey.asymmetricKeyType !== 'ec' || curve === undefined) {
    throw new PkiError('PKI_UNSUPPORTED_KEY', 'The CA key must be an ECDSA key on P-256, P-384 or P-521');
  }
  const signingKey = await crypto.subtle.importKey(
    'pkcs8',
    privateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'ECDSA', namedCurve: curve },
    false,
    ['sign'],
  );
  // Reusing the CA's own identifier keeps AKI and SKI equal even for a CA made by another tool.
  const keyId = cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? keyIdentifier(publicKey);
  return { cert, signingKey, keyId };
}

async function generateKeyPair(crypto: Crypto, namedCurve: Curve): Promise<CryptoKeyPair> {
  // Extractable, because the private key leaves as PEM (CA) or inside a .p12 (leaf certificates).
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify']);
}

async function exportPrivateKeyPem(crypto: Crypto, key: CryptoKey): Promise<string> {
  return derToPem(new Uint8Array(await crypto.subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
}

function material(cert: x509.X509Certificate, keyPem: string): IssuedCertificate {
  const der = new Uint8Array(cert.rawData);
  return {
    certPem: derToPem(der, 'CERTIFICATE'),
    keyPem,
    serialHex: cert.serialNumber.toLowerCase(),
    fingerprint256: sha256Hex(der),
    notAfter: cert.notAfter,
  };
}

/** RFC 7093 method 1: the leftmost 160 bits of the SHA-256 of the public key bits (no SHA-1 anywhere). */
function keyIdentifier(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.x === undefined || jwk.y === undefined) {
    throw new PkiError('PKI_UNSUPPORTED_KEY', 'Only EC public keys are supported');
  }
  const point = Buffer.concat([Buffer.of(0x04), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return sha256Hex(point).slice(0, 40);
}

/**
 * 16 random bytes with the top bit cleared, so the DER INTEGER is positive. A zero first byte is drawn
 * again: DER would drop it, and the serial would silently be shorter than the 16 bytes promised.
 */
function randomSerialHex(): string {
  for (;;) {
    const bytes = randomBytes(16);
    const first = bytes.readUInt8(0) & 0x7f;
    if (first !== 0) {
      bytes.writeUInt8(first, 0);
      return bytes.toString('hex');
    }
  }
}

function validityWindow(now: Date, validityDays: number): { notBefore: Date; notAfter: Date } {
  if (Number.isNaN(now.getTime())) throw new PkiError('PKI_INVALID_INPUT', '`now` is not a valid date');
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
    throw new PkiError('PKI_INVALID_INPUT', `validityDays must be an integer from 1 to ${MAX_VALIDITY_DAYS}`);
  }
  // Certificate times have whole seconds; rounding here makes the returned notAfter equal the encoded one.
  const issuedAt = Math.floor(now.getTime() / 1000) * 1000;
  return { notBefore: new Date(issuedAt - CLOCK_SKEW_ALLOWANCE_MS), notAfter: new Date(issuedAt + validityDays * DAY_MS) };
}

function buildName(parts: { O?: string | undefined; OU?: string | undefined; CN: string }): x509.Name {
  const rdns: Array<Record<string, string[]>> = [];
  for (const [attribute, value] of Object.entries(parts)) {
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
      throw new PkiError('PKI_INVALID_INPUT', `${attribute} must have 1 to ${MAX_NAME_LENGTH} characters`);
    }
    rdns.push({ [attribute]: [trimmed] });
  }
  return new x509.Name(rdns);
}

function checkDnsName(name: string): string {
  const lower = name.trim().toLowerCase();
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  if (lower.length > 253 || !new RegExp(`^(?:\\*\\.)?(?:${label}\\.)*${label}$`).test(lower)) {
    throw new PkiError('PKI_INVALID_INPUT', `Not a DNS name: ${name}`);
  }
  return lower;
}

function checkIpAddress(address: string): string {
  if (isIP(address) === 0) throw new PkiError('PKI_INVALID_INPUT', `Not an IP address: ${address}`);
  return address;
}

/**
 * Reads the policy OIDs with our own DER reader: @peculiar/x509 (via asn1js) decodes arcs above 2^53
 * as `{hex}` placeholders, so its `policies` never equal the UUID-based OIDs above.
 */
function clientKindOf(cert: x509.X509Certificate): ClientKind | null {
  const extension = cert.getExtension(CERTIFICATE_POLICIES_OID);
  if (extension === null) return null;
  const kinds = Object.keys(CLIENT_KIND_POLICY) as ClientKind[];
  try {
    const [policies] = readElements(new Uint8Array(extension.value));
    for (const policy of readElements(policies?.content ?? Buffer.alloc(0))) {
      const [identifier] = readElements(policy.content);
      const kind = kinds.find((k) => identifier !== undefined && identifier.content.equals(objectIdentifierContent(CLIENT_KIND_POLICY[k])));
      if (kind !== undefined) return kind;
    }
  } catch {
    // A malformed policy extension cannot carry our marker; the certificate is simply not ours.
  }
  return null;
}

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
