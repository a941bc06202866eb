import { describe, expect, it } from 'vitest';
import { generateInitialPassword } from '../../../server/src/modules/identity/initial-password.js';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, parseHash, verifyPassword } from '../../../server/src/modules/identity/password-hash.js';

const fast = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores scrypt parameters in the hash and verifies only the right password', async () => {
    const stored = await hashPassword('Sommer-Tickets-2026!', fast);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('Sommer-Tickets-2026!', stored)).toBe(true);
    expect(await verifyPassword('Sommer-Tickets-2026?', stored)).toBe(false);
    expect(await verifyPassword('Sommer-Tickets-2026!', 'garbage')).toBe(false);
  });

  it('uses fresh salt and flags weaker parameters for rehash', async () => {
    const a = await hashPassword('same-Password-1!', fast);
    const b = await hashPassword('same-Password-1!', fast);
    expect(a).not.toBe(b);
    expect(needsRehash(a)).toBe(true);
    expect(needsRehash(a, fast)).toBe(false);
  });

  it('defaults to N=2^17, r=8, p=1 and handles long and non-ASCII passwords without truncation', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const stored = await hashPassword(`${'x'.repeat(100)}Ä1!`, DEFAULT_SCRYPT);
    expect(parseHash(stored)).toMatchObject({ N: 131072, r: 8, p: 1 });
    expect(await verifyPassword(`${'x'.repeat(100)}Ä1!`, stored)).toBe(true);
    expect(await verifyPassword(`${'x'.repeat(100)}Ä1?`, stored)).toBe(false);
    // NFC and NFD forms of the same text are the same password.
    expect(await verifyPassword(`${'x'.repeat(100)}A\u03081!`, stored)).toBe(true);
  });
});

describe('initial passwords', () => {
  it('always contain every character class and no ambiguous characters', () => {
    for (let i = 0; i < 200; i += 1) {
      const pw = generateInitialPassword();
      expect(pw).toHaveLength(16);
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[a-z]/);
      expect(pw).toMatch(/[0-9]/);
      expect(pw).toMatch(/[^A-Za-z0-9]/);
      expect(pw).not.toMatch(/[0O1lI]/);
    }
  });
});
