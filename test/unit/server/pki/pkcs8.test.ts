import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_PBKDF2_ITERATIONS, encryptPrivateKey, type EncryptedPrivateKey } from '../../../../server/src/pki/pkcs8.js';
import { createCa, issueClientCertificate } from '../../../../server/src/pki/x509.js';
import { openssl } from './openssl.js';

// Every encryption and every decryption costs 600 000 PBKDF2 rounds, so the tests share one result.
const passphrase = 'abcd-efgh-ijkm-npqr';
let keyPem: string;
let encrypted: EncryptedPrivateKey;

beforeAll(async () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const ca = await createCa({ commonName: 'Test CA', validityDays: 365, now });
  ({ keyPem } = await issueClientCertificate(ca, { commonName: 'kasse-1', organization: 'Outlet', validityDays: 30, now, kind: 'workstation' }));
  encrypted = encryptPrivateKey(keyPem, passphrase);
});

function jwk(pem: string): JsonWebKey {
  return createPrivateKey(pem).export({ format: 'jwk' });
}

/**
 * `openssl asn1parse` as one line per element, `depth type[ :value]`; hex dumps become their length,
 * since salt, IV and ciphertext are random.
 */
function asn1Outline(pem: string): string[] {
  const { status, output } = openssl(['asn1parse'], pem);
  if (status !== 0) throw new Error(`openssl asn1parse failed: ${output}`);
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^\s*\d+:d=(\d+)\s+hl=\s*\d+\s+l=\s*(\d+)\s+(?:prim|cons):\s+(.*)$/.exec(line);
      if (!match) throw new Error(`unexpected asn1parse line: ${line}`);
      const [, depth = '', length = '', rest = ''] = match;
      const [type = '', hexDump] = rest.split('[HEX DUMP]');
      const text = hexDump === undefined ? rest : `${type} <${length} bytes>`;
      return `${depth} ${text.trim().replace(/\s+/g, ' ')}`;
    });
}

describe('encryptPrivateKey', () => {
  it('gives an ENCRYPTED PRIVATE KEY PEM of the DER', () => {
    expect(encrypted.pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END ENCRYPTED PRIVATE KEY-----\n$/);
    const body = encrypted.pem.replace(/-----[A-Z ]+-----|\n/g, '');
    expect(Buffer.from(body, 'base64').equals(encrypted.der)).toBe(true);
  });

  it('is decrypted by Node with the passphrase, as PEM and as DER, to the original key', () => {
    const original = jwk(keyPem);
    expect(createPrivateKey({ key: encrypted.pem, passphrase }).export({ format: 'jwk' })).toEqual(original);
    expect(createPrivateKey({ key: encrypted.der, format: 'der', type: 'pkcs8', passphrase }).export({ format: 'jwk' })).toEqual(original);
  });

  it('is refused by Node with a wrong passphrase or none', () => {
    expect(() => createPrivateKey({ key: encrypted.pem, passphrase: 'abcd-efgh-ijkm-npqs' })).toThrow();
    expect(() => createPrivateKey(encrypted.pem)).toThrow();
  });

  it('uses PBES2 with PBKDF2-HMAC-SHA256 (600 000 iterations, 16-byte salt, 32-byte key) and AES-256-CBC', () => {
    expect(KEY_PBKDF2_ITERATIONS).toBe(600_000);
    expect(asn1Outline(encrypted.pem)).toEqual([
      '0 SEQUENCE',
      '1 SEQUENCE',
      '2 OBJECT :PBES2',
      '2 SEQUENCE',
      '3 SEQUENCE',
      '4 OBJECT :PBKDF2',
      '4 SEQUENCE',
      '5 OCTET STRING <16 bytes>',
      '5 INTEGER :0927C0', // 600 000
      '5 INTEGER :20', // 32
      '5 SEQUENCE',
      '6 OBJECT :hmacWithSHA256',
      '6 NULL',
      '3 SEQUENCE',
      '4 OBJECT :aes-256-cbc',
      '4 OCTET STRING <16 bytes>',
      expect.stringMatching(/^1 OCTET STRING <\d+ bytes>$/),
    ]);
  });

  it('is decrypted by OpenSSL with the passphrase and refused with a wrong one', () => {
    const decrypted = openssl(['pkcs8', '-passin', `pass:${passphrase}`], encrypted.pem);
    expect(decrypted.status, decrypted.output).toBe(0);
    expect(jwk(decrypted.output)).toEqual(jwk(keyPem));
    const wrong = openssl(['pkcs8', '-passin', 'pass:abcd-efgh-ijkm-npqs'], encrypted.pem);
    expect(wrong.status).not.toBe(0);
  });

  it('salts and IVs every encryption afresh', () => {
    const again = encryptPrivateKey(keyPem, passphrase);
    const randomParts = (pem: string): string[] => {
      const hex = openssl(['asn1parse'], pem).output.match(/OCTET STRING\s+\[HEX DUMP\]:([0-9A-F]+)/g) ?? [];
      expect(hex).toHaveLength(3);
      return hex;
    };
    const [salt1, iv1, data1] = randomParts(encrypted.pem);
    const [salt2, iv2, data2] = randomParts(again.pem);
    expect(salt1).not.toBe(salt2);
    expect(iv1).not.toBe(iv2);
    expect(data1).not.toBe(data2);
  });

  it('reads a non-ASCII passphrase as UTF-8, as Node and OpenSSL do, and encrypts keys of other types', () => {
    const unicode = 'Grüße-aus-Köln-🎫';
    const { privateKey: rsaPem } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const { pem } = encryptPrivateKey(rsaPem, unicode);
    expect(createPrivateKey({ key: pem, passphrase: unicode }).export({ format: 'jwk' })).toEqual(jwk(rsaPem));
    const decrypted = openssl(['pkey', '-passin', `pass:${unicode}`], pem);
    expect(decrypted.status, decrypted.output).toBe(0);
    expect(jwk(decrypted.output)).toEqual(jwk(rsaPem));
  });

  it('refuses a short passphrase before any work, with the PKCS#12 code', () => {
    for (const weak of ['', 'short', '1234567', '🎫🎫🎫🎫🎫🎫🎫']) {
      expect(() => encryptPrivateKey(keyPem, weak)).toThrow(expect.objectContaining({ code: 'PKCS12_WEAK_PASSPHRASE' }));
    }
    expect(() => encryptPrivateKey('not a key', 'x')).toThrow(expect.objectContaining({ code: 'PKCS12_WEAK_PASSPHRASE' }));
  });

  it('refuses what is not a readable plain private key', () => {
    const { publicKey: publicPem } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    for (const bad of ['not a key', publicPem, encrypted.pem]) {
      expect(() => encryptPrivateKey(bad, passphrase)).toThrow(expect.objectContaining({ code: 'PKI_INVALID_PEM' }));
    }
  });
});
