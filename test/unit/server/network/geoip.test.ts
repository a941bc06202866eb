import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIpAddress } from '../../../../server/src/modules/network/address.js';
import { findGeoIpFiles, loadGeoIpCountries, type GeoIpCountries } from '../../../../server/src/modules/network/geoip.js';

const FIXTURE_DIR = fileURLToPath(new URL('../../../fixtures/geoip/', import.meta.url));
const BLOCKS_HEADER = 'network,geoname_id,registered_country_geoname_id,represented_country_geoname_id,is_anonymous_proxy,is_satellite_provider,is_anycast';
const LOCATIONS_HEADER = 'geoname_id,locale_code,continent_code,continent_name,country_iso_code,country_name,is_in_european_union';

describe('GeoLite2-Country fixture', () => {
  let geo: GeoIpCountries;
  beforeAll(() => {
    geo = loadGeoIpCountries(findGeoIpFiles(FIXTURE_DIR));
  });

  it('finds the three files of the archive layout', () => {
    const files = findGeoIpFiles(FIXTURE_DIR);
    expect(files.blocksFiles.map((f) => path.basename(f))).toEqual(['GeoLite2-Country-Blocks-IPv4.csv', 'GeoLite2-Country-Blocks-IPv6.csv']);
    expect(path.basename(files.locationsFile)).toBe('GeoLite2-Country-Locations-en.csv');
  });

  it.each([
    ['192.0.2.0', 'DE'],
    ['192.0.2.255', 'DE'],
    ['::ffff:192.0.2.77', 'DE'],
    ['198.51.100.0', 'AT'],
    ['198.51.100.127', 'AT'],
    // geoname_id empty: the registered country counts.
    ['198.51.100.128', 'RU'],
    ['198.51.100.255', 'RU'],
    // Quoted country names, one with commas.
    ['203.0.113.5', 'KP'],
    ['233.252.1.1', 'BQ'],
    ['2001:db8::1', 'RU'],
    ['2001:db8:7fff:ffff:ffff:ffff:ffff:ffff', 'RU'],
    ['2001:db8:8000::', 'DE'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'DE'],
    ['3fff:fff:ffff::1', 'AT'],
  ])('%s is in %s', (ip, country) => {
    expect(geo.countryOf(ip)).toBe(country);
  });

  it.each([
    ['198.18.0.1', 'anonymous proxy without ids'],
    ['233.252.0.9', 'a continent, no country'],
    ['192.0.1.255', 'just below a network'],
    ['192.0.3.0', 'just above a network'],
    ['10.0.0.1', 'not in the database'],
    ['2001:db9::', 'after the last IPv6 network in 2001:db8::/32'],
    ['3fff:1000::', 'after 3fff::/20'],
    ['not-an-ip', 'garbage'],
  ])('%s has no country (%s)', (ip) => {
    expect(geo.countryOf(ip)).toBeUndefined();
  });

  it('counts only networks that carry a country', () => {
    expect(geo.networks).toBe(8);
  });
});

describe('loadGeoIpCountries on other inputs', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'boxoffice-geoip-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const write = (files: Record<string, string | Buffer>) => {
    const dir = path.join(root, String((n += 1)));
    mkdirSync(dir);
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return dir;
  };
  const locations = `${LOCATIONS_HEADER}\n2921044,en,EU,Europe,DE,Germany,1\n6255148,en,EU,Europe,,,0\n`;
  const load = (blocks: string, locationsText = locations) => {
    const dir = write({ 'b.csv': blocks, 'l.csv': locationsText });
    return loadGeoIpCountries({ blocksFiles: [path.join(dir, 'b.csv')], locationsFile: path.join(dir, 'l.csv') });
  };

  it('finds columns by name: older files without is_anycast and other column orders work', () => {
    const geo = load(
      'registered_country_geoname_id,network,geoname_id\n2921044,192.0.2.0/24,\n',
      'country_iso_code,geoname_id\nDE,2921044\n',
    );
    expect(geo.countryOf('192.0.2.1')).toBe('DE');
  });

  it('reads CRLF files with a byte-order mark', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const dir = write({
      'b.csv': Buffer.concat([bom, Buffer.from(`${BLOCKS_HEADER}\r\n192.0.2.0/24,2921044,2921044,,0,0,\r\n`)]),
      'l.csv': Buffer.concat([bom, Buffer.from(locations.replaceAll('\n', '\r\n'))]),
    });
    const geo = loadGeoIpCountries({ blocksFiles: [path.join(dir, 'b.csv')], locationsFile: path.join(dir, 'l.csv') });
    expect(geo.countryOf('192.0.2.1')).toBe('DE');
  });

  it('skips IPv4-mapped networks of the IPv6 file, which repeat the IPv4 file', () => {
    const dir = write({
      'v4.csv': `${BLOCKS_HEADER}\n192.0.2.0/24,2921044,2921044,,0,0,\n`,
      'v6.csv': `${BLOCKS_HEADER}\n::ffff:192.0.2.0/120,2921044,2921044,,0,0,\n2001:db8::/32,2921044,2921044,,0,0,\n`,
      'l.csv': locations,
    });
    const geo = loadGeoIpCountries({ blocksFiles: [path.join(dir, 'v4.csv'), path.join(dir, 'v6.csv')], locationsFile: path.join(dir, 'l.csv') });
    expect(geo.networks).toBe(2);
    expect(geo.countryOf('::ffff:192.0.2.1')).toBe('DE');
  });

  it.each([
    ['a header without the network column', 'net,geoname_id,registered_country_geoname_id\n', /header line lacks the column "network"/],
    ['an empty blocks file', '', /b\.csv is empty/],
    ['a geoname id the locations file lacks', `${BLOCKS_HEADER}\n192.0.2.0/24,42,42,,0,0,\n`, /b\.csv:2: geoname_id 42 is not in the locations file/],
    ['a malformed network', `${BLOCKS_HEADER}\n192.0.2.0/24,2921044,2921044,,0,0,\n192.0.2.0/33,2921044,2921044,,0,0,\n`, /b\.csv:3: "192\.0\.2\.0\/33" is not a valid network/],
    ['a row with too few fields', `${BLOCKS_HEADER}\n192.0.2.0/24\n`, /b\.csv:2: too few fields/],
    ['overlapping networks', `${BLOCKS_HEADER}\n192.0.2.0/24,2921044,2921044,,0,0,\n192.0.2.128/25,2921044,2921044,,0,0,\n`, /overlapping networks 192\.0\.2\.0-192\.0\.2\.255 and 192\.0\.2\.128-192\.0\.2\.255/],
  ])('refuses %s', (_what, blocks, message) => {
    let caught: unknown;
    try {
      load(blocks);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'NETWORK_CONFIG_INVALID' });
    expect((caught as Error).message).toMatch(message);
  });

  it('refuses a locations file with a bad country code', () => {
    expect(() => load(`${BLOCKS_HEADER}\n`, `${LOCATIONS_HEADER}\n1,en,EU,Europe,DEU,Germany,1\n`)).toThrow(/l\.csv:2: country_iso_code "DEU" is not a two-letter code/);
  });

  it('refuses a directory without the archive files, or with one blocks file missing', () => {
    expect(() => findGeoIpFiles(path.join(root, 'nowhere'))).toThrow(/does not exist/);
    expect(() => findGeoIpFiles(write({ 'other.csv': '' }))).toThrow(/holds no GeoLite2-Country-Locations-en\.csv/);
    const partial = write({ 'GeoLite2-Country-Locations-en.csv': locations, 'GeoLite2-Country-Blocks-IPv4.csv': `${BLOCKS_HEADER}\n` });
    expect(() => findGeoIpFiles(partial)).toThrow(/lacks GeoLite2-Country-Blocks-IPv6\.csv/);
  });

  it('loads a database of real size in reasonable time and answers correctly', () => {
    const rows4: string[] = [BLOCKS_HEADER];
    const rows6: string[] = [BLOCKS_HEADER];
    // 300k IPv4 /24 networks and 100k IPv6 /48 networks, alternating DE and "no country" (continent).
    for (let i = 0; i < 300_000; i += 1) {
      const id = i % 2 === 0 ? '2921044' : '6255148';
      rows4.push(`${formatIpAddress({ family: 4, words: [0x01000000 + i * 256] })}/24,${id},${id},,0,0,`);
    }
    for (let i = 0; i < 100_000; i += 1) {
      const id = i % 2 === 0 ? '2921044' : '6255148';
      rows6.push(`2001:${Math.floor(i / 65536).toString(16)}:${(i % 65536).toString(16)}::/48,${id},${id},,0,0,`);
    }
    const dir = write({
      'GeoLite2-Country-Blocks-IPv4.csv': `${rows4.join('\n')}\n`,
      'GeoLite2-Country-Blocks-IPv6.csv': `${rows6.join('\n')}\n`,
      'GeoLite2-Country-Locations-en.csv': locations,
    });
    const started = performance.now();
    const geo = loadGeoIpCountries(findGeoIpFiles(dir));
    const loadMs = performance.now() - started;
    expect(geo.networks).toBe(200_000);
    expect(geo.countryOf(formatIpAddress({ family: 4, words: [0x01000000 + 1000 * 256 + 7] }))).toBe('DE');
    expect(geo.countryOf(formatIpAddress({ family: 4, words: [0x01000000 + 1001 * 256 + 7] }))).toBeUndefined();
    expect(geo.countryOf('2001:1:2::1')).toBe('DE'); // i = 65538
    expect(geo.countryOf('2001:1:3::1')).toBeUndefined();
    const lookups = performance.now();
    for (let i = 0; i < 100_000; i += 1) geo.countryOf(formatIpAddress({ family: 4, words: [0x01000000 + i * 769] }));
    const lookupMs = performance.now() - lookups;
    expect(loadMs).toBeLessThan(10_000);
    expect(lookupMs).toBeLessThan(2_000);
  });
});
