/**
 * IP addresses as 32-bit words (one for IPv4, four for IPv6, most significant first), so that lookups
 * compare plain numbers instead of strings or BigInts.
 *
 * IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, which Node reports for IPv4 peers on dual-stack
 * sockets) are turned into IPv4 addresses here, at the single entry point, so that every rule and
 * table only ever sees one form of an IPv4 client.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly words: readonly number[];
}

// Longer input is never a valid address; the cap keeps a hostile forwarded-for entry cheap to reject.
const MAX_ADDRESS_LENGTH = 64;
const DECIMAL_OCTET = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Parses `a.b.c.d` without leading zeros (which some parsers read as octal) into one word. */
export function parseIpv4Word(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Parses an IPv6 address in any RFC 4291 text form (`::`, embedded IPv4 tail) into four words, unmapped. */
export function parseIpv6Words(text: string): number[] | undefined {
  let body = text;
  let tail: number[] = [];
  if (body.includes('.')) {
    const cut = body.lastIndexOf(':');
    if (cut < 0) return undefined;
    const v4 = parseIpv4Word(body.slice(cut + 1));
    if (v4 === undefined) return undefined;
    tail = [Math.floor(v4 / 0x10000), v4 % 0x10000];
    // Keep the colon so that "::1.2.3.4" still ends in "::" and the split below sees an empty tail.
    body = body.slice(0, cut + 1);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const gap = body.indexOf('::');
  let groups: string[];
  const wanted = 8 - tail.length;
  if (gap >= 0) {
    if (body.indexOf('::', gap + 1) >= 0) return undefined;
    const head = body.slice(0, gap);
    const rest = body.slice(gap + 2);
    const headGroups = head === '' ? [] : head.split(':');
    const restGroups = rest === '' ? [] : rest.split(':');
    const missing = wanted - headGroups.length - restGroups.length;
    if (missing < 1) return undefined;
    groups = [...headGroups, ...new Array<string>(missing).fill('0'), ...restGroups];
  } else {
    groups = body === '' ? [] : body.split(':');
    if (groups.length !== wanted) return undefined;
  }
  const values: number[] = [];
  for (const group of groups) {
    if (!HEX_GROUP.test(group)) return undefined;
    values.push(parseInt(group, 16));
  }
  values.push(...tail);
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) words.push((values[i] ?? 0) * 0x10000 + (values[i + 1] ?? 0));
  return words;
}

/** True for ::ffff:0:0/96 given as four words. */
export function isIpv4Mapped(words: readonly number[]): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/**
 * Parses a peer or forwarded address. A zone index (`fe80::1%eth0`) is dropped: it names the local
 * interface, not the peer. Returns undefined for anything that is not an IP address.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > MAX_ADDRESS_LENGTH) return undefined;
  if (!text.includes(':')) {
    const v4 = parseIpv4Word(text);
    return v4 === undefined ? undefined : { family: 4, words: [v4] };
  }
  const zone = text.indexOf('%');
  const words = parseIpv6Words(zone >= 0 ? text.slice(0, zone) : text);
  if (words === undefined) return undefined;
  if (isIpv4Mapped(words)) return { family: 4, words: [words[3] ?? 0] };
  return { family: 6, words };
}

export function formatIpv4Word(word: number): string {
  return `${Math.floor(word / 0x1000000) % 256}.${Math.floor(word / 0x10000) % 256}.${Math.floor(word / 0x100) % 256}.${word % 256}`;
}

/** Canonical text (RFC 5952 for IPv6: lower case, longest zero run of two or more groups as "::"). */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) return formatIpv4Word(address.words[0] ?? 0);
  const groups: number[] = [];
  for (const word of address.words) groups.push(Math.floor(word / 0x10000), word % 0x10000);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
