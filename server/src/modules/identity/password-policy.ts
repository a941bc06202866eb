import { readFileSync } from 'node:fs';
import {
  checkPasswordRules,
  PASSWORD_HISTORY_DEPTH,
  PASSWORD_MAX_LENGTH,
  type PasswordFailureId,
  type PasswordRuleContext,
  type PasswordRuleResult,
} from '../../../../src/shared/domain/password-rules.js';
import { verifyPassword } from './password-hash.js';

/**
 * The server's password policy: the shared composition, length, login-name and control-character rules
 * (src/shared/domain/password-rules.ts, the same function the renderer's checklist runs), plus the two
 * checks that need server data: a list of common passwords (`common`) and the user's last
 * PASSWORD_HISTORY_DEPTH password hashes (`reused`). Refusals are data, a list of rule ids, never
 * exceptions; only a missing or empty list file (at start-up) and a failing verifier throw.
 *
 * common-passwords.txt, next to this file: one password per line, NFC, lower case (matching is
 * case-insensitive), UTF-8, sorted, no comments, about 250,000 lines / 3 MB. It was generated once,
 * deterministically, by a small throw-away script from word lists written by hand for this project
 * (nothing downloaded, nothing copied):
 *  - about 450 base words, German and English: password/Passwort/Kennwort/geheim/admin/login-style
 *    words, greetings and terms of endearment (hallo, willkommen, schatz, iloveyou), months, weekdays,
 *    seasons and holidays, sports and Bundesliga clubs and cities, words from this business (ticket,
 *    konzert, kasse, vorverkauf), keyboard walks (qwertz, asdfgh, yxcvbnm), animals, brands, colours,
 *    and about 85 common German and English first names; German words also with ä/ö/ü/ß and with
 *    plain a/o/u ("muenchen", "münchen", "munchen");
 *  - about 70 digit and keyboard patterns (123456, 12345678, 1q2w3e4r, 1qay2wsx, qwertz123, ...), each
 *    also with one of ! ? # @ $ . appended;
 *  - the mutations users make to pass composition rules, on the lower-cased base words (so they
 *    cover "Sommer2026!" as well): appended digits (1, 12, 123 ... 123456, 01, 007, 11, 13, 69, 99
 *    and every year 1990-2030) followed by nothing or one of ! ? # @ $ .; "!" or "-" between the word
 *    and a year ("sommer!2026"); club numbers and founding years (schalke04, bayern1900, bvb09);
 *    leet spellings (every combination of a→@, o→0, e→3, s→$, i→1, and the numeric a→4 e→3 i→1 o→0
 *    s→5 t→7) with a short suffix set (1, 123, 2025, 2026, then nothing, ! or ?). A second tier of
 *    about 160 less common words gets fewer suffixes.
 * Entries shorter than 3 characters or containing whitespace are left out. 250,740 entries, sha256 of the
 * file as generated: 22b3614808dc44c28863376ce8d8d10708d78d513f896127a2c53203adcd7b63.
 *
 * Matching (see commonVariants): the password is NFC-normalised and lower-cased and looked up as it is
 * and as its "core": the part from the first to the last letter, also with up to 3 of the surrounding
 * non-letters kept (a trailing "0" may be the "o" of "hall0"). Every form is looked up as it is and
 * with leet characters read back as letters (@ 4 -> a, 0 -> o, 3 -> e, $ 5 -> s, 1 -> i or l, 7 -> t).
 * So "Passwort2026!" -> "passwort", "!1Sommer 2026?" -> "sommer", "H3ll0#2026" -> "h3ll0" -> "hello",
 * "P@$$w0rd" -> "password". Cores shorter than 4 characters are not looked up, so "19#Eva-85!" is not
 * refused just because "eva" is listed (the list itself has "eva1990!" and the like). The effect: a listed word stays refused whatever digits,
 * specials and spaces are put around it, which is how users defeat composition rules ("Bayern1900!",
 * "Winter2025?", "Sommer84729315!"). A listed word inside a longer password ("Sommerregen am Deich 7!")
 * is not refused: that is a passphrase, which NIST asks us to allow.
 */
export { PASSWORD_HISTORY_DEPTH };

export const DEFAULT_COMMON_PASSWORDS_FILE = new URL('./common-passwords.txt', import.meta.url);

/** Cores shorter than this (in code points) are not looked up; see the header. */
const MIN_CORE_LENGTH = 4;
/** How many non-letters next to the first/last letter may still be leet letters ("hall0", "$0mmer"). */
const LEET_REACH = 3;
const LETTER = /[\p{L}\p{M}]/u;
/** "1" is read both as "i" and as "l" ("P4ssw0rd1", "h3ll0", "wi1d"). */
const LEET_TO_LETTER: readonly Readonly<Record<string, string>>[] = [
  { '@': 'a', '4': 'a', '0': 'o', '3': 'e', $: 's', '5': 's', '1': 'i', '7': 't' },
  { '@': 'a', '4': 'a', '0': 'o', '3': 'e', $: 's', '5': 's', '1': 'l', '7': 't' },
];

export interface PasswordPolicyResult {
  ok: boolean;
  /** Failed rule ids: the shared rule ids, then `common`, then `reused`. Empty when ok. */
  failed: readonly PasswordFailureId[];
}

export interface PasswordCheckResult extends PasswordPolicyResult {
  /** The shared checklist result, every rule with passed/failed (for the UI). */
  rules: PasswordRuleResult;
}

/** Verifies a password against a stored hash; verifyPassword from password-hash.ts in production. */
export type PasswordVerifier = (password: string, hash: string) => Promise<boolean>;

export interface PasswordPolicy {
  /** Shared rules plus the common-password list. Synchronous and cheap. */
  check(password: string, context: PasswordRuleContext): PasswordCheckResult;
  /** Whether the password is, or is built from, a listed common password (see the file header). */
  isCommon(password: string): boolean;
  /**
   * Refuses the password if it matches any of the first PASSWORD_HISTORY_DEPTH hashes of
   * `previousHashes`, which lists the user's hashes newest first and starts with the current
   * password's hash. Hashes are verified one after another (each scrypt verification at production
   * parameters takes about 128 MiB) and the check stops at the first match.
   */
  checkNotReused(password: string, previousHashes: readonly string[], verify?: PasswordVerifier): Promise<PasswordPolicyResult>;
  /**
   * Everything for a password change: check(), and only when that passes, checkNotReused() (a refused
   * password need not cost up to five scrypt verifications).
   */
  checkNewPassword(
    password: string,
    context: PasswordRuleContext,
    previousHashes: readonly string[],
    verify?: PasswordVerifier,
  ): Promise<PasswordCheckResult>;
  /** Number of entries in the common-password list (for start-up logs). */
  readonly commonPasswordCount: number;
}

export interface PasswordPolicyOptions {
  /** Path or file URL of the list; defaults to common-passwords.txt next to this module. */
  commonPasswordsFile?: string | URL;
  /** A ready list (tests); takes precedence over commonPasswordsFile. Entries must be NFC, lower case. */
  commonPasswords?: ReadonlySet<string>;
}

function foldPassword(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

/**
 * Reads the list: one entry per line, trimmed, empty lines skipped, NFC and lower case applied so a
 * hand-edited file stays consistent with the matching. Throws if the file is missing or has no
 * entries, because an empty list would silently switch the check off.
 */
export function loadCommonPasswords(file: string | URL = DEFAULT_COMMON_PASSWORDS_FILE): Set<string> {
  const text = readFileSync(file, 'utf8');
  const list = new Set<string>();
  for (const line of text.split('\n')) {
    const entry = line.trim();
    if (entry !== '') list.add(foldPassword(entry));
  }
  if (list.size === 0) throw new Error(`The common-password list ${String(file)} has no entries.`);
  return list;
}

function deleet(chars: readonly string[], map: Readonly<Record<string, string>>): string {
  return chars.map((char) => map[char] ?? char).join('');
}

/** The forms of a folded password that are looked up in the list (at most 25 cores x 3); see the header. */
function commonVariants(folded: string): Set<string> {
  const chars = Array.from(folded);
  const variants = new Set([folded]);
  const first = chars.findIndex((char) => LETTER.test(char));
  const last = chars.findLastIndex((char) => LETTER.test(char));
  const starts = new Set([0]);
  const ends = new Set([chars.length]);
  if (first !== -1) {
    for (let k = 0; k <= LEET_REACH; k += 1) {
      if (first - k >= 0) starts.add(first - k);
      if (last + 1 + k <= chars.length) ends.add(last + 1 + k);
    }
  }
  for (const start of starts) {
    for (const end of ends) {
      const core = chars.slice(start, end);
      const whole = start === 0 && end === chars.length;
      if (!whole && core.length < MIN_CORE_LENGTH) continue;
      variants.add(core.join(''));
      for (const map of LEET_TO_LETTER) variants.add(deleet(core, map));
    }
  }
  return variants;
}

export function createPasswordPolicy(options: PasswordPolicyOptions = {}): PasswordPolicy {
  const list: ReadonlySet<string> = options.commonPasswords ?? loadCommonPasswords(options.commonPasswordsFile);

  function isCommon(password: string): boolean {
    const folded = foldPassword(password);
    // Far longer than any entry and than the length rule allows: nothing to look up.
    if (Array.from(folded).length > PASSWORD_MAX_LENGTH) return false;
    for (const form of commonVariants(folded)) if (list.has(form)) return true;
    return false;
  }

  function check(password: string, context: PasswordRuleContext): PasswordCheckResult {
    const rules = checkPasswordRules(password, context);
    const failed: PasswordFailureId[] = [...rules.failed];
    if (isCommon(password)) failed.push('common');
    return { ok: failed.length === 0, failed, rules };
  }

  async function checkNotReused(
    password: string,
    previousHashes: readonly string[],
    verify: PasswordVerifier = verifyPassword,
  ): Promise<PasswordPolicyResult> {
    for (const hash of previousHashes.slice(0, PASSWORD_HISTORY_DEPTH)) {
      // Sequential on purpose: memory-hard verifications in parallel would multiply the peak memory.
      if (await verify(password, hash)) return { ok: false, failed: ['reused'] };
    }
    return { ok: true, failed: [] };
  }

  async function checkNewPassword(
    password: string,
    context: PasswordRuleContext,
    previousHashes: readonly string[],
    verify: PasswordVerifier = verifyPassword,
  ): Promise<PasswordCheckResult> {
    const result = check(password, context);
    if (!result.ok) return result;
    const reuse = await checkNotReused(password, previousHashes, verify);
    return reuse.ok ? result : { ok: false, failed: reuse.failed, rules: result.rules };
  }

  return { check, isCommon, checkNotReused, checkNewPassword, commonPasswordCount: list.size };
}
