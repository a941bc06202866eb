import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { bmpString, encodeLength, integer, objectIdentifier, readElements, sequence, setOf } from '../../../../server/src/pki/der.js';
import { pkcs12Kdf, pkcs12Password } from '../../../../server/src/pki/pkcs12-kdf.js';
import { OPENSSL } from './openssl.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('der', () => {
  it('encodes short and long lengths', () => {
    expect(hex(encodeLength(0))).toBe('00');
    expect(hex(encodeLength(127))).toBe('7f');
    expect(hex(encodeLength(128))).toBe('8180');
    expect(hex(encodeLength(256))).toBe('820100');
    expect(hex(encodeLength(70_000))).toBe('83011170');
  });

  it('encodes integers minimally in two’s complement', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(3))).toBe('020103');
    expect(hex(integer(127))).toBe('02017f');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(10_000))).toBe('02022710');
    expect(hex(integer(-1))).toBe('0201ff');
    expect(hex(integer(-129))).toBe('0202ff7f');
  });

  it('encodes object identifiers, also with arcs beyond 2^53', () => {
    expect(hex(objectIdentifier('1.2.840.113549.1.7.1'))).toBe('06092a864886f70d010701');
    expect(hex(objectIdentifier('2.16.840.1.101.3.4.2.1'))).toBe('0609608648016503040201');
    const uuidOid = '2.25.134028153969945816320111211000022181058.1.1';
    // node-forge refuses arcs above 32 bits, so OpenSSL is the reference here.
    const dir = mkdtempSync(path.join(tmpdir(), 'der-test-'));
    try {
      const file = path.join(dir, 'oid.der');
      expect(spawnSync(OPENSSL, ['asn1parse', '-genstr', `OID:${uuidOid}`, '-noout', '-out', file]).status).toBe(0);
      expect(hex(objectIdentifier(uuidOid))).toBe(hex(readFileSync(file)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('encodes BMPString as UTF-16 big-endian', () => {
    expect(hex(bmpString('Kä'))).toBe('1e04004b00e4');
  });

  it('sorts SET OF elements and reads back what it wrote', () => {
    const set = setOf(integer(5), integer(1));
    expect(hex(set)).toBe('3106020101020105');
    const [outer] = readElements(sequence(set, integer(300)));
    expect(outer?.tag).toBe(0x30);
    expect(readElements(outer?.content ?? Buffer.alloc(0)).map((e) => e.tag)).toEqual([0x31, 0x02]);
    expect(() => readElements(Buffer.from('3005020101', 'hex'))).toThrow(/Truncated/);
  });
});

describe('pkcs12Kdf', () => {
  // node-forge is an independent implementation of RFC 7292 appendix B; it takes the password as a JS
  // string and does the BMPString conversion itself.
  it.each([
    ['12345678', 16, 32],
    ['Grüße aus Köln', 8, 32],
    ['long password '.repeat(10), 20, 70],
    ['abcd-efgh-ijkm-npqr-stuv', 0, 32],
  ])('matches node-forge for %j (salt %i bytes, %i bytes out)', (password, saltLength, keyLength) => {
    const salt = randomBytes(saltLength);
    const iterations = 1000;
    const ours = pkcs12Kdf({ password: pkcs12Password(password), salt, id: 3, iterations, keyLength });
    const theirs = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt.toString('binary')), 3, iterations, keyLength, forge.md.sha256.create());
    expect(hex(ours)).toBe(Buffer.from(theirs.getBytes(), 'binary').toString('hex'));
  });
});
