import fc from 'fast-check';
import { FilterParser, EqualityFilter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { DnSyntaxError, escapeDnValue, formatDn, normalizeDn, parseDn } from '../../../../server/src/modules/directory/dn.js';
import { escapeFilterValue, isPlausibleFilter } from '../../../../server/src/modules/directory/ldap-filter.js';

describe('RFC 4515 filter value escaping', () => {
  it('escapes exactly *, (, ), \\ and NUL', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('admin)(|(uid=*')).toBe('admin\\29\\28|\\28uid=\\2a');
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb');
    expect(escapeFilterValue('anna\u0000')).toBe('anna\\00');
    expect(escapeFilterValue('Jürgen Müller=x,&|!~<>')).toBe('Jürgen Müller=x,&|!~<>');
    expect(escapeFilterValue('')).toBe('');
  });

  it('keeps an escaped value one equality assertion of the literal value, whatever it contains', () => {
    // The directory client parses the filter string: an escaped value must come back as exactly one
    // equality filter on the login attribute with the original text, never a wider filter.
    const asciiOrSpecial = fc.string({ unit: fc.constantFrom('*', '(', ')', '\\', '\u0000', '|', '&', '=', '!', 'a', 'Z', '0', ' ', '~', '<', '>') });
    fc.assert(
      fc.property(asciiOrSpecial, (value) => {
        const filter = FilterParser.parseString(`(uid=${escapeFilterValue(value)})`);
        expect(filter).toBeInstanceOf(EqualityFilter);
        expect((filter as EqualityFilter).attribute).toBe('uid');
        expect((filter as EqualityFilter).value).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('an unescaped injection name would widen the filter (the escaping matters)', () => {
    const raw = FilterParser.parseString('(&(objectClass=person)(uid=*))');
    expect(raw.toString()).toContain('uid=*');
    expect(() => FilterParser.parseString('(&(objectClass=person)(uid=admin)(|(uid=*)))')).not.toThrow();
  });

  it('checks configured filters for balanced parentheses and valid escapes', () => {
    expect(isPlausibleFilter('(objectClass=person)')).toBe(true);
    expect(isPlausibleFilter('(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))')).toBe(true);
    expect(isPlausibleFilter('(cn=a\\29b)')).toBe(true);
    for (const bad of ['objectClass=person', '(objectClass=person', '(a=b))(', '(a=b)(c=d)', '(a=\\zz)', '(a=b\u0000)', '']) expect(isPlausibleFilter(bad), bad).toBe(false);
  });
});

describe('RFC 4514 distinguished names', () => {
  it('escapes the special characters of attribute values', () => {
    expect(escapeDnValue('Müller, Hans')).toBe('Müller\\, Hans');
    expect(escapeDnValue('a+b=c;d<e>f"g\\h')).toBe('a\\+b\\=c\\;d\\<e\\>f\\"g\\\\h');
    expect(escapeDnValue(' #lead and trail ')).toBe('\\ #lead and trail\\ ');
    expect(escapeDnValue('#x')).toBe('\\#x');
    expect(escapeDnValue('nul\u0000')).toBe('nul\\00');
  });

  it('parses escapes, hex pairs (UTF-8) and multi-valued RDNs', () => {
    expect(parseDn('cn=Müller\\, Hans+uid=hm,ou=people,dc=example,dc=test')).toEqual([
      [{ type: 'cn', value: 'Müller, Hans' }, { type: 'uid', value: 'hm' }],
      [{ type: 'ou', value: 'people' }],
      [{ type: 'dc', value: 'example' }],
      [{ type: 'dc', value: 'test' }],
    ]);
    expect(parseDn('cn=M\\C3\\BCller')).toEqual([[{ type: 'cn', value: 'Müller' }]]);
    expect(parseDn('')).toEqual([]);
  });

  it('normalises case, spacing and escaping so that both sides of a mapping compare equal', () => {
    const canonical = 'cn=box office clerks,ou=groups,dc=example,dc=test';
    for (const variant of ['CN=Box Office Clerks,OU=groups,DC=example,DC=test', 'cn=Box Office Clerks, ou=groups , dc=example,dc=test', 'cn=Box\\20Office Clerks,ou=groups,dc=example,dc=test', 'cn=Box Office Clerks  ,ou=groups,dc=example,dc=test']) {
      expect(normalizeDn(variant), variant).toBe(canonical);
    }
    expect(normalizeDn('UID=a+CN=b,dc=x')).toBe('cn=b+uid=a,dc=x');
    expect(normalizeDn('cn=a\\,b,dc=x')).toBe('cn=a\\,b,dc=x');
    expect(normalizeDn('cn=a\\,b,dc=x')).not.toBe(normalizeDn('cn=a,cn=b,dc=x'));
  });

  it('round-trips any value through format and parse', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('cn', 'ou', 'uid'), fc.string({ minLength: 1, maxLength: 20 })), { minLength: 1, maxLength: 4 }), (pairs) => {
        const rdns = pairs.map(([type, value]) => [{ type, value }]);
        expect(parseDn(formatDn(rdns))).toEqual(rdns);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses malformed DNs', () => {
    for (const bad of ['not a dn', 'cn=a,', '=x', 'cn=a;b', 'cn=a\\', 'cn=a\\q', 'cn=a,,dc=x']) expect(() => parseDn(bad), bad).toThrow(DnSyntaxError);
  });
});
