import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCa,
  issueClientCertificate,
  issueServerCertificate,
  normalizeFingerprint,
  parseCertificate,
  pemToDer,
  type CaMaterial,
} from '../../../../server/src/pki/x509.js';
import { certificateText, extensionValue } from './openssl.js';

const now = new Date('2026-03-01T10:00:00.750Z');
const nowSeconds = new Date('2026-03-01T10:00:00.000Z');
const skewMs = 5 * 60_000;
const dayMs = 86_400_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

let ca: CaMaterial;
let caCert: X509Certificate;

beforeAll(async () => {
  ca = await createCa({ commonName: 'Box office test CA', organization: 'Müller Tickets GmbH', validityDays: 3650, now });
  caCert = new X509Certificate(ca.certPem);
});

function expectSameKey(certPem: string, keyPem: string): void {
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  expect(fromKey.equals(fromCert)).toBe(true);
}

function expectSerialShape(serialHex: string, cert: X509Certificate): void {
  expect(serialHex).toMatch(/^[1-7][0-9a-f]{31}$|^0[1-9a-f][0-9a-f]{30}$/);
  expect(cert.serialNumber.toLowerCase()).toBe(serialHex);
}

describe('createCa', () => {
  it('makes a self-signed P-384 CA with critical CA constraints and a key identifier', () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('O=Müller Tickets GmbH\nCN=Box office test CA');
    expect(caCert.checkIssued(caCert)).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    expect(caCert.publicKey.asymmetricKeyType).toBe('ec');
    expect(caCert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');

    const text = certificateText(ca.certPem);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(extensionValue(text, 'X509v3 Subject Key Identifier')).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
  });

  it('returns an unencrypted PKCS#8 key that belongs to the certificate', () => {
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expectSameKey(ca.certPem, ca.keyPem);
  });

  it('starts the validity five minutes early, in whole seconds, and reports serial and fingerprint', () => {
    expect(new Date(caCert.validFrom).getTime()).toBe(nowSeconds.getTime() - skewMs);
    expect(new Date(caCert.validTo).getTime()).toBe(nowSeconds.getTime() + 3650 * dayMs);
    expect(ca.notAfter.getTime()).toBe(new Date(caCert.validTo).getTime());
    expectSerialShape(ca.serialHex, caCert);
    expect(ca.fingerprint256).toBe(createHash('sha256').update(caCert.raw).digest('hex'));
    expect(ca.fingerprint256).toBe(normalizeFingerprint(caCert.fingerprint256));
  });
});

describe('issueServerCertificate', () => {
  it('makes a P-256 serverAuth certificate with DNS and IP names, signed by the CA with SHA-384', async () => {
    const issued = await issueServerCertificate(ca, {
      commonName: 'boxoffice.example',
      dnsNames: ['boxoffice.example', 'LocalHost'],
      ipAddresses: ['127.0.0.1', '::1'],
      validityDays: 397,
      now,
    });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=boxoffice.example');
    expect(cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(cert.subjectAltName).toBe('DNS:boxoffice.example, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('elsewhere.example')).toBeUndefined();
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).getTime()).toBe(nowSeconds.getTime() - skewMs);
    expect(issued.notAfter.getTime()).toBe(new Date(cert.validTo).getTime());
    expect(issued.notAfter.getTime()).toBe(nowSeconds.getTime() + 397 * dayMs);
    expectSerialShape(issued.serialHex, cert);
    expect(issued.fingerprint256).toBe(normalizeFingerprint(cert.fingerprint256));
    expectSameKey(issued.certPem, issued.keyPem);

    const text = certificateText(issued.certPem);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Server Authentication\n/);
    const caSki = extensionValue(certificateText(ca.certPem), 'X509v3 Subject Key Identifier');
    expect(extensionValue(text, 'X509v3 Authority Key Identifier').replace(/^keyid:/, '')).toBe(caSki);
  });

  it('refuses a certificate without names, and malformed names', async () => {
    const base = { commonName: 'x', validityDays: 30, now };
    await expect(issueServerCertificate(ca, { ...base, dnsNames: [], ipAddresses: [] })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
    await expect(issueServerCertificate(ca, { ...base, dnsNames: ['bad name'], ipAddresses: [] })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
    await expect(issueServerCertificate(ca, { ...base, dnsNames: [], ipAddresses: ['300.1.1.1'] })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
  });
});

describe('issueClientCertificate', () => {
  it('makes a P-256 clientAuth-only certificate that verifies against the CA', async () => {
    const issued = await issueClientCertificate(ca, {
      commonName: 'kasse-1',
      organization: 'Vorverkauf Süd',
      organizationalUnit: 'VVK-S',
      validityDays: 825,
      now,
      kind: 'workstation',
    });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('O=Vorverkauf Süd\nOU=VVK-S\nCN=kasse-1');
    expect(cert.issuer).toBe(caCert.subject);
    expect(cert.keyUsage).toEqual([CLIENT_AUTH]);
    expect(cert.subjectAltName).toBeUndefined();
    expect(cert.publicKey.asymmetricKeyType).toBe('ec');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(issued.notAfter.getTime()).toBe(nowSeconds.getTime() + 825 * dayMs);
    expectSerialShape(issued.serialHex, cert);
    expectSameKey(issued.certPem, issued.keyPem);

    const text = certificateText(issued.certPem);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/);
  });

  it('marks workstation and user certificates with distinct policies', async () => {
    const base = { commonName: 'anna', organization: 'Veranstalter Nord', validityDays: 30, now };
    const user = await issueClientCertificate(ca, { ...base, kind: 'user' });
    const workstation = await issueClientCertificate(ca, { ...base, kind: 'workstation' });
    expect(parseCertificate(user.certPem).clientKind).toBe('user');
    expect(parseCertificate(workstation.certPem).clientKind).toBe('workstation');
    expect(parseCertificate(ca.certPem).clientKind).toBeNull();
    expect(certificateText(user.certPem)).toMatch(/Policy: 2\.25\.\d+\.1\.2/);
  });

  it('is not verified by another CA', async () => {
    const other = new X509Certificate((await createCa({ commonName: 'Other CA', validityDays: 30, now })).certPem);
    const issued = await issueClientCertificate(ca, { commonName: 'k', organization: 'o', validityDays: 30, now, kind: 'workstation' });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.checkIssued(other)).toBe(false);
    expect(cert.verify(other.publicKey)).toBe(false);
  });

  it('gives every certificate its own 16-byte positive serial', async () => {
    const serials = await Promise.all(
      Array.from({ length: 25 }, async (_, i) =>
        (await issueClientCertificate(ca, { commonName: `k${i}`, organization: 'o', validityDays: 1, now, kind: 'user' })).serialHex,
      ),
    );
    expect(new Set([...serials, ca.serialHex]).size).toBe(26);
    for (const serial of serials) {
      expect(serial).toHaveLength(32);
      expect(Number.parseInt(serial.slice(0, 2), 16)).toBeGreaterThan(0);
      expect(Number.parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });

  it('issues already-expired certificates for a past time (tests rely on it)', async () => {
    const past = new Date(now.getTime() - 10 * dayMs);
    const issued = await issueClientCertificate(ca, { commonName: 'old', organization: 'o', validityDays: 2, now: past, kind: 'workstation' });
    expect(issued.notAfter.getTime()).toBeLessThan(now.getTime());
  });
});

describe('CA checks before signing', () => {
  const request = { commonName: 'k', organization: 'o', validityDays: 30, now, kind: 'workstation' } as const;

  it('refuses a certificate that would outlive the CA', async () => {
    await expect(issueClientCertificate(ca, { ...request, validityDays: 3651 })).rejects.toMatchObject({ code: 'PKI_VALIDITY_EXCEEDS_CA' });
  });

  it('refuses a CA key that does not match the CA certificate', async () => {
    const other = await createCa({ commonName: 'Other CA', validityDays: 30, now });
    await expect(issueClientCertificate({ certPem: ca.certPem, keyPem: other.keyPem }, request)).rejects.toMatchObject({ code: 'PKI_CA_KEY_MISMATCH' });
  });

  it('refuses to sign with an end-entity certificate', async () => {
    const leaf = await issueClientCertificate(ca, request);
    await expect(issueClientCertificate(leaf, request)).rejects.toMatchObject({ code: 'PKI_NOT_A_CA' });
  });

  it('refuses invalid validity and names', async () => {
    await expect(createCa({ commonName: 'x', validityDays: 0, now })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
    await expect(createCa({ commonName: 'x', validityDays: 1.5, now })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
    await expect(createCa({ commonName: ' ', validityDays: 1, now })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
    await expect(createCa({ commonName: 'x', validityDays: 1, now: new Date(Number.NaN) })).rejects.toMatchObject({ code: 'PKI_INVALID_INPUT' });
  });
});

describe('parseCertificate', () => {
  it('reads what the independent parser reads', async () => {
    const issued = await issueServerCertificate(ca, { commonName: 'srv', dnsNames: ['srv'], ipAddresses: [], validityDays: 10, now });
    const node = new X509Certificate(issued.certPem);
    expect(parseCertificate(issued.certPem)).toEqual({
      serialHex: node.serialNumber.toLowerCase(),
      fingerprint256: normalizeFingerprint(node.fingerprint256),
      subjectCommonName: 'srv',
      notBefore: new Date(node.validFrom),
      notAfter: new Date(node.validTo),
      isCa: false,
      clientKind: null,
    });
    expect(parseCertificate(ca.certPem)).toMatchObject({ isCa: true, subjectCommonName: 'Box office test CA', serialHex: ca.serialHex });
  });

  it('refuses other PEM blocks and broken base64', () => {
    expect(() => parseCertificate(ca.keyPem)).toThrow(expect.objectContaining({ code: 'PKI_INVALID_PEM' }));
    expect(() => parseCertificate('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n')).toThrow(
      expect.objectContaining({ code: 'PKI_INVALID_PEM' }),
    );
    expect(() => parseCertificate('no pem here')).toThrow(expect.objectContaining({ code: 'PKI_INVALID_PEM' }));
  });
});

describe('pemToDer and normalizeFingerprint', () => {
  it('round-trips the certificate bytes', () => {
    expect(pemToDer(ca.certPem).equals(caCert.raw)).toBe(true);
    expect(pemToDer(`leading text\r\n${ca.certPem.replace(/\n/g, '\r\n')}`, 'CERTIFICATE').equals(caCert.raw)).toBe(true);
  });

  it("maps Node's upper-case colon form to the stored lower-case hex form", () => {
    expect(caCert.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(normalizeFingerprint(caCert.fingerprint256)).toBe(ca.fingerprint256);
    expect(normalizeFingerprint(ca.fingerprint256)).toBe(ca.fingerprint256);
    expect(normalizeFingerprint(ca.fingerprint256.toUpperCase())).toBe(ca.fingerprint256);
    expect(() => normalizeFingerprint('AB:CD')).toThrow(expect.objectContaining({ code: 'PKI_INVALID_INPUT' }));
    expect(() => normalizeFingerprint(caCert.fingerprint)).toThrow(expect.objectContaining({ code: 'PKI_INVALID_INPUT' }));
  });
});
