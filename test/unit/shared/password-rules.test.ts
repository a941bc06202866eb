import { describe, expect, it } from 'vitest';
import {
  checkPasswordRules,
  isPasswordAcceptable,
  PASSWORD_HISTORY_DEPTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULE_IDS,
  PASSWORD_RULE_TEXT,
  PASSWORD_SERVER_RULE_IDS,
  PASSWORD_SERVER_RULE_TEXT,
  type PasswordRuleContext,
} from '../../../src/shared/domain/password-rules.js';

const user: PasswordRuleContext = { login: 'kschmidt', displayName: 'Karin Schmidt' };

function failed(password: string, context: PasswordRuleContext = user): readonly string[] {
  return checkPasswordRules(password, context).failed;
}

/** `length` characters that satisfy every class: "Aa1!" then lower-case filler. */
function passwordOfLength(length: number, last = 'x'): string {
  return `Aa1!${'q'.repeat(length - 5)}${last}`;
}

describe('password rules: constants and result shape', () => {
  it('requires 8 characters and accepts up to 256 (at least the 64 ASVS/NIST ask for)', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(8);
    expect(PASSWORD_MAX_LENGTH).toBe(256);
    expect(PASSWORD_MAX_LENGTH).toBeGreaterThanOrEqual(64);
    expect(PASSWORD_HISTORY_DEPTH).toBe(5);
  });

  it('reports every rule, in the stable id order, with pass or fail', () => {
    const result = checkPasswordRules('Tor#Elf7', user);
    expect(result.rules.map((rule) => rule.id)).toEqual([...PASSWORD_RULE_IDS]);
    expect(result.rules.every((rule) => rule.passed)).toBe(true);
    expect(result.failed).toEqual([]);
    expect(result.length).toBe(8);
    expect(isPasswordAcceptable(result)).toBe(true);

    const bad = checkPasswordRules('', user);
    expect(bad.rules.map((rule) => rule.id)).toEqual([...PASSWORD_RULE_IDS]);
    expect(bad.failed).toEqual(['min_length', 'upper', 'lower', 'digit', 'special']);
    expect(isPasswordAcceptable(bad)).toBe(false);
  });

  it('has unique ids', () => {
    expect(new Set([...PASSWORD_RULE_IDS, ...PASSWORD_SERVER_RULE_IDS]).size).toBe(PASSWORD_RULE_IDS.length + PASSWORD_SERVER_RULE_IDS.length);
  });
});

describe('password rules: composition', () => {
  it('passes a password with every class at exactly 8 characters', () => {
    expect(failed('Tor#Elf7')).toEqual([]);
  });

  it('names each missing class', () => {
    expect(failed('tor#elf7')).toEqual(['upper']);
    expect(failed('TOR#ELF7')).toEqual(['lower']);
    expect(failed('Tor#Elfx')).toEqual(['digit']);
    expect(failed('TorXElf7')).toEqual(['special']);
    expect(failed('12345678')).toEqual(['upper', 'lower', 'special']);
  });

  it('counts German umlauts and ß as letters', () => {
    expect(failed('ÄÖÜ#äöü7')).toEqual([]);
    expect(failed('ßöä#üäö7')).toEqual(['upper']);
    expect(failed('ÄÖẞ#ÜÄÖ7')).toEqual(['lower']);
    expect(failed('Öl-Straße9')).toEqual([]);
  });

  it('counts punctuation, symbols, emoji and "²" as special characters, but not letters without case or spaces', () => {
    for (const special of ['!', '?', '#', '@', '$', '.', '€', '§', '°', '²', '½', '😀', '-', '_', '"', '\\']) {
      expect(failed(`Torelf7${special}`), special).toEqual([]);
    }
    expect(failed('Tor elf7x')).toEqual(['special']);
    expect(failed('Torelf7字字')).toEqual(['special']);
  });

  it('counts decimal digits of any script', () => {
    expect(failed('Tor#Elf٣')).toEqual([]);
  });

  it('allows spaces anywhere: passphrases are welcome', () => {
    expect(failed('mein Hund heißt Bello, 7 Jahre')).toEqual([]);
    expect(failed(' Tor#Elf7 ')).toEqual([]);
    expect(failed('Tor#\u00a0Elf7')).toEqual([]);
  });
});

describe('password rules: length', () => {
  it('refuses 7 characters and accepts 8', () => {
    expect(failed('To#Elf7')).toEqual(['min_length']);
    expect(failed(passwordOfLength(7))).toEqual(['min_length']);
    expect(failed(passwordOfLength(8))).toEqual([]);
  });

  it('accepts 64, 200 and 256 characters and refuses 257', () => {
    for (const length of [64, 65, 200, 256]) {
      const result = checkPasswordRules(passwordOfLength(length), user);
      expect(result.length).toBe(length);
      expect(result.failed).toEqual([]);
    }
    const tooLong = checkPasswordRules(passwordOfLength(257), user);
    expect(tooLong.length).toBe(257);
    expect(tooLong.failed).toEqual(['max_length']);
  });

  it('never truncates: every character up to the end is checked and counted', () => {
    const long = passwordOfLength(257);
    // The 256-character prefix would pass; the full password must not be judged as that prefix.
    expect(checkPasswordRules(long.slice(0, 256), user).failed).toEqual([]);
    expect(checkPasswordRules(long, user).failed).toEqual(['max_length']);
    // A rule broken only by the very last character of a long password is still seen.
    expect(failed(`${passwordOfLength(199)}\t`)).toEqual(['no_control_chars']);
    expect(failed(`${'a'.repeat(150)}Z1!`)).toEqual([]);
    expect(failed(`${'a'.repeat(150)}1!`)).toEqual(['upper']);
  });

  it('counts code points of the NFC form, not UTF-16 units or bytes', () => {
    // "Ä" as A + combining diaeresis is one character after NFC.
    const decomposed = 'A\u0308b1!wxyz';
    expect(decomposed).toHaveLength(9);
    expect(checkPasswordRules(decomposed, user).length).toBe(8);
    expect(failed(decomposed)).toEqual([]);
    // Eight UTF-16 units, but only seven characters as the user sees them.
    expect('A\u0308b1!xyz').toHaveLength(8);
    expect(failed('A\u0308b1!xyz')).toEqual(['min_length']);
    // An emoji is one code point but two UTF-16 units.
    const emoji = 'Ab1!😀😀😀';
    expect(emoji).toHaveLength(10);
    expect(checkPasswordRules(emoji, user).length).toBe(7);
    expect(failed(emoji)).toEqual(['min_length']);
    expect(checkPasswordRules(`Ab1!${'😀'.repeat(252)}`, user).failed).toEqual([]);
    expect(checkPasswordRules(`Ab1!${'😀'.repeat(253)}`, user).failed).toEqual(['max_length']);
  });
});

describe('password rules: control characters', () => {
  it('refuses controls, lone surrogates and invisible format characters', () => {
    for (const bad of ['\t', '\n', '\r', '\u0000', '\u007f', '\u0085', '\u200b', '\u00ad', '\ufeff', '\u202e', '\ud800', '\udc00']) {
      expect(failed(`Tor#Elf7${bad}x`), JSON.stringify(bad)).toEqual(['no_control_chars']);
    }
  });

  it('allows the zero width joiner of emoji sequences and private-use characters', () => {
    expect(failed('Tor#Elf7👩‍💻')).toEqual([]);
    expect(failed('Tor#Elf7\ue000')).toEqual([]);
  });
});

describe('password rules: login name', () => {
  it('refuses the login itself, case-insensitively', () => {
    const context = { login: 'Kassierer1!' };
    expect(failed('Kassierer1!', context)).toEqual(['not_login']);
    expect(failed('kASSIERER1!', context)).toEqual(['not_login']);
  });

  it('refuses a password containing a login of 4 or more characters, case-insensitively', () => {
    expect(failed('Xy!kschmidt7')).toEqual(['not_login']);
    expect(failed('KSchmidt#2026')).toEqual(['not_login']);
    expect(failed('2026#KSCHMIDTa')).toEqual(['not_login']);
  });

  it('refuses the login reversed, whole or contained', () => {
    expect(failed('Tdimhcsk#1')).toEqual(['not_login']);
    expect(failed('ab1!TDIMHCSK', { login: 'kschmidt' })).toEqual(['not_login']);
  });

  it('also checks the parts of the login and the display name', () => {
    expect(failed('Schmidt2026!', { login: 'k.schmidt' })).toEqual(['not_login']);
    expect(failed('Karin#2026x', user)).toEqual(['not_login']);
    expect(failed('Nirak#2026x', user)).toEqual(['not_login']);
    expect(failed('Tor#Elf7', { login: 'k.schmidt', displayName: 'Karin Schmidt' })).toEqual([]);
  });

  it('matches a login shorter than 4 characters only as the whole password', () => {
    const context = { login: 'ute' };
    expect(failed('Computer#1', context)).toEqual([]);
    expect(checkPasswordRules('Ute', context).failed).toContain('not_login');
    expect(checkPasswordRules('etU', context).failed).toContain('not_login');
  });

  it('compares umlauts in any normal form and ignores an empty login', () => {
    expect(failed('Müller#2026x', { login: 'mu\u0308ller' })).toEqual(['not_login']);
    expect(failed('Tor#Elf7', { login: '' })).toEqual([]);
    expect(failed('Tor#Elf7', { login: '  ', displayName: '' })).toEqual([]);
  });
});

describe('password rules: texts', () => {
  it('has a German and an English checklist text for every rule id', () => {
    expect(Object.keys(PASSWORD_RULE_TEXT).sort()).toEqual([...PASSWORD_RULE_IDS].sort());
    for (const id of PASSWORD_RULE_IDS) {
      expect(PASSWORD_RULE_TEXT[id].de.trim(), id).not.toBe('');
      expect(PASSWORD_RULE_TEXT[id].en.trim(), id).not.toBe('');
      expect(PASSWORD_RULE_TEXT[id].de, id).not.toBe(PASSWORD_RULE_TEXT[id].en);
    }
    expect(PASSWORD_RULE_TEXT.min_length.de).toBe('Mindestens 8 Zeichen');
    expect(PASSWORD_RULE_TEXT.upper.de).toContain('Großbuchstabe');
  });

  it('has German and English texts for the server-side refusals', () => {
    expect(Object.keys(PASSWORD_SERVER_RULE_TEXT).sort()).toEqual([...PASSWORD_SERVER_RULE_IDS].sort());
    for (const id of PASSWORD_SERVER_RULE_IDS) {
      expect(PASSWORD_SERVER_RULE_TEXT[id].de.trim(), id).not.toBe('');
      expect(PASSWORD_SERVER_RULE_TEXT[id].en.trim(), id).not.toBe('');
    }
    expect(PASSWORD_SERVER_RULE_TEXT.reused.de).toContain('5');
  });
});
