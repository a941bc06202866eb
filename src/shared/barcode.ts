/**
 * Ticket barcodes (DESIGN.md §4): digits only, because keyboard-wedge scanners on German keyboard layouts
 * garble letters; 20 random decimal digits (log2(10^20) ≈ 66.4 bits) from a cryptographic source, followed
 * by two check digits after ISO 7064 MOD 97-10 (the IBAN scheme): the 22-digit number N is valid exactly
 * when N mod 97 = 1.
 *
 * Why that detects every single-digit change and every swap of two adjacent digits, wherever they are
 * (check digits included): changing digit k (counted from the right, weight 10^k) by d ∈ ±1..±9 changes N
 * by d·10^k; swapping adjacent digits a ≠ b at weights 10^(k+1) and 10^k changes N by (a − b)·9·10^k. 97
 * is prime and divides none of d, a − b (both below 97 in size), 9 or 10^k, so neither change is a
 * multiple of 97, and N mod 97 moves away from 1. The unit tests also check it exhaustively.
 *
 * Pure code: the caller passes the random source (the server passes node:crypto's randomBytes), so this
 * file runs in every process and the rules are the same at the counter, at the gate and on the server.
 */

/** Random decimal digits in a barcode. */
export const BARCODE_RANDOM_DIGITS = 20;
/** Random digits plus the two check digits. */
export const BARCODE_LENGTH = BARCODE_RANDOM_DIGITS + 2;
/** Everything a well-formed barcode matches (the check digits are verified by isValidBarcode). */
export const BARCODE_PATTERN = /^[0-9]{22}$/;

/** Returns `n` bytes from a cryptographically secure source (server: node:crypto randomBytes). */
export type RandomBytes = (n: number) => Uint8Array;

/** The remainder of a decimal digit string modulo 97, digit by digit (the numbers exceed 2^53). */
function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 1) rest = (rest * 10 + (digits.charCodeAt(i) - 48)) % 97;
  return rest;
}

/** The two MOD 97-10 check digits for a payload of decimal digits: 98 − (payload·100 mod 97), "02".."98". */
export function barcodeCheckDigits(payload: string): string {
  if (!/^[0-9]+$/.test(payload)) throw new RangeError('a barcode payload consists of decimal digits');
  const check = 98 - mod97(`${payload}00`);
  return check.toString().padStart(2, '0');
}

/**
 * Draws `count` uniformly distributed decimal digits. A byte below 250 gives the digit byte mod 10; bytes
 * 250..255 are thrown away, since keeping them would make the digits 0..5 slightly more likely (modulo bias).
 */
export function randomDigits(count: number, randomBytes: RandomBytes): string {
  let digits = '';
  while (digits.length < count) {
    // 2 % of bytes are rejected; a few spare bytes usually avoid a second draw.
    const bytes = randomBytes(count - digits.length + 4);
    for (let i = 0; i < bytes.length && digits.length < count; i += 1) {
      const byte = bytes[i] as number;
      if (byte < 250) digits += String(byte % 10);
    }
  }
  return digits;
}

/** A fresh barcode: 20 random digits and their check digits. */
export function generateBarcode(randomBytes: RandomBytes): string {
  const payload = randomDigits(BARCODE_RANDOM_DIGITS, randomBytes);
  return payload + barcodeCheckDigits(payload);
}

/**
 * Whether a scanned or typed code is a barcode we could have issued: exactly 22 digits whose MOD 97-10
 * check holds. Decided before any database lookup, so a misread never reaches the database.
 */
export function isValidBarcode(code: string): boolean {
  return BARCODE_PATTERN.test(code) && mod97(code) === 1;
}
