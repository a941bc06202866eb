import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import { createCa, issueServerCertificate } from '../../pki/x509.js';

/** File layout of the platform CA under `<dataDir>/pki`. Private keys are written with mode 0600. */
export interface CaPaths {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

export function caPaths(pkiDir: string): CaPaths {
  return {
    dir: pkiDir,
    caCert: path.join(pkiDir, 'ca.cert.pem'),
    caKey: path.join(pkiDir, 'ca.key.pem'),
    serverCert: path.join(pkiDir, 'server.cert.pem'),
    serverKey: path.join(pkiDir, 'server.key.pem'),
  };
}

export class CaError extends Error {
  constructor(
    readonly code: 'CA_EXISTS' | 'CA_MISSING' | 'CA_KEY_LOCKED',
    message: string,
  ) {
    super(message);
    this.name = 'CaError';
  }
}

export interface CaMaterialPair {
  certPem: string;
  keyPem: string;
}

export const CA_VALIDITY_DAYS = 3650;
export const SERVER_CERT_VALIDITY_DAYS = 397;

export function caExists(paths: CaPaths): boolean {
  return existsSync(paths.caCert) && existsSync(paths.caKey);
}

/**
 * Creates the platform CA once. Never overwrites an existing CA: every workstation certificate would
 * stop working. With a passphrase the CA key is stored encrypted (PKCS#8, AES-256-CBC).
 */
export async function initCa(paths: CaPaths, options: { commonName: string; now: Date; passphrase?: string | undefined }): Promise<CaMaterialPair> {
  if (existsSync(paths.caCert) || existsSync(paths.caKey)) {
    throw new CaError('CA_EXISTS', `a CA already exists in ${paths.dir}; it is never overwritten`);
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const ca = await createCa({ commonName: options.commonName, organization: 'Box office platform', validityDays: CA_VALIDITY_DAYS, now: options.now });
  writeSecret(paths.caKey, protectKey(ca.keyPem, options.passphrase));
  writeFileSync(paths.caCert, ca.certPem, { mode: 0o644 });
  return { certPem: ca.certPem, keyPem: ca.keyPem };
}

export function loadCa(paths: CaPaths, passphrase?: string): CaMaterialPair {
  if (!caExists(paths)) throw new CaError('CA_MISSING', `no CA in ${paths.dir}; run "npm run cli -- ca init" first`);
  const stored = readFileSync(paths.caKey, 'utf8');
  let keyPem: string;
  try {
    keyPem = createPrivateKey(passphrase === undefined ? { key: stored } : { key: stored, passphrase }).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new CaError('CA_KEY_LOCKED', 'the CA key cannot be opened; set BOXOFFICE_CA_PASSPHRASE to its passphrase');
  }
  return { certPem: readFileSync(paths.caCert, 'utf8'), keyPem };
}

/** Issues (or re-issues) the server's TLS certificate for the configured names. */
export async function issueServerCert(paths: CaPaths, ca: CaMaterialPair, options: { names: string[]; now: Date }): Promise<{ serialHex: string; notAfter: Date }> {
  const dnsNames = options.names.filter((n) => isIP(n) === 0);
  const ipAddresses = options.names.filter((n) => isIP(n) !== 0);
  const cert = await issueServerCertificate(ca, {
    commonName: options.names[0] ?? 'localhost',
    dnsNames,
    ipAddresses,
    validityDays: SERVER_CERT_VALIDITY_DAYS,
    now: options.now,
  });
  writeSecret(paths.serverKey, cert.keyPem);
  writeFileSync(paths.serverCert, cert.certPem, { mode: 0o644 });
  return { serialHex: cert.serialHex, notAfter: cert.notAfter };
}

/** True when the server certificate is missing, expires within 30 days, or does not cover every name. */
export function serverCertNeedsRenewal(paths: CaPaths, names: string[], now: Date): boolean {
  if (!existsSync(paths.serverCert) || !existsSync(paths.serverKey)) return true;
  const cert = new X509Certificate(readFileSync(paths.serverCert));
  if (new Date(cert.validTo).getTime() - now.getTime() < 30 * 86_400_000) return true;
  const san = (cert.subjectAltName ?? '').split(', ').map((entry) => entry.replace(/^(DNS|IP Address):/, ''));
  return names.some((name) => !san.includes(name));
}

function protectKey(keyPem: string, passphrase: string | undefined): string {
  if (passphrase === undefined || passphrase === '') return keyPem;
  return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

function writeSecret(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}
