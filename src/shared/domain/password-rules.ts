/**
 * Password rules that can be checked without the server: the renderer shows them as a live checklist
 * while the user types, and the server applies the very same function before it adds the checks that
 * need server data (common-password list, password history; server/src/modules/identity/password-policy.ts).
 *
 * Sources: the product brief (at least 8 characters with upper case, lower case, digit and special
 * character) and OWASP ASVS 5 / NIST SP 800-63B (allow at least 64 characters, no truncation, all
 * printable Unicode including spaces, reject context-specific words such as the login name).
 *
 * Every check works on the NFC-normalised password, which is also what password-hash.ts hashes, so
 * "Ä" typed as one code point or as "A" + combining diaeresis is the same password everywhere.
 */

/** Product brief: at least 8 characters. */
export const PASSWORD_MIN_LENGTH = 8;

/**
 * ASVS/NIST require that at least 64 characters are accepted; we accept 256. The cap exists because a
 * password is untrusted input that every login feeds into normalisation, these checks, the
 * common-password variants and the hash. scrypt's cost is dominated by N and barely depends on the
 * length, but its PBKDF2 pre-hash still reads every byte; 256 code points are at most 1 KiB of UTF-8,
 * which bounds that work and the request size while leaving room for long passphrases. A longer
 * password is rejected with `max_length`, never silently truncated.
 *
 * Length is counted in Unicode code points of the NFC form, as NIST SP 800-63B asks ("each Unicode
 * code point SHALL be counted as a single character"): UTF-16 code units would count an emoji as 2,
 * UTF-8 bytes would count "ä" as 2, and the NFC form makes a decomposed "ä" (a + U+0308) count as
 * one, as the user sees it.
 */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * How many of the user's most recent passwords a new one must differ from. The list includes the
 * current password, so a change must avoid the current one and the four before it. Lives here so the
 * checklist text and the server's check cannot disagree.
 */
export const PASSWORD_HISTORY_DEPTH = 5;

/** Rules the checklist shows, in display order. Ids are stable: they cross the wire as error data. */
export const PASSWORD_RULE_IDS = [
  'min_length',
  'max_length',
  'upper',
  'lower',
  'digit',
  'special',
  'not_login',
  'no_control_chars',
] as const;

export type PasswordRuleId = (typeof PASSWORD_RULE_IDS)[number];

/** Rules only the server can check (they need the common-password list or the password history). */
export const PASSWORD_SERVER_RULE_IDS = ['common', 'reused'] as const;

export type PasswordServerRuleId = (typeof PASSWORD_SERVER_RULE_IDS)[number];

/** Any reason a new password can be refused. */
export type PasswordFailureId = PasswordRuleId | PasswordServerRuleId;

export interface PasswordRuleContext {
  /** The user's login name. */
  login: string;
  /** The user's name as shown in the UI, e.g. "Anna Schmidt". */
  displayName?: string | undefined;
}

export interface PasswordRuleCheck {
  id: PasswordRuleId;
  passed: boolean;
}

export interface PasswordRuleResult {
  /** Every rule in PASSWORD_RULE_IDS order, passed or not (the checklist shows all of them). */
  rules: readonly PasswordRuleCheck[];
  /** The ids of the failed rules, in the same order. */
  failed: readonly PasswordRuleId[];
  /** Length in code points of the NFC form (the unit the length rules use). */
  length: number;
}

export interface PasswordRuleText {
  de: string;
  en: string;
}

/** Short checklist texts, German first. */
export const PASSWORD_RULE_TEXT: Readonly<Record<PasswordRuleId, PasswordRuleText>> = {
  min_length: { de: `Mindestens ${PASSWORD_MIN_LENGTH} Zeichen`, en: `At least ${PASSWORD_MIN_LENGTH} characters` },
  max_length: { de: `Höchstens ${PASSWORD_MAX_LENGTH} Zeichen`, en: `At most ${PASSWORD_MAX_LENGTH} characters` },
  upper: { de: 'Ein Großbuchstabe', en: 'An upper-case letter' },
  lower: { de: 'Ein Kleinbuchstabe', en: 'A lower-case letter' },
  digit: { de: 'Eine Ziffer', en: 'A digit' },
  special: { de: 'Ein Sonderzeichen, z. B. ! ? # @ $ .', en: 'A special character, e.g. ! ? # @ $ .' },
  not_login: { de: 'Enthält weder Benutzernamen noch Namen', en: 'Does not contain your login or name' },
  no_control_chars: { de: 'Keine Steuerzeichen wie Tabulator oder Zeilenumbruch', en: 'No control characters such as tab or line break' },
};

/** Texts for the server-side refusals, for the message the renderer shows after a refused change. */
export const PASSWORD_SERVER_RULE_TEXT: Readonly<Record<PasswordServerRuleId, PasswordRuleText>> = {
  common: { de: 'Kein häufig verwendetes Passwort', en: 'Not a commonly used password' },
  reused: {
    de: `Nicht eines der letzten ${PASSWORD_HISTORY_DEPTH} Passwörter`,
    en: `Not one of your last ${PASSWORD_HISTORY_DEPTH} passwords`,
  },
};

/** Upper case includes title-case letters (e.g. "ǅ"); both count "Ä", "Ö", "Ü", "ẞ", "ä", "ß" ... */
const UPPER = /[\p{Lu}\p{Lt}]/u;
const LOWER = /\p{Ll}/u;
/** Decimal digits of any script ("٣" counts); "²" and "½" are not decimal digits, see SPECIAL. */
const DIGIT = /\p{Nd}/u;
/**
 * Special character = anything that is not a letter, a combining mark, a decimal digit, whitespace or
 * a control/format character: punctuation, symbols (including €, § and emoji) and other numbers such
 * as "²" (AltGr+2 on a German keyboard, which users regard as a special character). Letters without
 * case (e.g. CJK) are letters, not specials. Spaces are allowed anywhere, passphrases are welcome, but
 * a space does not satisfy this rule: it is invisible in the masked field and easily lost at the end
 * of a password, so the rule would be met by a character the user cannot see.
 */
const SPECIAL = /[^\p{L}\p{M}\p{Nd}\p{White_Space}\p{C}]/u;
/**
 * Refused characters: C0/C1 controls and DEL (tab and line breaks included), lone UTF-16 surrogates
 * (they cannot be encoded as UTF-8, so the hash would see U+FFFD and different inputs would collide),
 * and invisible format characters such as zero-width space, soft hyphen, BOM and bidi overrides (a
 * password the user cannot see cannot be typed again). U+200D ZERO WIDTH JOINER is allowed because
 * emoji sequences need it. Private-use and unassigned code points are allowed: which ones are
 * unassigned depends on the Unicode version of the engine, and the checklist and the server must agree.
 */
const CONTROL = /[\p{Cc}\p{Cs}]|(?!\u200d)\p{Cf}/u;
/** Separators between the parts of a login or name ("k.schmidt", "Anna-Lena Schmidt"). */
const NAME_SEPARATOR = /[^\p{L}\p{M}\p{N}]+/u;

/**
 * Below this length a login or name part is only refused as the whole password (or reversed), not
 * inside it: a short login like "ute" or "max" would otherwise forbid "Computer" or "Maximal".
 */
const NAME_CONTAINS_MIN_LENGTH = 4;

function fold(value: string): string {
  // Locale-independent lower case, so the renderer and the server give the same answer.
  return value.normalize('NFC').toLowerCase();
}

function codePoints(value: string): string[] {
  return Array.from(value);
}

function reversed(value: string): string {
  return codePoints(value).reverse().join('');
}

/** The login and display name, whole and split into parts, folded; empty parts dropped. */
function personalTokens(context: PasswordRuleContext): string[] {
  const tokens = new Set<string>();
  for (const source of [context.login, context.displayName ?? '']) {
    const folded = fold(source.trim());
    if (folded === '') continue;
    tokens.add(folded);
    for (const part of folded.split(NAME_SEPARATOR)) if (part !== '') tokens.add(part);
  }
  return [...tokens];
}

/**
 * not_login: case-insensitive (locale-independent lower case of the NFC forms). The password fails if
 * it equals the login, the display name or any part of them (split at spaces, dots, hyphens, @ ...),
 * forwards or reversed; and if it contains any of these of at least 4 code points, forwards or
 * reversed. So login "k.schmidt" refuses "Schmidt2026!" and "tdimhcS!9x", and login "ute" refuses only
 * the password "Ute"/"etu" itself.
 */
function containsPersonalToken(password: string, context: PasswordRuleContext): boolean {
  const candidate = fold(password);
  if (candidate === '') return false;
  for (const token of personalTokens(context)) {
    for (const form of [token, reversed(token)]) {
      if (candidate === form) return true;
      if (codePoints(form).length >= NAME_CONTAINS_MIN_LENGTH && candidate.includes(form)) return true;
    }
  }
  return false;
}

/** Checks every client-side rule and reports each one, passed or not. Pure; never throws. */
export function checkPasswordRules(password: string, context: PasswordRuleContext): PasswordRuleResult {
  const normalized = password.normalize('NFC');
  const length = codePoints(normalized).length;
  const passed: Record<PasswordRuleId, boolean> = {
    min_length: length >= PASSWORD_MIN_LENGTH,
    max_length: length <= PASSWORD_MAX_LENGTH,
    upper: UPPER.test(normalized),
    lower: LOWER.test(normalized),
    digit: DIGIT.test(normalized),
    special: SPECIAL.test(normalized),
    not_login: !containsPersonalToken(normalized, context),
    no_control_chars: !CONTROL.test(normalized),
  };
  const rules = PASSWORD_RULE_IDS.map((id) => ({ id, passed: passed[id] }));
  return { rules, failed: rules.filter((rule) => !rule.passed).map((rule) => rule.id), length };
}

export function isPasswordAcceptable(result: Pick<PasswordRuleResult, 'failed'>): boolean {
  return result.failed.length === 0;
}
