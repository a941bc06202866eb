import { Type, type Static } from 'typebox';
import { findGeoIpFiles, loadGeoIpCountries } from './geoip.js';
import { createNetworkPolicy, type NetworkPolicy } from './policy.js';

const List = Type.Array(Type.String({ minLength: 1 }), { maxItems: 100_000 });

/**
 * The `network` section of the server configuration. Entries are validated in depth by
 * createNetworkPolicy (CIDR syntax, host bits, country codes), which names the list and the entry.
 */
export const NetworkConfigSchema = Type.Object({
  /** CIDRs or addresses that may connect; when non-empty (or allowCountries is), nothing else may. */
  allow: List,
  /** CIDRs or addresses that may not connect; wins over every allow rule. */
  deny: List,
  allowCountries: Type.Array(Type.String({ pattern: '^[A-Za-z]{2}$' }), { maxItems: 300 }),
  denyCountries: Type.Array(Type.String({ pattern: '^[A-Za-z]{2}$' }), { maxItems: 300 }),
  /** Proxies / load balancers whose X-Forwarded-For header is believed. */
  trustedProxies: List,
  /** Directory with the unpacked GeoLite2-Country-CSV files; needed for country rules only. */
  geoipDir: Type.Optional(Type.String({ minLength: 1 })),
});

export type NetworkConfig = Static<typeof NetworkConfigSchema>;

export const NETWORK_CONFIG_DEFAULTS: NetworkConfig = {
  allow: [],
  deny: [],
  allowCountries: [],
  denyCountries: [],
  trustedProxies: [],
};

/** Environment variables for config.ts; all but BOXOFFICE_GEOIP_DIR are comma-separated lists. */
export const NETWORK_ENV_KEYS = {
  BOXOFFICE_NET_ALLOW: 'network.allow',
  BOXOFFICE_NET_DENY: 'network.deny',
  BOXOFFICE_NET_ALLOW_COUNTRIES: 'network.allowCountries',
  BOXOFFICE_NET_DENY_COUNTRIES: 'network.denyCountries',
  BOXOFFICE_TRUSTED_PROXIES: 'network.trustedProxies',
  BOXOFFICE_GEOIP_DIR: 'network.geoipDir',
} as const;

export const NETWORK_LIST_KEYS: ReadonlySet<string> = new Set([
  'network.allow',
  'network.deny',
  'network.allowCountries',
  'network.denyCountries',
  'network.trustedProxies',
]);

/**
 * Builds the policy from configuration, loading the GeoIP files only when a country rule needs them
 * (the full database costs some megabytes and a second or so). Throws NetworkConfigError.
 */
export function loadNetworkPolicy(config: NetworkConfig): NetworkPolicy {
  const needsGeoIp = config.allowCountries.length > 0 || config.denyCountries.length > 0;
  const geoip = needsGeoIp && config.geoipDir !== undefined ? loadGeoIpCountries(findGeoIpFiles(config.geoipDir)) : undefined;
  return createNetworkPolicy({
    allow: config.allow,
    deny: config.deny,
    allowCountries: config.allowCountries,
    denyCountries: config.denyCountries,
    trustedProxies: config.trustedProxies,
    ...(geoip !== undefined ? { geoip } : {}),
  });
}
