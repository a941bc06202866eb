import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BARCODE_LENGTH,
  barcodeCheckDigits,
  generateBarcode,
  isValidBarcode,
  randomDigits,
  type RandomBytes,
} from '../../../src/shared/barcode.js';

const secure: RandomBytes = (n) => randomBytes(n);

/** Every code that differs from `code` in exactly one digit. */
function singleDigitChanges(code: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i += 1) {
    for (let d = 0; d <= 9; d += 1) {
      const digit = String(d);
      if (digit !== code[i]) out.push(code.slice(0, i) + digit + code.slice(i + 1));
    }
  }
  return out;
}

/** Every code made from `code` by swapping two neighbouring, different digits. */
function adjacentSwaps(code: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < code.length; i += 1) {
    if (code[i] !== code[i + 1]) out.push(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
  }
  return out;
}

describe('barcodes', () => {
  it('computes ISO 7064 MOD 97-10 check digits like the IBAN scheme', () => {
    // DE89 3704 0044 0532 0130 00: the check digits of the IBAN are MOD 97-10 over BBAN + "DE00" (D=13, E=14).
    expect(barcodeCheckDigits('370400440532013000131400'.slice(0, -2))).toBe('89');
    expect(barcodeCheckDigits('0')).toBe('98');
    expect(() => barcodeCheckDigits('12a')).toThrow(RangeError);
    expect(() => barcodeCheckDigits('')).toThrow(RangeError);
  });

  it('generates 1,000,000 unique, all-digit codes with valid check digits', () => {
    // One big random buffer, handed out in slices: the same CSPRNG, a fraction of the system calls.
    let pool = randomBytes(0);
    let offset = 0;
    const pooled: RandomBytes = (n) => {
      if (offset + n > pool.length) {
        pool = randomBytes(1 << 20);
        offset = 0;
      }
      offset += n;
      return pool.subarray(offset - n, offset);
    };
    const seen = new Set<string>();
    const allDigits = /^[0-9]+$/;
    for (let i = 0; i < 1_000_000; i += 1) {
      const code = generateBarcode(pooled);
      if (code.length !== BARCODE_LENGTH || !allDigits.test(code) || !isValidBarcode(code)) throw new Error(`bad code ${code}`);
      seen.add(code);
    }
    expect(seen.size).toBe(1_000_000);
  });

  it('detects every single-digit change and every adjacent swap, exhaustively for sample codes', () => {
    const samples = [
      ...Array.from({ length: 200 }, () => generateBarcode(secure)),
      // Edge cases: leading zeros, repeated digits, the check digits at their extremes.
      `${'0'.repeat(20)}${barcodeCheckDigits('0'.repeat(20))}`,
      `${'9'.repeat(20)}${barcodeCheckDigits('9'.repeat(20))}`,
      `01234567890123456789${barcodeCheckDigits('01234567890123456789')}`,
    ];
    let mutants = 0;
    for (const code of samples) {
      expect(isValidBarcode(code)).toBe(true);
      for (const wrong of [...singleDigitChanges(code), ...adjacentSwaps(code)]) {
        mutants += 1;
        if (isValidBarcode(wrong)) throw new Error(`${wrong} (from ${code}) passed the check`);
      }
    }
    // 22 positions × 9 wrong digits per code, plus the swaps.
    expect(mutants).toBeGreaterThan(samples.length * 22 * 9);
  });

  it('proves the detection for every payload digit pattern that matters: all weights, all differences', () => {
    // A change of d·10^k (substitution) or (a − b)·9·10^k (adjacent swap) is never a multiple of 97.
    let weight = 1;
    for (let k = 0; k < BARCODE_LENGTH; k += 1) {
      for (let d = 1; d <= 9; d += 1) {
        expect((d * weight) % 97, `substitution by ${d} at 10^${k}`).not.toBe(0);
        expect((d * 9 * weight) % 97, `swap with difference ${d} at 10^${k}`).not.toBe(0);
      }
      weight = (weight * 10) % 97;
    }
  });

  it('refuses anything but 22 digits with a valid check before looking further', () => {
    const code = generateBarcode(secure);
    for (const wrong of ['', code.slice(1), `${code}0`, `${code.slice(0, 21)}x`, ` ${code.slice(1)}`, code.replace(/^./, 'A'), `١${code.slice(1)}`]) {
      expect(isValidBarcode(wrong), JSON.stringify(wrong)).toBe(false);
    }
  });

  it('draws digits without modulo bias: bytes 250..255 are skipped', () => {
    const script = [255, 250, 251, 7, 249, 0, 252, 19];
    let i = 0;
    const scripted: RandomBytes = (n) => Uint8Array.from({ length: n }, () => script[i++ % script.length] as number);
    // 7 → 7, 249 → 9, 0 → 0, 19 → 9; the 250+ bytes are rejected.
    expect(randomDigits(4, scripted)).toBe('7909');
    // Uniformity: every digit comes from exactly 25 byte values out of the 250 accepted.
    const counts = new Array<number>(10).fill(0);
    const allBytes: RandomBytes = (n) => Uint8Array.from({ length: n }, (_, j) => j % 256);
    for (const c of randomDigits(250, (n) => allBytes(Math.max(n, 256)))) counts[Number(c)] = (counts[Number(c)] ?? 0) + 1;
    expect(counts).toEqual(new Array<number>(10).fill(25));
  });
});
