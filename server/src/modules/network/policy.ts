import { formatIpAddress, parseIpAddress, type IpAddress } from './address.js';
import { createCidrMatcher } from './cidr.js';
import { NetworkConfigError } from './errors.js';
import type { CountryLookup } from './geoip.js';

export interface NetworkPolicyOptions {
  /** CIDRs or bare addresses that may connect. */
  allow?: readonly string[];
  /** CIDRs or bare addresses that may not connect. */
  deny?: readonly string[];
  /** ISO 3166-1 alpha-2 codes that may connect; needs geoip. */
  allowCountries?: readonly string[];
  /** ISO 3166-1 alpha-2 codes that may not connect; needs geoip. */
  denyCountries?: readonly string[];
  geoip?: CountryLookup;
  /** Reverse proxies / load balancers whose X-Forwarded-For is believed. */
  trustedProxies?: readonly string[];
}

export interface NetworkDecision {
  allowed: boolean;
  /** Why a source was refused; for logs, never for the client. */
  reason?: string;
}

export interface NetworkPolicy {
  /** Whether any allow or deny rule exists; without one every source is allowed. */
  readonly active: boolean;
  /** Connection-level decision on the socket's peer address (the only address known before a request). */
  decide(socketAddress: string): NetworkDecision;
  /**
   * Request-level decision on the client address from clientAddress(). Connection-level closing only
   * protects against direct peers; a client behind a trusted proxy shares the proxy's connection and
   * can only be refused per request (403 SOURCE_DENIED, see guard.ts).
   */
  decideForwarded(clientAddress: string): NetworkDecision;
  /** The address of the client a request is for, in canonical form; see createNetworkPolicy. */
  clientAddress(socketAddress: string, forwardedFor: string | readonly string[] | undefined): string;
  isTrustedProxy(address: string): boolean;
}

const COUNTRY_CODE = /^[A-Z]{2}$/;
const ALLOWED: NetworkDecision = Object.freeze({ allowed: true });

/**
 * Builds the network access policy. Every list is validated here, once, at start (NetworkConfigError,
 * code NETWORK_CONFIG_INVALID).
 *
 * Semantics of a decision about an address:
 * 1. Without any allow or deny rule, everything is allowed.
 * 2. Deny wins over allow: an address in `deny`, or whose country is in `denyCountries`, is refused
 *    even when an allow rule also matches.
 * 3. When an allow list is non-empty (`allow` or `allowCountries`), only addresses matching one of
 *    them pass; an address without a known country (private networks, unlisted ranges) does not match
 *    `allowCountries`, so internal networks belong in `allow`.
 * 4. Trusted proxies pass step 3 without being listed: declaring a proxy trusted says its connections
 *    are expected, and the clients behind it are judged per request. A deny rule still refuses them.
 * 5. Loopback and private addresses are not special; operators list them like any other network.
 * 6. Text that is not an IP address is refused while any rule exists (fail closed).
 *
 * The connection-level decision (decide) uses the socket's peer address only: X-Forwarded-For arrives
 * with the request, after the TLS handshake, and a header a client can write must never open the gate.
 *
 * clientAddress(): when the peer is a trusted proxy, X-Forwarded-For is walked from the right (the
 * entry the nearest proxy appended), skipping trusted proxies, and the first untrusted address is the
 * client. If every entry is trusted, the leftmost one is. An entry that is not an IP address (entries
 * with a port or in brackets are accepted) ends the walk and the socket address is used, since nothing
 * left of it can be attributed; empty entries are skipped. When the peer is not trusted, the header is
 * ignored entirely.
 */
export function createNetworkPolicy(options: NetworkPolicyOptions = {}): NetworkPolicy {
  const allow = createCidrMatcher(options.allow ?? [], 'allow list');
  const deny = createCidrMatcher(options.deny ?? [], 'deny list');
  const proxies = createCidrMatcher(options.trustedProxies ?? [], 'trusted proxies');
  const allowCountries = countrySet(options.allowCountries ?? [], 'allowed countries');
  const denyCountries = countrySet(options.denyCountries ?? [], 'denied countries');
  const geoip = options.geoip;
  if ((allowCountries.size > 0 || denyCountries.size > 0) && geoip === undefined) {
    throw new NetworkConfigError('country rules need a GeoLite2-Country database; configure its directory or remove the country lists');
  }
  const hasAllowList = allow.size > 0 || allowCountries.size > 0;
  const active = hasAllowList || deny.size > 0 || denyCountries.size > 0;

  const evaluate = (text: string): NetworkDecision => {
    if (!active) return ALLOWED;
    const address = parseIpAddress(text);
    if (address === undefined) return { allowed: false, reason: 'source address unknown or not an IP address' };
    if (deny.matches(address)) return { allowed: false, reason: 'address is on the deny list' };
    const country = geoip !== undefined && (denyCountries.size > 0 || allowCountries.size > 0) ? geoip.countryOf(formatIpAddress(address)) : undefined;
    if (country !== undefined && denyCountries.has(country)) return { allowed: false, reason: `country ${country} is denied` };
    if (!hasAllowList) return ALLOWED;
    if (allow.matches(address) || (country !== undefined && allowCountries.has(country)) || proxies.matches(address)) return ALLOWED;
    return { allowed: false, reason: country === undefined ? 'address is not on the allow list' : `address (country ${country}) is not on the allow list` };
  };

  return {
    active,
    decide: evaluate,
    decideForwarded: evaluate,
    isTrustedProxy: (address) => proxies.matches(address),
    clientAddress(socketAddress, forwardedFor) {
      const peer = parseIpAddress(socketAddress);
      if (peer === undefined) return socketAddress;
      const fallback = formatIpAddress(peer);
      if (!proxies.matches(peer) || forwardedFor === undefined) return fallback;
      const entries = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',')).split(',');
      let leftmost: IpAddress | undefined;
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const entry = (entries[i] ?? '').trim();
        // An empty entry (empty header, doubled comma) names no hop; the walk still stops at the first
        // untrusted address, so skipping it cannot move the result past a client-written entry.
        if (entry === '') continue;
        const hop = parseForwardedEntry(entry);
        if (hop === undefined) return fallback;
        if (!proxies.matches(hop)) return formatIpAddress(hop);
        leftmost = hop;
      }
      return leftmost === undefined ? fallback : formatIpAddress(leftmost);
    },
  };
}

/** `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`. */
function parseForwardedEntry(entry: string): IpAddress | undefined {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) return undefined;
    const rest = entry.slice(close + 1);
    if (rest !== '' && !isPort(rest.slice(1))) return undefined;
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    return parseIpAddress(entry.slice(1, close));
  }
  const v4WithPort = /^([\d.]+):(\d+)$/.exec(entry);
  if (v4WithPort !== null) return isPort(v4WithPort[2] ?? '') ? parseIpAddress(v4WithPort[1] ?? '') : undefined;
  return parseIpAddress(entry);
}

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535;
}

function countrySet(codes: readonly string[], listName: string): Set<string> {
  const set = new Set<string>();
  for (const raw of codes) {
    const code = raw.trim().toUpperCase();
    if (!COUNTRY_CODE.test(code)) throw new NetworkConfigError(`${listName}: "${raw}" is not an ISO 3166-1 alpha-2 country code`);
    set.add(code);
  }
  return set;
}
