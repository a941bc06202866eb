import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseIpAddress } from './address.js';
import { parseCidr } from './cidr.js';
import { readCsvFile } from './csv.js';
import { NetworkConfigError } from './errors.js';
import { createRangeTableBuilder } from './ranges.js';

/** What the network policy needs from a GeoIP database. */
export interface CountryLookup {
  /** ISO 3166-1 alpha-2 code (upper case), or undefined when the address has no country. */
  countryOf(ip: string): string | undefined;
}

export interface GeoIpCountries extends CountryLookup {
  /** Disjoint networks that carry a country. */
  readonly networks: number;
}

export interface GeoIpFiles {
  /** `…-Blocks-IPv4.csv` and `…-Blocks-IPv6.csv`. */
  blocksFiles: readonly string[];
  /** `…-Locations-en.csv` (any locale works; only geoname_id and country_iso_code are read). */
  locationsFile: string;
}

const COUNTRY_CODE = /^[A-Z]{2}$/;
const GEONAME_ID = /^\d{1,12}$/;

/**
 * Loads a MaxMind GeoLite2-Country (or GeoIP2-Country) CSV database. Columns are found by their header
 * names, so the optional is_anycast column of newer releases does not matter.
 *
 * A network's country is that of its geoname_id (where the addresses are used) and, where that is
 * empty (anonymous proxies, satellite providers), of registered_country_geoname_id (who holds them).
 * Networks whose location is a continent only, or that have neither id, get no country. Networks in
 * the IPv4-mapped part of the IPv6 file are skipped: they repeat the IPv4 file, and mapped peers are
 * looked up as IPv4 anyway.
 *
 * Files are read synchronously in chunks: this runs once at start, before the server listens.
 */
export function loadGeoIpCountries(files: GeoIpFiles): GeoIpCountries {
  if (files.blocksFiles.length === 0) throw new NetworkConfigError('GeoIP: no blocks file given');
  const countries = readLocations(files.locationsFile);
  const builder = createRangeTableBuilder<string>('reject');
  for (const file of files.blocksFiles) {
    let columns: { network: number; geoname: number; registered: number } | undefined;
    readCsvFile(file, (fields, line) => {
      if (columns === undefined) {
        const header = headerIndex(fields, file);
        columns = {
          network: header.require('network'),
          geoname: header.require('geoname_id'),
          registered: header.require('registered_country_geoname_id'),
        };
        return;
      }
      const where = `${file}:${line}`;
      const network = fields[columns.network] ?? '';
      const geoname = fields[columns.geoname];
      const registered = fields[columns.registered];
      if (geoname === undefined || registered === undefined) throw new NetworkConfigError(`${where}: too few fields`);
      const cidr = withLocation(where, () => parseCidr(network));
      if (cidr.family === 4 && network.includes(':')) return;
      const country = countryFor(countries, geoname, where) ?? countryFor(countries, registered, where);
      if (country !== undefined) builder.add(cidr, country);
    });
    if (columns === undefined) throw new NetworkConfigError(`${file} is empty; expected a GeoLite2 blocks file with a header line`);
  }
  const table = withLocation(`GeoIP blocks ${files.blocksFiles.join(', ')}`, () => builder.build());
  return {
    networks: table.size,
    countryOf(ip) {
      const address = parseIpAddress(ip);
      return address === undefined ? undefined : table.lookup(address);
    },
  };
}

/**
 * Finds the CSV files of an unpacked GeoLite2-Country-CSV (or GeoIP2-Country-CSV) archive in a
 * directory. Both blocks files are required: without the IPv6 one, IPv6 clients of a denied country
 * would pass unnoticed.
 */
export function findGeoIpFiles(dir: string): GeoIpFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NetworkConfigError(`GeoIP directory ${dir} does not exist`);
  for (const edition of ['GeoLite2-Country', 'GeoIP2-Country']) {
    const locationsFile = path.join(dir, `${edition}-Locations-en.csv`);
    if (!existsSync(locationsFile)) continue;
    const blocksFiles = ['IPv4', 'IPv6'].map((family) => path.join(dir, `${edition}-Blocks-${family}.csv`));
    const missing = blocksFiles.filter((file) => !existsSync(file));
    if (missing.length > 0) throw new NetworkConfigError(`GeoIP directory ${dir} lacks ${missing.map((f) => path.basename(f)).join(' and ')}`);
    return { blocksFiles, locationsFile };
  }
  throw new NetworkConfigError(`GeoIP directory ${dir} holds no GeoLite2-Country-Locations-en.csv; unpack the GeoLite2-Country-CSV archive there`);
}

/** geoname_id → country code, with '' for locations that are a continent only. */
function readLocations(file: string): Map<string, string> {
  const countries = new Map<string, string>();
  let columns: { geoname: number; country: number } | undefined;
  readCsvFile(file, (fields, line) => {
    if (columns === undefined) {
      const header = headerIndex(fields, file);
      columns = { geoname: header.require('geoname_id'), country: header.require('country_iso_code') };
      return;
    }
    const where = `${file}:${line}`;
    const geoname = fields[columns.geoname];
    const country = fields[columns.country]?.toUpperCase();
    if (geoname === undefined || country === undefined) throw new NetworkConfigError(`${where}: too few fields`);
    if (!GEONAME_ID.test(geoname)) throw new NetworkConfigError(`${where}: geoname_id "${geoname}" is not a number`);
    if (country !== '' && !COUNTRY_CODE.test(country)) throw new NetworkConfigError(`${where}: country_iso_code "${country}" is not a two-letter code`);
    countries.set(geoname, country);
  });
  if (columns === undefined) throw new NetworkConfigError(`${file} is empty; expected a GeoLite2 locations file with a header line`);
  return countries;
}

function countryFor(countries: Map<string, string>, geoname: string, where: string): string | undefined {
  if (geoname === '') return undefined;
  const country = countries.get(geoname);
  // An id the locations file does not know means the two files are from different releases.
  if (country === undefined) throw new NetworkConfigError(`${where}: geoname_id ${geoname} is not in the locations file`);
  return country === '' ? undefined : country;
}

function withLocation<R>(where: string, action: () => R): R {
  try {
    return action();
  } catch (error) {
    if (error instanceof NetworkConfigError) throw new NetworkConfigError(`${where}: ${error.message}`);
    throw error;
  }
}

function headerIndex(fields: readonly string[], file: string): { require(name: string): number } {
  const names = fields.map((f) => f.trim());
  return {
    require(name) {
      const index = names.indexOf(name);
      if (index < 0) throw new NetworkConfigError(`${file}: header line lacks the column "${name}" (found: ${names.join(',')})`);
      return index;
    },
  };
}
