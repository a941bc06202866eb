import { Type, type Static } from 'typebox';
import { createCidrMatcher } from '../network/cidr.js';
import { NetworkConfigError } from '../network/errors.js';

/** A signal kind's limit: `threshold` signals of one source within `windowSeconds` block it. */
const Rule = Type.Object({
  threshold: Type.Integer({ minimum: 1, maximum: 100_000 }),
  windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
});

/**
 * The `intrusion` section of the server configuration (see README, "Intrusion prevention"). Cross-field
 * rules that the schema cannot express are checked by intrusionConfigProblem.
 */
export const IntrusionConfigSchema = Type.Object({
  /** Off: no signals are recorded and nothing is blocked (existing blocks are not enforced either). */
  enabled: Type.Boolean(),
  /** CIDRs or addresses that are never blocked and produce no signals (e.g. the outlets' NAT addresses). */
  allow: Type.Array(Type.String({ minLength: 1 }), { maxItems: 10_000 }),
  /** 400, 404 and 405 answers and unknown routes for clients without a registered workstation certificate (route scanning). */
  scan: Rule,
  /** Failed logins: `threshold` counts distinct login names (password spraying), not attempts. */
  loginSpray: Rule,
  /** Failed TLS handshakes and client certificates not issued by the platform CA. */
  tls: Rule,
  /** Requests carrying SQL, script or path-traversal payloads (server/src/modules/intrusion/signatures.ts). */
  injection: Rule,
  /** Block durations by escalation level: the first block lasts the first entry, the next the second, … */
  blockMinutes: Type.Array(Type.Integer({ minimum: 1, maximum: 525_600 }), { minItems: 1, maxItems: 10 }),
  /** Earlier blocks of a source (not lifted by an operator) within this many hours raise the level. */
  escalationHours: Type.Integer({ minimum: 1, maximum: 8760 }),
  /** Signals older than this are deleted (at least as long as the longest window). */
  signalRetentionHours: Type.Integer({ minimum: 1, maximum: 8760 }),
  /** Ended blocks older than this are deleted (at least as long as escalationHours). */
  blockRetentionDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  /** How often each server instance reloads the active blocks from the database. */
  cacheSeconds: Type.Integer({ minimum: 1, maximum: 60 }),
});

export type IntrusionConfig = Static<typeof IntrusionConfigSchema>;

export type SignalKind = 'scan' | 'login_failure' | 'tls' | 'injection';

/**
 * Defaults sized so that people never trip them: a station or browser without a session rarely
 * produces more than a handful of 404/400 answers, a scanner thousands per minute; ten different
 * accounts failing from one address within 15 minutes is spraying, not a shift change.
 */
export const INTRUSION_CONFIG_DEFAULTS: IntrusionConfig = {
  enabled: true,
  allow: [],
  scan: { threshold: 100, windowSeconds: 300 },
  loginSpray: { threshold: 10, windowSeconds: 900 },
  tls: { threshold: 20, windowSeconds: 300 },
  injection: { threshold: 5, windowSeconds: 600 },
  blockMinutes: [15, 60, 1440],
  escalationHours: 168,
  signalRetentionHours: 24,
  blockRetentionDays: 90,
  cacheSeconds: 3,
};

export const INTRUSION_ENV_KEYS = {
  BOXOFFICE_INTRUSION_ENABLED: 'intrusion.enabled',
  BOXOFFICE_INTRUSION_ALLOW: 'intrusion.allow',
  BOXOFFICE_INTRUSION_SCAN_THRESHOLD: 'intrusion.scan.threshold',
  BOXOFFICE_INTRUSION_SCAN_WINDOW_SECONDS: 'intrusion.scan.windowSeconds',
  BOXOFFICE_INTRUSION_SPRAY_ACCOUNTS: 'intrusion.loginSpray.threshold',
  BOXOFFICE_INTRUSION_SPRAY_WINDOW_SECONDS: 'intrusion.loginSpray.windowSeconds',
  BOXOFFICE_INTRUSION_TLS_THRESHOLD: 'intrusion.tls.threshold',
  BOXOFFICE_INTRUSION_TLS_WINDOW_SECONDS: 'intrusion.tls.windowSeconds',
  BOXOFFICE_INTRUSION_INJECTION_THRESHOLD: 'intrusion.injection.threshold',
  BOXOFFICE_INTRUSION_INJECTION_WINDOW_SECONDS: 'intrusion.injection.windowSeconds',
  BOXOFFICE_INTRUSION_BLOCK_MINUTES: 'intrusion.blockMinutes',
  BOXOFFICE_INTRUSION_ESCALATION_HOURS: 'intrusion.escalationHours',
  BOXOFFICE_INTRUSION_SIGNAL_RETENTION_HOURS: 'intrusion.signalRetentionHours',
  BOXOFFICE_INTRUSION_BLOCK_RETENTION_DAYS: 'intrusion.blockRetentionDays',
  BOXOFFICE_INTRUSION_CACHE_SECONDS: 'intrusion.cacheSeconds',
} as const;

/** Keys whose environment value is a comma-separated list. */
export const INTRUSION_LIST_KEYS: ReadonlySet<string> = new Set(['intrusion.allow', 'intrusion.blockMinutes']);

/** The rule of a signal kind. */
export function ruleFor(config: IntrusionConfig, kind: SignalKind): { threshold: number; windowSeconds: number } {
  switch (kind) {
    case 'scan':
      return config.scan;
    case 'login_failure':
      return config.loginSpray;
    case 'tls':
      return config.tls;
    case 'injection':
      return config.injection;
  }
}

/** What the schema cannot say; returns one readable line naming the key, or undefined when all is well. */
export function intrusionConfigProblem(config: IntrusionConfig): string | undefined {
  try {
    createCidrMatcher(config.allow, 'allow list');
  } catch (error) {
    if (error instanceof NetworkConfigError) return `intrusion.allow: ${error.message}`;
    throw error;
  }
  for (let i = 1; i < config.blockMinutes.length; i += 1) {
    if ((config.blockMinutes[i] ?? 0) < (config.blockMinutes[i - 1] ?? 0)) return 'intrusion.blockMinutes must not decrease (later blocks last at least as long)';
  }
  const longestWindow = Math.max(config.scan.windowSeconds, config.loginSpray.windowSeconds, config.tls.windowSeconds, config.injection.windowSeconds);
  if (config.signalRetentionHours * 3600 < longestWindow) return `intrusion.signalRetentionHours must cover the longest window (${longestWindow} s)`;
  if (config.blockRetentionDays * 24 < config.escalationHours) return 'intrusion.blockRetentionDays must cover intrusion.escalationHours';
  return undefined;
}
