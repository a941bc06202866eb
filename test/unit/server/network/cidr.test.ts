import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress } from '../../../../server/src/modules/network/address.js';
import { createCidrMatcher, formatCidr, parseCidr } from '../../../../server/src/modules/network/cidr.js';

const hex = (words: readonly number[]) => words.map((w) => w.toString(16).padStart(8, '0')).join(' ');

describe('parseIpAddress', () => {
  it.each([
    ['192.0.2.1', 4, 'c0000201'],
    ['0.0.0.0', 4, '00000000'],
    ['255.255.255.255', 4, 'ffffffff'],
    ['2001:db8::1', 6, '20010db8 00000000 00000000 00000001'],
    ['2001:DB8:0:0:0:0:0:1', 6, '20010db8 00000000 00000000 00000001'],
    ['::', 6, '00000000 00000000 00000000 00000000'],
    ['::1', 6, '00000000 00000000 00000000 00000001'],
    ['1::', 6, '00010000 00000000 00000000 00000000'],
    ['1::2:3:4:5:6:7', 6, '00010000 00020003 00040005 00060007'],
    ['1:2:3:4:5:6:1.2.3.4', 6, '00010002 00030004 00050006 01020304'],
    ['::1.2.3.4', 6, '00000000 00000000 00000000 01020304'],
    ['fe80::1%eth0', 6, 'fe800000 00000000 00000000 00000001'],
    // IPv4-mapped in both spellings becomes plain IPv4.
    ['::ffff:10.0.0.1', 4, '0a000001'],
    ['::FFFF:a00:1', 4, '0a000001'],
    ['0:0:0:0:0:ffff:127.0.0.1', 4, '7f000001'],
  ] as const)('parses %s', (text, family, words) => {
    const parsed = parseIpAddress(text);
    expect(parsed?.family).toBe(family);
    expect(hex(parsed?.words ?? [])).toBe(words);
  });

  it.each([
    '',
    ' 192.0.2.1',
    '192.0.2.1 ',
    '192.0.2',
    '192.0.2.1.5',
    '256.0.0.1',
    '010.0.0.1',
    '1.2.3.04',
    '1.2.3.-1',
    '0x7f.0.0.1',
    '1::2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    ':::',
    '1:::2',
    '::1::',
    ':1::',
    '1::2::3',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3',
    '::256.1.1.1',
    '[::1]',
    'localhost',
    'unknown',
    '1'.repeat(200),
  ])('rejects %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('agrees with net.isIP on every case above (zone and brackets aside)', () => {
    for (const text of ['192.0.2.1', '010.0.0.1', '1::2:3:4:5:6:7', '1::2:3:4:5:6:7:8', '::1.2.3.4', ':1::', '1:::2', '::1.2.3', 'g::1']) {
      expect(parseIpAddress(text) !== undefined, text).toBe(isIP(text) !== 0);
    }
  });

  it.each([
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0DB8::00AB', '2001:db8::ab'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
  ])('formats %s canonically as %s (RFC 5952)', (text, canonical) => {
    const parsed = parseIpAddress(text);
    expect(parsed).toBeDefined();
    expect(formatIpAddress(parsed!)).toBe(canonical);
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, 8, '0a000000', '0affffff'],
    ['0.0.0.0/0', 4, 0, '00000000', 'ffffffff'],
    ['192.0.2.7/32', 4, 32, 'c0000207', 'c0000207'],
    ['192.0.2.7', 4, 32, 'c0000207', 'c0000207'],
    ['192.0.2.0/31', 4, 31, 'c0000200', 'c0000201'],
    ['::/0', 6, 0, '00000000 00000000 00000000 00000000', 'ffffffff ffffffff ffffffff ffffffff'],
    ['2001:db8::/32', 6, 32, '20010db8 00000000 00000000 00000000', '20010db8 ffffffff ffffffff ffffffff'],
    ['2001:db8::/33', 6, 33, '20010db8 00000000 00000000 00000000', '20010db8 7fffffff ffffffff ffffffff'],
    ['2001:db8:0:0:8000::/65', 6, 65, '20010db8 00000000 80000000 00000000', '20010db8 00000000 ffffffff ffffffff'],
    ['2001:db8::1/128', 6, 128, '20010db8 00000000 00000000 00000001', '20010db8 00000000 00000000 00000001'],
    ['2001:db8::1', 6, 128, '20010db8 00000000 00000000 00000001', '20010db8 00000000 00000000 00000001'],
    // Mapped networks are IPv4 networks.
    ['::ffff:10.0.0.0/104', 4, 8, '0a000000', '0affffff'],
    ['::ffff:0:0/96', 4, 0, '00000000', 'ffffffff'],
    ['::ffff:127.0.0.1', 4, 32, '7f000001', '7f000001'],
  ] as const)('parses %s', (text, family, prefix, first, last) => {
    const cidr = parseCidr(text);
    expect(cidr).toMatchObject({ family, prefix });
    expect(hex(cidr.first)).toBe(first);
    expect(hex(cidr.last)).toBe(last);
  });

  it('keeps wider IPv6 networks over the mapped range as IPv6', () => {
    expect(parseCidr('::/64')).toMatchObject({ family: 6, prefix: 64 });
    expect(parseCidr('::fffe:0:0/95')).toMatchObject({ family: 6, prefix: 95 });
  });

  it.each([
    ['10.0.0.1/8', /host bits are set; did you mean 10\.0\.0\.0\/8\?/],
    ['2001:db8::1/32', /did you mean 2001:db8::\/32\?/],
    ['10.0.0.0/33', /at most 32/],
    ['::/129', /at most 128/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/08', /prefix length/],
    ['10.0.0.0/-1', /prefix length/],
    ['10.0.0.0/ 8', /prefix length/],
    ['10.0.0.0/8/8', /more than one/],
    ['fe80::%eth0/64', /zone index/],
    ['10.0.0', /not an IPv4 address/],
    ['010.0.0.0/8', /not an IPv4 address/],
    ['2001:db8:::/32', /not an IPv6 address/],
    ['example.org', /not an IPv4 address/],
    ['', /not an IPv4 address/],
  ])('refuses %j with a clear message', (text, message) => {
    let caught: unknown;
    try {
      parseCidr(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'NETWORK_CONFIG_INVALID', name: 'NetworkConfigError' });
    expect((caught as Error).message).toContain(`"${text}"`);
    expect((caught as Error).message).toMatch(message);
  });

  it('formats networks canonically', () => {
    expect(formatCidr(parseCidr('2001:DB8:0::/48'))).toBe('2001:db8::/48');
    expect(formatCidr(parseCidr('::ffff:192.0.2.0/120'))).toBe('192.0.2.0/24');
  });
});

describe('createCidrMatcher', () => {
  it('matches IPv4 boundaries exactly', () => {
    const m = createCidrMatcher(['10.0.0.0/8', '192.0.2.7/32']);
    expect(m.matches('9.255.255.255')).toBe(false);
    expect(m.matches('10.0.0.0')).toBe(true);
    expect(m.matches('10.255.255.255')).toBe(true);
    expect(m.matches('11.0.0.0')).toBe(false);
    expect(m.matches('192.0.2.6')).toBe(false);
    expect(m.matches('192.0.2.7')).toBe(true);
    expect(m.matches('192.0.2.8')).toBe(false);
  });

  it('matches IPv6 boundaries exactly', () => {
    const m = createCidrMatcher(['2001:db8::/32', '2001:db8:ffff::1/128', 'fe80::/10']);
    expect(m.matches('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(m.matches('2001:db8::')).toBe(true);
    expect(m.matches('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(m.matches('2001:db9::')).toBe(false);
    expect(m.matches('febf:ffff::1')).toBe(true);
    expect(m.matches('fec0::')).toBe(false);
    expect(m.matches('fe80::1%eth0')).toBe(true);
    expect(m.size).toBe(2); // the /128 lies inside the /32
  });

  it('matches IPv4-mapped peers against IPv4 rules, in both directions', () => {
    const v4Rule = createCidrMatcher(['127.0.0.1/32']);
    expect(v4Rule.matches('::ffff:127.0.0.1')).toBe(true);
    expect(v4Rule.matches('::ffff:7f00:1')).toBe(true);
    const mappedRule = createCidrMatcher(['::ffff:10.0.0.0/104']);
    expect(mappedRule.matches('10.1.2.3')).toBe(true);
    expect(mappedRule.matches('::ffff:10.1.2.3')).toBe(true);
  });

  it('keeps the families apart: ::/0 matches native IPv6 only, 0.0.0.0/0 IPv4 only', () => {
    const v6All = createCidrMatcher(['::/0']);
    expect(v6All.matches('2001:db8::1')).toBe(true);
    expect(v6All.matches('10.0.0.1')).toBe(false);
    expect(v6All.matches('::ffff:10.0.0.1')).toBe(false);
    const v4All = createCidrMatcher(['0.0.0.0/0']);
    expect(v4All.matches('255.255.255.255')).toBe(true);
    expect(v4All.matches('::ffff:10.0.0.1')).toBe(true);
    expect(v4All.matches('::1')).toBe(false);
  });

  it('merges overlaps and keeps adjacent ranges correct', () => {
    const m = createCidrMatcher(['10.1.0.0/16', '10.0.0.0/8', '10.0.0.0/8', '11.0.0.0/8', '192.0.2.0/25', '192.0.2.128/25']);
    // Overlaps merge; adjacent ranges stay separate, which costs a slot but no correctness.
    expect(m.size).toBe(4);
    for (const a of ['10.1.2.3', '11.255.255.255', '192.0.2.0', '192.0.2.127', '192.0.2.128', '192.0.2.255']) expect(m.matches(a), a).toBe(true);
    for (const a of ['12.0.0.0', '192.0.3.0', '192.0.1.255']) expect(m.matches(a), a).toBe(false);
  });

  it('is false for garbage and empty lists', () => {
    expect(createCidrMatcher(['0.0.0.0/0', '::/0']).matches('not an address')).toBe(false);
    expect(createCidrMatcher([]).matches('192.0.2.1')).toBe(false);
    expect(createCidrMatcher([]).size).toBe(0);
  });

  it('names the list and the entry in errors, and refuses empty entries', () => {
    expect(() => createCidrMatcher(['192.0.2.0/24', '198.51.100.1/24'], 'deny list')).toThrow(/^deny list: "198\.51\.100\.1\/24" is not a valid network: host bits are set/);
    expect(() => createCidrMatcher([' '], 'allow list')).toThrow('allow list contains an empty entry');
  });

  it('accepts surrounding whitespace in entries', () => {
    expect(createCidrMatcher([' 192.0.2.0/24 ']).matches('192.0.2.9')).toBe(true);
  });

  it('agrees with net.BlockList on random networks and addresses near their edges', () => {
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const word = () => Math.floor(random() * 0x100000000);
    const v4 = (w: number) => formatIpAddress({ family: 4, words: [w] });
    const v6 = (ws: number[]) => formatIpAddress({ family: 6, words: ws });
    const reference = new BlockList();
    const rules: string[] = [];
    const probes: Array<[string, 'ipv4' | 'ipv6']> = [];
    for (let i = 0; i < 300; i += 1) {
      const prefix = 8 + Math.floor(random() * 25);
      const start = (word() & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
      const end = (start + 2 ** (32 - prefix) - 1) >>> 0;
      rules.push(`${v4(start)}/${prefix}`);
      reference.addSubnet(v4(start), prefix, 'ipv4');
      for (const w of [start, end, (start - 1) >>> 0, (end + 1) >>> 0, word()]) probes.push([v4(w), 'ipv4']);
    }
    for (let i = 0; i < 300; i += 1) {
      const prefix = 16 + Math.floor(random() * 113);
      const words = [0x20010db8, word(), word(), word()];
      const first = words.map((w, k) => {
        const bits = Math.max(0, Math.min(32, prefix - 32 * k));
        return bits === 0 ? 0 : (w & ((0xffffffff << (32 - bits)) >>> 0)) >>> 0;
      });
      const last = first.map((w, k) => {
        const bits = Math.max(0, Math.min(32, prefix - 32 * k));
        return bits === 32 ? w : (w | (0xffffffff >>> bits)) >>> 0;
      });
      rules.push(`${v6(first)}/${prefix}`);
      reference.addSubnet(v6(first), prefix, 'ipv6');
      probes.push([v6(first), 'ipv6'], [v6(last), 'ipv6'], [v6([0x20010db8, word(), word(), word()]), 'ipv6']);
      probes.push([v6([...first.slice(0, 3), (first[3]! - 1) >>> 0]), 'ipv6'], [v6([...last.slice(0, 3), (last[3]! + 1) >>> 0]), 'ipv6']);
    }
    const matcher = createCidrMatcher(rules);
    let disagreements = 0;
    for (const [address, family] of probes) if (matcher.matches(address) !== reference.check(address, family)) disagreements += 1;
    expect(probes.length).toBeGreaterThan(2500);
    expect(disagreements).toBe(0);
  });

  it('builds and looks up fifty thousand ranges quickly', () => {
    const rules: string[] = [];
    for (let i = 0; i < 25_000; i += 1) rules.push(`${formatIpAddress({ family: 4, words: [i * 4096] })}/22`);
    for (let i = 0; i < 25_000; i += 1) rules.push(`2001:db8:${i.toString(16)}::/48`);
    const built = performance.now();
    const matcher = createCidrMatcher(rules.reverse());
    const buildMs = performance.now() - built;
    const looked = performance.now();
    let hits = 0;
    for (let i = 0; i < 100_000; i += 1) {
      if (matcher.matches(formatIpAddress({ family: 4, words: [i * 1021] }))) hits += 1;
      if (matcher.matches(`2001:db8:${(i % 30_000).toString(16)}::1`)) hits += 1;
    }
    const lookupMs = performance.now() - looked;
    expect(matcher.size).toBe(50_000);
    expect(hits).toBeGreaterThan(100_000);
    // Generous bounds: the point is "milliseconds, not seconds", not a benchmark.
    expect(buildMs).toBeLessThan(2_000);
    expect(lookupMs).toBeLessThan(2_000);
  });
});
