import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { INTRUSION_CONFIG_DEFAULTS, INTRUSION_ENV_KEYS, INTRUSION_LIST_KEYS, IntrusionConfigSchema, intrusionConfigProblem } from './modules/intrusion/config.js';
import { NETWORK_CONFIG_DEFAULTS, NETWORK_ENV_KEYS, NETWORK_LIST_KEYS, NetworkConfigSchema } from './modules/network/config.js';

/**
 * Server configuration. Sources, later ones winning: built-in defaults, a JSON file named by
 * BOXOFFICE_CONFIG, environment variables. Everything is validated once at start; an invalid value
 * stops the process with one readable line (see ConfigError) instead of failing later mid-request.
 */
export const ServerConfigSchema = Type.Object({
  mode: Type.Union([Type.Literal('production'), Type.Literal('development'), Type.Literal('test')]),
  dataDir: Type.String({ minLength: 1 }),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  /** DNS names and IP addresses the server certificate is issued for. */
  serverNames: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  tls: Type.Object({
    certFile: Type.String({ minLength: 1 }),
    keyFile: Type.String({ minLength: 1 }),
    caFile: Type.String({ minLength: 1 }),
  }),
  database: Type.Object({
    /** PostgreSQL server connection; when absent the embedded PGlite under dataDir is used. */
    url: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    /** Connection used to run migrations (table owner); defaults to url. */
    adminUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    poolMax: Type.Integer({ minimum: 1, maximum: 200 }),
    connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000 }),
  }),
  logLevel: Type.Union([
    Type.Literal('fatal'),
    Type.Literal('error'),
    Type.Literal('warn'),
    Type.Literal('info'),
    Type.Literal('debug'),
    Type.Literal('trace'),
    Type.Literal('silent'),
  ]),
  bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 50 * 1024 * 1024 }),
  requestTimeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000 }),
  shutdownGraceMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
  /** On SIGTERM readiness answers 503 for this long while requests are still served, so load balancers stop sending new ones. */
  shutdownDrainMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
  /** The request headers must have arrived within this time (slow-loris connections are closed); at most requestTimeoutMs. */
  headersTimeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000 }),
  /** An idle keep-alive connection is closed after this; keep it longer than the load balancer's own idle timeout. */
  keepAliveTimeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000 }),
  /** A connection without any traffic for this long is closed, also while a request is being answered. */
  connectionTimeoutMs: Type.Integer({ minimum: 1000, maximum: 3_600_000 }),
  /** Per-route request limits per workstation in fixed windows, counted in the database (all instances share them); 0 switches a limit off. */
  limits: Type.Object({
    windowSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    perWorkstation: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    loginPerWorkstation: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    heavyPerWorkstation: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  }),
  sessions: Type.Object({
    /** Absolute session lifetime; the product brief requires sessions to end after 8 hours at the latest. */
    absoluteHours: Type.Number({ minimum: 0.25, maximum: 8 }),
    /** Inactivity after which a session ends; 0 switches the idle timeout off. */
    idleMinutes: Type.Integer({ minimum: 0, maximum: 480 }),
  }),
  /** Connection allow/deny lists (CIDR, countries) and trusted proxies; see modules/network. */
  network: NetworkConfigSchema,
  /** Intrusion prevention: signal thresholds, block durations, never-blocked networks; see modules/intrusion. */
  intrusion: IntrusionConfigSchema,
  /** Directory of the built renderer, served at /app/ for back-office work in a browser. */
  rendererDir: Type.String({ minLength: 1 }),
  printing: Type.Object({
    /** IANA time zone in which ticket faces and the blank stock report show times. */
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    /** A print job neither confirmed nor spoiled after this many minutes is flagged unresolved. */
    unresolvedAfterMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
  }),
  /** Backups (server/src/backup): where they go, which role dumps, how many are kept per period. */
  backup: Type.Object({
    dir: Type.String({ minLength: 1 }),
    /** A role that bypasses row-level security (superuser or BYPASSRLS); defaults to adminUrl, then url. */
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    keep: Type.Object({
      hourly: Type.Integer({ minimum: 0, maximum: 100_000 }),
      daily: Type.Integer({ minimum: 0, maximum: 100_000 }),
      weekly: Type.Integer({ minimum: 0, maximum: 100_000 }),
      monthly: Type.Integer({ minimum: 0, maximum: 100_000 }),
    }),
    /** Run the backup schedule inside the server (PostgreSQL only), e.g. "1h"; one instance per slot. */
    every: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*(s|m|h|d)$' })),
    /** Encrypt scheduled backups with BOXOFFICE_BACKUP_KEY. */
    encrypt: Type.Boolean(),
  }),
});

export type ServerConfig = Static<typeof ServerConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const ENV_KEYS = {
  NODE_ENV: 'mode',
  BOXOFFICE_DATA_DIR: 'dataDir',
  BOXOFFICE_HOST: 'host',
  BOXOFFICE_PORT: 'port',
  BOXOFFICE_SERVER_NAMES: 'serverNames',
  BOXOFFICE_TLS_CERT_FILE: 'tls.certFile',
  BOXOFFICE_TLS_KEY_FILE: 'tls.keyFile',
  BOXOFFICE_TLS_CA_FILE: 'tls.caFile',
  DATABASE_URL: 'database.url',
  DATABASE_ADMIN_URL: 'database.adminUrl',
  BOXOFFICE_DB_POOL_MAX: 'database.poolMax',
  BOXOFFICE_DB_CONNECT_TIMEOUT_MS: 'database.connectTimeoutMs',
  BOXOFFICE_LOG_LEVEL: 'logLevel',
  BOXOFFICE_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  BOXOFFICE_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  BOXOFFICE_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  BOXOFFICE_SHUTDOWN_DRAIN_MS: 'shutdownDrainMs',
  BOXOFFICE_HEADERS_TIMEOUT_MS: 'headersTimeoutMs',
  BOXOFFICE_KEEP_ALIVE_TIMEOUT_MS: 'keepAliveTimeoutMs',
  BOXOFFICE_CONNECTION_TIMEOUT_MS: 'connectionTimeoutMs',
  BOXOFFICE_RATE_WINDOW_SECONDS: 'limits.windowSeconds',
  BOXOFFICE_RATE_PER_WORKSTATION: 'limits.perWorkstation',
  BOXOFFICE_RATE_LOGIN_PER_WORKSTATION: 'limits.loginPerWorkstation',
  BOXOFFICE_RATE_HEAVY_PER_WORKSTATION: 'limits.heavyPerWorkstation',
  BOXOFFICE_RENDERER_DIR: 'rendererDir',
  BOXOFFICE_SESSION_ABSOLUTE_HOURS: 'sessions.absoluteHours',
  BOXOFFICE_SESSION_IDLE_MINUTES: 'sessions.idleMinutes',
  BOXOFFICE_PRINT_TIME_ZONE: 'printing.timeZone',
  BOXOFFICE_PRINT_UNRESOLVED_MINUTES: 'printing.unresolvedAfterMinutes',
  BOXOFFICE_BACKUP_DIR: 'backup.dir',
  BOXOFFICE_BACKUP_DATABASE_URL: 'backup.databaseUrl',
  BOXOFFICE_BACKUP_KEEP_HOURLY: 'backup.keep.hourly',
  BOXOFFICE_BACKUP_KEEP_DAILY: 'backup.keep.daily',
  BOXOFFICE_BACKUP_KEEP_WEEKLY: 'backup.keep.weekly',
  BOXOFFICE_BACKUP_KEEP_MONTHLY: 'backup.keep.monthly',
  BOXOFFICE_BACKUP_EVERY: 'backup.every',
  BOXOFFICE_BACKUP_ENCRYPT: 'backup.encrypt',
  ...NETWORK_ENV_KEYS,
  ...INTRUSION_ENV_KEYS,
} as const;

/** Documented in the README's configuration reference; kept here so the two can be compared in a test. */
export const CONFIG_ENV_VARIABLES = ['BOXOFFICE_CONFIG', ...Object.keys(ENV_KEYS)] as const;

export interface LoadConfigOptions {
  env?: Env;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const raw: Record<string, unknown> = {};

  const file = env['BOXOFFICE_CONFIG'];
  if (file !== undefined && file !== '') mergeDeep(raw, readConfigFile(path.resolve(cwd, file)));

  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const isList = key === 'serverNames' || NETWORK_LIST_KEYS.has(key) || INTRUSION_LIST_KEYS.has(key);
    setPath(raw, key, isList ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);
  }
  if (raw['mode'] === undefined) raw['mode'] = 'development';

  const dataDir = path.resolve(cwd, typeof raw['dataDir'] === 'string' ? raw['dataDir'] : 'data');
  raw['dataDir'] = dataDir;
  const pki = path.join(dataDir, 'pki');
  const defaults: Record<string, unknown> = {
    host: '127.0.0.1',
    port: 8443,
    serverNames: ['localhost', '127.0.0.1'],
    tls: {
      certFile: path.join(pki, 'server.cert.pem'),
      keyFile: path.join(pki, 'server.key.pem'),
      caFile: path.join(pki, 'ca.cert.pem'),
    },
    database: { poolMax: 10, connectTimeoutMs: 5000 },
    logLevel: raw['mode'] === 'test' ? 'silent' : 'info',
    bodyLimitBytes: 256 * 1024,
    requestTimeoutMs: 30_000,
    shutdownGraceMs: 10_000,
    shutdownDrainMs: 5000,
    headersTimeoutMs: 10_000,
    keepAliveTimeoutMs: 65_000,
    connectionTimeoutMs: 120_000,
    limits: { windowSeconds: 60, perWorkstation: 3000, loginPerWorkstation: 120, heavyPerWorkstation: 60 },
    rendererDir: path.resolve(cwd, 'build/renderer'),
    sessions: { absoluteHours: 8, idleMinutes: 60 },
    printing: { timeZone: 'Europe/Berlin', unresolvedAfterMinutes: 15 },
    backup: { dir: path.join(dataDir, 'backups'), keep: { hourly: 24, daily: 14, weekly: 13, monthly: 12 }, encrypt: false },
    network: structuredClone(NETWORK_CONFIG_DEFAULTS),
    intrusion: structuredClone(INTRUSION_CONFIG_DEFAULTS),
  };
  const merged = mergeDeep(structuredClone(defaults), raw);

  const unknown = findUnknownKeys(merged);
  if (unknown.length > 0) throw new ConfigError(`unknown configuration key "${unknown[0]}"`);

  const converted = Value.Convert(ServerConfigSchema, merged);
  const firstError = [...Value.Errors(ServerConfigSchema, converted)][0];
  if (firstError !== undefined) {
    const where = firstError.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const got = readPath(merged, where);
    throw new ConfigError(`${where} ${firstError.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
  }
  const config = converted as ServerConfig;
  for (const name of config.serverNames) {
    if (isIP(name) === 0 && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(name)) {
      throw new ConfigError(`serverNames contains "${name}", which is neither a DNS name nor an IP address`);
    }
  }
  for (const key of ['certFile', 'keyFile', 'caFile'] as const) config.tls[key] = path.resolve(cwd, config.tls[key]);
  config.rendererDir = path.resolve(cwd, config.rendererDir);
  config.backup.dir = path.resolve(cwd, config.backup.dir);
  if (config.headersTimeoutMs > config.requestTimeoutMs) throw new ConfigError(`headersTimeoutMs (${config.headersTimeoutMs}) must not exceed requestTimeoutMs (${config.requestTimeoutMs})`);
  if (config.backup.every !== undefined && config.database.url === undefined) {
    throw new ConfigError('backup.every (BOXOFFICE_BACKUP_EVERY) needs the PostgreSQL server: the embedded database is locked by the running server; stop it and use "backup create"');
  }
  if (!isTimeZone(config.printing.timeZone)) throw new ConfigError(`printing.timeZone "${config.printing.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  if (config.network.geoipDir !== undefined) config.network.geoipDir = path.resolve(cwd, config.network.geoipDir);
  const intrusionProblem = intrusionConfigProblem(config.intrusion);
  if (intrusionProblem !== undefined) throw new ConfigError(intrusionProblem);
  return config;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`config file ${file} must hold a JSON object`);
  return parsed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) mergeDeep(existing, value);
    else target[key] = value;
  }
  return target;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function readPath(source: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = source;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function findUnknownKeys(value: Record<string, unknown>): string[] {
  const unknown: string[] = [];
  const walk = (node: Record<string, unknown>, schema: { properties?: Record<string, unknown> }, prefix: string) => {
    for (const [key, child] of Object.entries(node)) {
      const childSchema = schema.properties?.[key] as { properties?: Record<string, unknown> } | undefined;
      if (childSchema === undefined) unknown.push(prefix + key);
      else if (isPlainObject(child) && childSchema.properties !== undefined) walk(child, childSchema, `${prefix}${key}.`);
    }
  };
  walk(value, ServerConfigSchema, '');
  return unknown;
}
