import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE_LENGTH, PKCS12_MAC_ITERATIONS, buildPkcs12, generatePassphrase, type Pkcs12Input } from '../../../../server/src/pki/pkcs12.js';
import { KEY_PBKDF2_ITERATIONS } from '../../../../server/src/pki/pkcs8.js';
import { createCa, issueClientCertificate, type CaMaterial, type IssuedCertificate } from '../../../../server/src/pki/x509.js';
import { openssl } from './openssl.js';

const now = new Date('2026-03-01T10:00:00Z');
let dir: string;
let ca: CaMaterial;
let client: IssuedCertificate;
let input: Pkcs12Input;
// Building a file costs two 600 000-iteration derivations (and so does every reading of it): the tests
// share this one wherever they can.
let p12: Buffer;
let p12File: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pkcs12-test-'));
  ca = await createCa({ commonName: 'Test CA', validityDays: 365, now });
  client = await issueClientCertificate(ca, { commonName: 'kasse-1', organization: 'Outlet', validityDays: 30, now, kind: 'workstation' });
  input = { keyPem: client.keyPem, certPem: client.certPem, chainPems: [ca.certPem], passphrase: generatePassphrase(), friendlyName: 'OUT1/kasse-1' };
  p12 = buildPkcs12(input);
  p12File = writeP12('client.p12', p12);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeP12(name: string, p12: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, p12);
  return file;
}

function pemBlocks(text: string, label: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----\\n`, 'g')) ?? [];
}

describe('buildPkcs12', () => {
  it('is accepted by Node TLS with the passphrase and refused with a wrong one', () => {
    expect(() => createSecureContext({ pfx: p12, passphrase: input.passphrase })).not.toThrow();
    expect(() => createSecureContext({ pfx: p12, passphrase: 'wrong-passphrase' })).toThrow(/mac verify failure/);
  });

  it('opens in OpenSSL 3 without the legacy provider and uses only AES-256-CBC and SHA-256', () => {
    const { status, output } = openssl(['pkcs12', '-in', p12File, '-info', '-noout', '-passin', `pass:${input.passphrase}`]);
    expect(status, output).toBe(0);
    expect(output).toContain('MAC length: 32, salt length: 16');
    expect(output).not.toMatch(/sha1|3DES|RC2|legacy/i);
  });

  it('makes a passphrase guess cost 600 000 iterations against the MAC and the key bag alike', () => {
    expect(PKCS12_MAC_ITERATIONS).toBe(600_000);
    expect(KEY_PBKDF2_ITERATIONS).toBe(600_000);
    const { status, output } = openssl(['pkcs12', '-in', p12File, '-info', '-noout', '-passin', `pass:${input.passphrase}`]);
    expect(status, output).toBe(0);
    expect(output).toContain('MAC: sha256, Iteration 600000');
    expect(output).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256');
  });

  it('is refused by OpenSSL with a wrong passphrase', () => {
    const { status, output } = openssl(['pkcs12', '-in', p12File, '-info', '-noout', '-passin', 'pass:not-the-passphrase']);
    expect(status).not.toBe(0);
    expect(output).toMatch(/mac verify/i);
  });

  it('holds the key of the leaf certificate, paired by localKeyId and friendlyName, and the CA certificate', () => {
    const { status, output } = openssl(['pkcs12', '-in', p12File, '-nodes', '-passin', `pass:${input.passphrase}`]);
    expect(status, output).toBe(0);
    const [keyPem] = pemBlocks(output, 'PRIVATE KEY');
    const certs = pemBlocks(output, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
    expect(keyPem).toBeDefined();
    expect(certs.map((c) => c.fingerprint256)).toEqual([client.certPem, ca.certPem].map((pem) => new X509Certificate(pem).fingerprint256));

    const keyPublic = createPublicKey(createPrivateKey(keyPem ?? '')).export({ type: 'spki', format: 'der' });
    expect(keyPublic.equals(certs[0]?.publicKey.export({ type: 'spki', format: 'der' }) ?? Buffer.alloc(0))).toBe(true);
    expect(createPrivateKey(keyPem ?? '').export({ type: 'pkcs8', format: 'pem' })).toBe(createPrivateKey(client.keyPem).export({ type: 'pkcs8', format: 'pem' }));

    const friendlyNames = output.match(/friendlyName: .*/g) ?? [];
    const localKeyIds = output.match(/localKeyID: .*/g) ?? [];
    expect(friendlyNames).toEqual(['friendlyName: OUT1/kasse-1', 'friendlyName: OUT1/kasse-1']);
    expect(localKeyIds).toHaveLength(2);
    expect(localKeyIds[0]).toBe(localKeyIds[1]);
  });

  it('accepts a non-ASCII passphrase the same way OpenSSL and Node read it, down to the minimum length', () => {
    // Eight code points (ten UTF-16 units): exactly the minimum, which is counted in code points.
    const passphrase = 'Grüße-🎫🎫';
    expect([...passphrase]).toHaveLength(MIN_PASSPHRASE_LENGTH);
    const unicodeP12 = buildPkcs12({ ...input, passphrase, friendlyName: 'Kasse Süd' });
    const file = writeP12('unicode.p12', unicodeP12);
    expect(() => createSecureContext({ pfx: unicodeP12, passphrase })).not.toThrow();
    const { status, output } = openssl(['pkcs12', '-in', file, '-info', '-noout', '-passin', `pass:${passphrase}`]);
    expect(status, output).toBe(0);
  });

  it('refuses an empty or short passphrase with a code', () => {
    // Seven code points are refused even when they take fourteen UTF-16 units; that eight are enough is
    // shown by the non-ASCII test above.
    for (const passphrase of ['', 'short', '1234567', '🎫🎫🎫🎫🎫🎫🎫']) {
      expect(() => buildPkcs12({ ...input, passphrase })).toThrow(expect.objectContaining({ code: 'PKCS12_WEAK_PASSPHRASE' }));
    }
  });

  it('refuses a key that does not belong to the certificate', () => {
    expect(() => buildPkcs12({ ...input, keyPem: ca.keyPem })).toThrow(expect.objectContaining({ code: 'PKCS12_KEY_MISMATCH' }));
  });

  it('salts every file afresh', () => {
    expect(buildPkcs12(input).equals(p12)).toBe(false);
  });
});

describe('generatePassphrase', () => {
  it('gives 20 unambiguous characters in groups of four', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const passphrase = generatePassphrase();
      expect(passphrase).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
      expect(passphrase).not.toMatch(/[0O1lI]/);
      seen.add(passphrase);
    }
    expect(seen.size).toBe(200);
  });

  it('is long enough for buildPkcs12', () => {
    // The shared file above is built with a generated passphrase; this pins the margin.
    expect(generatePassphrase().length).toBeGreaterThanOrEqual(2 * MIN_PASSPHRASE_LENGTH);
  });
});
