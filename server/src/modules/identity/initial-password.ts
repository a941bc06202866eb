import { randomInt } from 'node:crypto';

// Unambiguous characters only: the initial password is read off a screen or a slip of paper.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';
const SPECIAL = '!#%+-=?@';
const ALL = UPPER + LOWER + DIGITS + SPECIAL;

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] as string;
}

/** A one-time password of 16 characters that satisfies the composition rule (one of each class). */
export function generateInitialPassword(length = 16): string {
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SPECIAL)];
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** How long an initial password may be used for the first login. */
export const INITIAL_PASSWORD_VALIDITY_MS = 72 * 3600 * 1000;
