import { createHash } from 'node:crypto';
import { utf16be } from './der.js';

/** Purpose bytes of RFC 7292 appendix B.3. Only the MAC key is derived this way here. */
export const PKCS12_KDF_ID = { encryptionKey: 1, iv: 2, macKey: 3 } as const;

export interface Pkcs12KdfParams {
  /** Already in PKCS#12 form; see `pkcs12Password`. */
  password: Uint8Array;
  salt: Uint8Array;
  id: number;
  iterations: number;
  keyLength: number;
}

// SHA-256: u = 32-byte output, v = 64-byte block (RFC 7292 B.2 names them so).
const U = 32;
const V = 64;

/**
 * The password as PKCS#12 wants it: a BMPString (UTF-16 big-endian) ending in two zero bytes. OpenSSL 3
 * converts a UTF-8 passphrase the same way (characters beyond the BMP become surrogate pairs).
 */
export function pkcs12Password(passphrase: string): Buffer {
  return Buffer.concat([utf16be(passphrase), Buffer.alloc(2)]);
}

/** RFC 7292 appendix B.2 with SHA-256. Node has no built-in for it, and it is short. */
export function pkcs12Kdf({ password, salt, id, iterations, keyLength }: Pkcs12KdfParams): Buffer {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  const diversifier = Buffer.alloc(V, id);
  const input = Buffer.concat([repeatToBlocks(salt), repeatToBlocks(password)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < keyLength; produced += U) {
    let a = createHash('sha256').update(diversifier).update(input).digest();
    for (let round = 1; round < iterations; round += 1) a = createHash('sha256').update(a).digest();
    blocks.push(a);
    if (produced + U < keyLength) addToEachBlock(input, repeatTo(a, V));
  }
  return Buffer.concat(blocks).subarray(0, keyLength);
}

/** Concatenated copies of `data`, cut to v·⌈len/v⌉ bytes (empty input stays empty). */
function repeatToBlocks(data: Uint8Array): Buffer {
  return repeatTo(data, V * Math.ceil(data.length / V));
}

function repeatTo(data: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += data.length) out.set(data.subarray(0, length - offset), offset);
  return out;
}

/** I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, as big-endian integers, in place. */
function addToEachBlock(input: Buffer, b: Buffer): void {
  for (let start = 0; start < input.length; start += V) {
    let carry = 1;
    for (let k = V - 1; k >= 0; k -= 1) {
      const sum = input.readUInt8(start + k) + b.readUInt8(k) + carry;
      input.writeUInt8(sum & 0xff, start + k);
      carry = sum >> 8;
    }
  }
}
