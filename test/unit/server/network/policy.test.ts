import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNetworkPolicy, NETWORK_CONFIG_DEFAULTS } from '../../../../server/src/modules/network/config.js';
import { findGeoIpFiles, loadGeoIpCountries } from '../../../../server/src/modules/network/geoip.js';
import { createNetworkPolicy } from '../../../../server/src/modules/network/policy.js';

const FIXTURE_DIR = fileURLToPath(new URL('../../../fixtures/geoip/', import.meta.url));
// Fixture: 192.0.2.0/24 DE, 198.51.100.0/25 AT, 198.51.100.128/25 RU, 203.0.113.0/24 KP, 2001:db8::/33 RU.
const geoip = loadGeoIpCountries(findGeoIpFiles(FIXTURE_DIR));

describe('createNetworkPolicy: decisions', () => {
  it('allows everything, garbage included, when no rule exists', () => {
    const policy = createNetworkPolicy({ trustedProxies: ['10.0.0.1'] });
    expect(policy.active).toBe(false);
    expect(policy.decide('203.0.113.9')).toEqual({ allowed: true });
    expect(policy.decide('')).toEqual({ allowed: true });
  });

  it('refuses addresses on the deny list and nothing else', () => {
    const policy = createNetworkPolicy({ deny: ['203.0.113.0/24', '2001:db8::/32'] });
    expect(policy.active).toBe(true);
    expect(policy.decide('203.0.113.9')).toEqual({ allowed: false, reason: 'address is on the deny list' });
    expect(policy.decide('::ffff:203.0.113.9').allowed).toBe(false);
    expect(policy.decide('2001:db8::5').allowed).toBe(false);
    expect(policy.decide('192.0.2.1').allowed).toBe(true);
  });

  it('lets deny win over allow', () => {
    const policy = createNetworkPolicy({ allow: ['10.0.0.0/8'], deny: ['10.1.0.0/16'] });
    expect(policy.decide('10.1.2.3')).toMatchObject({ allowed: false, reason: 'address is on the deny list' });
    expect(policy.decide('10.2.0.1').allowed).toBe(true);
  });

  it('refuses everything outside a non-empty allow list; loopback is not special', () => {
    const policy = createNetworkPolicy({ allow: ['192.0.2.0/24'] });
    expect(policy.decide('192.0.2.200').allowed).toBe(true);
    expect(policy.decide('198.51.100.1')).toEqual({ allowed: false, reason: 'address is not on the allow list' });
    expect(policy.decide('127.0.0.1').allowed).toBe(false);
    expect(policy.decide('::1').allowed).toBe(false);
    expect(policy.decide('::ffff:127.0.0.1').allowed).toBe(false);
  });

  it('matches IPv4-mapped socket addresses against IPv4 rules', () => {
    const policy = createNetworkPolicy({ deny: ['127.0.0.1/32'] });
    expect(policy.decide('::ffff:127.0.0.1').allowed).toBe(false);
    expect(policy.decide('::ffff:127.0.0.2').allowed).toBe(true);
  });

  it('refuses unparseable addresses while any rule exists (fail closed)', () => {
    const policy = createNetworkPolicy({ deny: ['203.0.113.0/24'] });
    expect(policy.decide('')).toEqual({ allowed: false, reason: 'source address unknown or not an IP address' });
    expect(policy.decide('localhost').allowed).toBe(false);
  });

  it('refuses denied countries and explains which', () => {
    const policy = createNetworkPolicy({ denyCountries: ['KP', 'ru'], geoip });
    expect(policy.decide('203.0.113.9')).toEqual({ allowed: false, reason: 'country KP is denied' });
    expect(policy.decide('198.51.100.200')).toEqual({ allowed: false, reason: 'country RU is denied' });
    expect(policy.decide('2001:db8::1')).toEqual({ allowed: false, reason: 'country RU is denied' });
    expect(policy.decide('192.0.2.1').allowed).toBe(true);
    expect(policy.decide('10.0.0.1').allowed).toBe(true);
  });

  it('admits only allowed countries; addresses without a country need a CIDR allow rule', () => {
    const countriesOnly = createNetworkPolicy({ allowCountries: ['DE', 'at'], geoip });
    expect(countriesOnly.decide('192.0.2.1').allowed).toBe(true);
    expect(countriesOnly.decide('198.51.100.1').allowed).toBe(true);
    expect(countriesOnly.decide('198.51.100.200')).toEqual({ allowed: false, reason: 'address (country RU) is not on the allow list' });
    expect(countriesOnly.decide('10.0.0.1')).toEqual({ allowed: false, reason: 'address is not on the allow list' });
    const withInternal = createNetworkPolicy({ allowCountries: ['DE'], allow: ['10.0.0.0/8'], geoip });
    expect(withInternal.decide('10.0.0.1').allowed).toBe(true);
  });

  it('lets every deny rule win over every allow rule, CIDR and country alike', () => {
    expect(createNetworkPolicy({ allowCountries: ['DE'], deny: ['192.0.2.128/25'], geoip }).decide('192.0.2.200').allowed).toBe(false);
    expect(createNetworkPolicy({ allow: ['203.0.113.0/24'], denyCountries: ['KP'], geoip }).decide('203.0.113.1')).toMatchObject({ allowed: false, reason: 'country KP is denied' });
  });

  it('admits trusted proxies without an allow entry, unless a deny rule names them', () => {
    const policy = createNetworkPolicy({ allowCountries: ['DE'], trustedProxies: ['10.0.0.5'], geoip });
    expect(policy.decide('10.0.0.5').allowed).toBe(true);
    expect(policy.decide('10.0.0.6').allowed).toBe(false);
    expect(createNetworkPolicy({ deny: ['10.0.0.0/8'], trustedProxies: ['10.0.0.5'] }).decide('10.0.0.5').allowed).toBe(false);
  });

  it('validates its configuration with coded errors', () => {
    const invalid = (options: Parameters<typeof createNetworkPolicy>[0], message: RegExp) => {
      let caught: unknown;
      try {
        createNetworkPolicy(options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'NETWORK_CONFIG_INVALID' });
      expect((caught as Error).message).toMatch(message);
    };
    invalid({ denyCountries: ['KP'] }, /country rules need a GeoLite2-Country database/);
    invalid({ allowCountries: ['DEU'], geoip }, /allowed countries: "DEU" is not an ISO 3166-1 alpha-2 country code/);
    invalid({ deny: ['10.0.0.0/33'] }, /^deny list: "10\.0\.0\.0\/33"/);
    invalid({ allow: ['10.0.0.1/8'] }, /^allow list: .*did you mean 10\.0\.0\.0\/8\?/);
    invalid({ trustedProxies: ['proxy.local'] }, /^trusted proxies: "proxy\.local"/);
  });
});

describe('createNetworkPolicy: client address behind proxies', () => {
  const policy = createNetworkPolicy({ trustedProxies: ['10.0.0.0/24', '2001:db8:ffff::/48'], deny: ['198.51.100.0/24'] });

  it('ignores a spoofed X-Forwarded-For from an untrusted peer', () => {
    expect(policy.clientAddress('203.0.113.50', '192.0.2.1')).toBe('203.0.113.50');
    expect(policy.clientAddress('::ffff:203.0.113.50', '10.0.0.1')).toBe('203.0.113.50');
    // The spoofer's own address is what is judged, so the header cannot open the gate.
    const spoofer = policy.clientAddress('198.51.100.7', '192.0.2.1');
    expect(spoofer).toBe('198.51.100.7');
    expect(policy.decideForwarded(spoofer).allowed).toBe(false);
  });

  it('takes the rightmost untrusted entry from a trusted proxy', () => {
    expect(policy.clientAddress('10.0.0.1', '192.0.2.1')).toBe('192.0.2.1');
    expect(policy.clientAddress('::ffff:10.0.0.1', '192.0.2.1')).toBe('192.0.2.1');
    // The client wrote "1.2.3.4" itself; the proxy appended what it saw.
    expect(policy.clientAddress('10.0.0.1', '1.2.3.4, 192.0.2.1')).toBe('192.0.2.1');
    expect(policy.clientAddress('10.0.0.1', '1.2.3.4,192.0.2.1 , 10.0.0.2, 10.0.0.3')).toBe('192.0.2.1');
    expect(policy.clientAddress('2001:db8:ffff::1', '2001:DB8:0::7, 2001:db8:ffff::2')).toBe('2001:db8::7');
  });

  it('joins repeated headers in order', () => {
    expect(policy.clientAddress('10.0.0.1', ['198.51.100.7', '10.0.0.2'])).toBe('198.51.100.7');
  });

  it('uses the leftmost entry when every hop is trusted, and the peer when there is no header', () => {
    expect(policy.clientAddress('10.0.0.1', '10.0.0.2, 10.0.0.3')).toBe('10.0.0.2');
    expect(policy.clientAddress('10.0.0.1', undefined)).toBe('10.0.0.1');
    expect(policy.clientAddress('10.0.0.1', '')).toBe('10.0.0.1');
    expect(policy.clientAddress('10.0.0.1', ' , ')).toBe('10.0.0.1');
  });

  it('accepts ports and brackets, and maps IPv4-mapped entries to IPv4', () => {
    expect(policy.clientAddress('10.0.0.1', '192.0.2.1:4711')).toBe('192.0.2.1');
    expect(policy.clientAddress('10.0.0.1', '[2001:db8::7]:443')).toBe('2001:db8::7');
    expect(policy.clientAddress('10.0.0.1', '[2001:db8::7]')).toBe('2001:db8::7');
    expect(policy.clientAddress('10.0.0.1', '::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('falls back to the socket address when the walk meets garbage', () => {
    for (const header of ['not-an-ip', 'unknown', '192.0.2.1, garbage', 'garbage, 10.0.0.2', '[2001:db8::7', '192.0.2.1:99999', '999.0.0.1', `${'x,'.repeat(5000)}x`]) {
      expect(policy.clientAddress('10.0.0.1', header), header).toBe('10.0.0.1');
    }
  });

  it('returns the socket address canonically, or unchanged when it is not an address', () => {
    expect(policy.clientAddress('2001:DB8::0:1', undefined)).toBe('2001:db8::1');
    expect(policy.clientAddress('', '192.0.2.1')).toBe('');
  });

  it('judges the forwarded client with the same rules', () => {
    const client = policy.clientAddress('10.0.0.1', '192.0.2.1, 198.51.100.7');
    expect(client).toBe('198.51.100.7');
    expect(policy.decideForwarded(client)).toEqual({ allowed: false, reason: 'address is on the deny list' });
    expect(policy.decideForwarded(policy.clientAddress('10.0.0.1', '198.51.100.7, 192.0.2.1')).allowed).toBe(true);
    expect(policy.isTrustedProxy('10.0.0.200')).toBe(true);
    expect(policy.isTrustedProxy('10.0.1.1')).toBe(false);
  });
});

describe('loadNetworkPolicy', () => {
  it('loads the GeoIP directory when a country rule needs it', () => {
    const policy = loadNetworkPolicy({ ...NETWORK_CONFIG_DEFAULTS, denyCountries: ['KP'], geoipDir: FIXTURE_DIR });
    expect(policy.decide('203.0.113.1').allowed).toBe(false);
  });

  it('does not touch the GeoIP directory without country rules', () => {
    const policy = loadNetworkPolicy({ ...NETWORK_CONFIG_DEFAULTS, deny: ['203.0.113.0/24'], geoipDir: '/nonexistent' });
    expect(policy.decide('203.0.113.1').allowed).toBe(false);
  });

  it('refuses country rules without a GeoIP directory, and a bad directory', () => {
    expect(() => loadNetworkPolicy({ ...NETWORK_CONFIG_DEFAULTS, allowCountries: ['DE'] })).toThrow(/country rules need a GeoLite2-Country database/);
    expect(() => loadNetworkPolicy({ ...NETWORK_CONFIG_DEFAULTS, allowCountries: ['DE'], geoipDir: '/nonexistent' })).toThrow(/GeoIP directory \/nonexistent does not exist/);
  });
});
