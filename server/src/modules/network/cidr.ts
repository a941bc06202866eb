import { formatIpAddress, isIpv4Mapped, parseIpAddress, parseIpv4Word, parseIpv6Words, type IpAddress } from './address.js';
import { NetworkConfigError } from './errors.js';
import { createRangeTableBuilder, type RangeInput } from './ranges.js';

/** A network as its first and last address (inclusive), in the word form of address.ts. */
export interface Cidr extends RangeInput {
  readonly prefix: number;
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/**
 * Parses `192.0.2.0/24`, `2001:db8::/32` or a bare address (a /32 or /128). Host bits must be zero:
 * `10.0.0.1/8` is far more often a typo than a wish for 10.0.0.0/8, so it is refused with the network
 * it would have meant.
 *
 * An IPv6 network inside ::ffff:0:0/96 (IPv4-mapped) with a prefix of 96 or more becomes the IPv4
 * network it maps, because mapped peer addresses are looked up as IPv4 (see address.ts). Wider IPv6
 * networks such as ::/0 cover native IPv6 only; IPv4 clients are matched by IPv4 rules.
 */
export function parseCidr(text: string): Cidr {
  const fail = (why: string): never => {
    throw new NetworkConfigError(`"${text}" is not a valid network: ${why}`);
  };
  const parts = text.split('/');
  if (parts.length > 2) fail('more than one "/"');
  const [addressText = '', prefixText] = parts;
  if (addressText.includes('%')) fail('a zone index has no place in a network rule');
  if (prefixText !== undefined && !PREFIX.test(prefixText)) fail('the prefix length must be a decimal number');

  let family: 4 | 6;
  let words: number[];
  let prefix: number;
  if (addressText.includes(':')) {
    const parsed = parseIpv6Words(addressText);
    if (parsed === undefined) return fail('not an IPv6 address');
    prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) fail('an IPv6 prefix is at most 128');
    if (isIpv4Mapped(parsed) && prefix >= 96) {
      family = 4;
      words = [parsed[3] ?? 0];
      prefix -= 96;
    } else {
      family = 6;
      words = parsed;
    }
  } else {
    const parsed = parseIpv4Word(addressText);
    if (parsed === undefined) return fail('not an IPv4 address');
    prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) fail('an IPv4 prefix is at most 32');
    family = 4;
    words = [parsed];
  }

  const first: number[] = [];
  const last: number[] = [];
  words.forEach((word, i) => {
    const mask = maskWord(prefix - 32 * i);
    first.push((word & mask) >>> 0);
    last.push((word | ~mask) >>> 0);
  });
  if (first.some((word, i) => word !== words[i])) {
    fail(`host bits are set; did you mean ${formatIpAddress({ family, words: first })}/${prefix}?`);
  }
  return { family, prefix, first, last };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpAddress({ family: cidr.family, words: cidr.first })}/${cidr.prefix}`;
}

/** Network bits of one 32-bit word given the bits of the prefix that remain for it (may be <0 or >32). */
function maskWord(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

export interface CidrMatcher {
  /** False for text that is not an IP address. */
  matches(address: string | IpAddress): boolean;
  /** Disjoint ranges after merging overlaps. */
  readonly size: number;
}

/**
 * Builds a matcher from CIDR texts. Every entry is validated; the first bad one fails the whole list
 * with a message naming the list (e.g. "deny list"), so a typo never silently drops a rule.
 */
export function createCidrMatcher(entries: readonly string[], listName = 'network list'): CidrMatcher {
  const builder = createRangeTableBuilder<true>('merge');
  for (const entry of entries) {
    const text = entry.trim();
    if (text === '') throw new NetworkConfigError(`${listName} contains an empty entry`);
    try {
      builder.add(parseCidr(text), true);
    } catch (error) {
      if (error instanceof NetworkConfigError) throw new NetworkConfigError(`${listName}: ${error.message}`);
      throw error;
    }
  }
  const table = builder.build();
  return {
    size: table.size,
    matches(address) {
      const parsed = typeof address === 'string' ? parseIpAddress(address) : address;
      return parsed !== undefined && table.lookup(parsed) === true;
    },
  };
}
