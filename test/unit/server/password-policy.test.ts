import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, type ScryptParams, verifyPassword } from '../../../server/src/modules/identity/password-hash.js';
import {
  createPasswordPolicy,
  loadCommonPasswords,
  PASSWORD_HISTORY_DEPTH,
  type PasswordPolicy,
} from '../../../server/src/modules/identity/password-policy.js';

const fast: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
const user = { login: 'kschmidt', displayName: 'Karin Schmidt' };

let policy: PasswordPolicy;
let tempDir: string;

beforeAll(() => {
  policy = createPasswordPolicy();
  tempDir = mkdtempSync(path.join(tmpdir(), 'password-policy-'));
});

afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

describe('common-password list', () => {
  it('ships a list of reasonable size, lower case, one entry per line', () => {
    expect(PASSWORD_HISTORY_DEPTH).toBe(5);
    expect(policy.commonPasswordCount).toBeGreaterThan(50_000);
    expect(policy.commonPasswordCount).toBeLessThan(300_000);
    const list = loadCommonPasswords();
    expect(list.size).toBe(policy.commonPasswordCount);
    for (const entry of ['passwort', 'password', 'qwertz', '123456', '1q2w3e4r', 'sommer2026!', 'p@ssw0rd', 'münchen', 'muenchen']) {
      expect(list.has(entry), entry).toBe(true);
    }
    for (const entry of list) {
      if (entry !== entry.toLowerCase() || entry !== entry.normalize('NFC') || /\s/u.test(entry)) throw new Error(`bad entry ${entry}`);
    }
  });

  it('refuses common passwords that satisfy every composition rule', () => {
    for (const password of [
      'Passwort1!',
      'Sommer2026!',
      'Winter2025?',
      'P@ssw0rd1',
      'Bayern1900!',
      'Schalke04!',
      'Qwertz123!',
      '1Q2w3e4r!',
      'Fußball2026#',
      'Muenchen2026!',
      'Paßwort1!',
      'Willkommen1!',
      'Iloveyou2024.',
    ]) {
      const result = policy.check(password, user);
      expect(result.rules.failed, password).toEqual([]);
      expect(result.failed, password).toEqual(['common']);
      expect(result.ok, password).toBe(false);
    }
  });

  it('refuses a listed word whatever digits, specials and spaces surround it, and leet spellings', () => {
    for (const password of ['Sommer 2026!', '!Sommer2026', '2026-Sommer-?', 'Sommer84729315!', 'P4$$w0rd!', '$0mm3r2026!', 'H3ll0#2026', 'Tick3ts!99', 'Konzert+1']) {
      expect(policy.isCommon(password), password).toBe(true);
    }
  });

  it('accepts strong passwords and passphrases, also when they contain a listed word', () => {
    for (const password of ['vT7#qL9!mZ2x', 'Sommerregen am Deich 7!', 'Ab!7c4x9Qz', 'Kasse-Fenster-Wolke-42', 'Zürich liegt am See 3?']) {
      const result = policy.check(password, user);
      expect(result.failed, password).toEqual([]);
      expect(result.ok, password).toBe(true);
    }
  });

  it('looks up cores of 3 characters only in the listed forms', () => {
    expect(policy.isCommon('Eva1990!')).toBe(true);
    expect(policy.isCommon('19#Eva-85!')).toBe(false);
  });

  it('reports the shared rule failures and `common` together', () => {
    const result = policy.check('passwort', user);
    expect(result.failed).toEqual(['upper', 'digit', 'special', 'common']);
    expect(result.rules.rules.map((rule) => rule.id)).toContain('not_login');
    expect(policy.check('KSchmidt2026!', user).failed).toEqual(['not_login']);
  });

  it('returns data, never throws, on odd input', () => {
    expect(policy.check('', user).failed).toEqual(['min_length', 'upper', 'lower', 'digit', 'special']);
    expect(policy.check('Tor#Elf7\ud800', user).failed).toEqual(['no_control_chars']);
    expect(policy.check(`Aa1!${'x'.repeat(10_000)}`, user).failed).toEqual(['max_length']);
  });

  it('loads a given file, folding case and normal form, and refuses an empty one', () => {
    const file = path.join(tempDir, 'list.txt');
    writeFileSync(file, 'GeHeim\r\n\n  ka\u0308se  \nfoo1234\n');
    expect([...loadCommonPasswords(file)].sort()).toEqual(['foo1234', 'geheim', 'käse']);
    const own = createPasswordPolicy({ commonPasswordsFile: file });
    expect(own.commonPasswordCount).toBe(3);
    expect(own.check('Käse2026!', user).failed).toEqual(['common']);
    expect(own.check('Sommer2026!', user).failed).toEqual([]);

    const empty = path.join(tempDir, 'empty.txt');
    writeFileSync(empty, '\n\n');
    expect(() => loadCommonPasswords(empty)).toThrow(/no entries/);
    expect(() => loadCommonPasswords(path.join(tempDir, 'missing.txt'))).toThrow();
  });

  it('takes a ready list instead of a file', () => {
    const own = createPasswordPolicy({ commonPasswords: new Set(['zebra']) });
    expect(own.check('Zebra#2026', user).failed).toEqual(['common']);
    expect(own.check('Passwort1!', user).failed).toEqual([]);
  });
});

describe('password history', () => {
  // Newest first; index 0 is the current password.
  const history = ['Neu#Pass-6', 'Alt#Pass-5', 'Alt#Pass-4', 'Alt#Pass-3', 'Alt#Pass-2', 'Alt#Pass-1'];
  let hashes: string[];

  beforeAll(async () => {
    hashes = await Promise.all(history.map((password) => hashPassword(password, fast)));
  });

  it('refuses any of the last 5 passwords (current included) and accepts the 6th-last', async () => {
    for (const password of history.slice(0, PASSWORD_HISTORY_DEPTH)) {
      expect(await policy.checkNotReused(password, hashes), password).toEqual({ ok: false, failed: ['reused'] });
    }
    expect(await policy.checkNotReused(history[5]!, hashes)).toEqual({ ok: true, failed: [] });
    expect(await policy.checkNotReused('Ganz#Neu-7', hashes)).toEqual({ ok: true, failed: [] });
    expect(await policy.checkNotReused('Ganz#Neu-7', [])).toEqual({ ok: true, failed: [] });
  });

  it('uses the given verifier, one hash after another, at most 5 of them', async () => {
    const calls: string[] = [];
    const verify = async (password: string, hash: string): Promise<boolean> => {
      calls.push(hash);
      return hash === `plain:${password}`;
    };
    const plain = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `plain:${x}`);
    expect(await policy.checkNotReused('c', plain, verify)).toEqual({ ok: false, failed: ['reused'] });
    expect(calls).toEqual(['plain:a', 'plain:b', 'plain:c']);
    calls.length = 0;
    expect(await policy.checkNotReused('f', plain, verify)).toEqual({ ok: true, failed: [] });
    expect(calls).toHaveLength(5);
  });

  it('combines everything for a change, and skips the costly history check for a refused password', async () => {
    let verified = 0;
    const counting = async (password: string, hash: string): Promise<boolean> => {
      verified += 1;
      return verifyPassword(password, hash);
    };
    const refused = await policy.checkNewPassword('Sommer2026!', user, hashes, counting);
    expect(refused.failed).toEqual(['common']);
    expect(verified).toBe(0);

    const reused = await policy.checkNewPassword('Alt#Pass-2', user, hashes, counting);
    expect(reused).toMatchObject({ ok: false, failed: ['reused'] });
    expect(reused.rules.failed).toEqual([]);
    expect(verified).toBe(5);

    const fresh = await policy.checkNewPassword('Alt#Pass-1', user, hashes);
    expect(fresh).toMatchObject({ ok: true, failed: [] });
  });

  it('tells long passwords apart by their last character (no truncation in the hash)', async () => {
    const base = `Aa1!${'q'.repeat(195)}`;
    const stored = await hashPassword(`${base}x`, fast);
    expect(await verifyPassword(`${base}x`, stored)).toBe(true);
    expect(await verifyPassword(`${base}y`, stored)).toBe(false);
    expect(await policy.checkNotReused(`${base}y`, [stored])).toEqual({ ok: true, failed: [] });
    expect(await policy.checkNotReused(`${base}x`, [stored])).toEqual({ ok: false, failed: ['reused'] });
  });
});
