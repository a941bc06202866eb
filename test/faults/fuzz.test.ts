import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission } from '../../src/shared/domain/permissions.js';
import { testBackends } from '../support/backends.js';
import { createUser, type TestUser } from '../support/identity.js';
import { insertBusinessOrder } from '../support/invoicing-fixtures.js';
import { createSalesFixture, openTill } from '../support/sales-fixtures.js';
import { startServerProcess, writeTlsFiles, type ServerProcess } from '../support/server-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Bad input at scale: a generator driven by the API's own schemas (the OpenAPI document the app builds
 * from its route schemas) and by the route table, so that every route is reached — including hidden ones
 * — sends malformed and hostile requests to the real server process over mutual TLS, with real sessions of
 * users holding every right their tenant may hold (operator staff, outlet staff, promoter staff):
 * schema-valid skeletons with one hostile field (wrong types, huge strings, SQL and script payloads,
 * unicode edge cases with lone surrogates and NUL, invalid UUIDs, negative and enormous numbers, unknown
 * and prototype-polluting keys), deep JSON, broken JSON, wrong content types, bodies above the limit,
 * hostile path and query values (bad percent-encoding, NUL, overlong UTF-8) and hostile headers.
 *
 * Checked per request: never a 5xx; and a refused request (4xx) changes no row. Changes are observed by
 * row triggers on every table (and an event trigger for DDL) that write into a change log, read before
 * and after each request. What a refused request may legitimately write is append-only evidence:
 * `login_attempts` and the audit rows of failed logins and password changes (`auth.*failed`: the
 * brute-force protection and the audit trail need exactly those), and `sessions.last_seen_at` (the idle timeout). At the end every table no accepted
 * request touched has the same row count and checksum as before, and the server process is still alive.
 *
 * The intrusion prevention and the per-workstation rate limits are switched off for this run: they would
 * block the fuzzer's address after a handful of payloads, and this suite tests what is behind them.
 */

const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 10_500);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);
const STREAMS = 4;

// ---------------------------------------------------------------------------------------------------
// Hostile values

const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1); SELECT pg_sleep(5); --',
  "' UNION SELECT password_hash FROM users --",
  '" OR ""="',
  '\\',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDFFF',
  '\uFEFF',
  '\u202Eevil',
  '\u200B',
  'Ω≈ç√∫˜µ≤≥÷',
  '𝕳𝖊𝖑𝖑𝖔 👨‍👩‍👧‍👦',
  'e\u0301',
  '\r\nX-Injected: 1',
  '%00',
  '%s%s%s%n',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x7fffffff',
  '9'.repeat(400),
  ' ',
  '',
  'A'.repeat(5_000),
  'ü'.repeat(70_000),
];

const HOSTILE_NUMBERS = [-1, 0, -0, 0.5, -2_147_483_649, 2_147_483_648, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e-320];

const INVALID_UUIDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000',
  '00000000-0000-0000-0000-0000000000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '{00000000-0000-0000-0000-000000000000}',
  "00000000-0000-0000-0000-000000000000' OR '1'='1",
  '00000000-0000-0000-0000-00000000000\u0000',
  '１２３',
];

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 300, maxLength: 3000 }) },
);

/**
 * Deeply nested JSON, written as text (JSON.stringify of such values would overflow the test's own stack):
 * a value stands for it as a marker string that `toJson` replaces.
 */
const DEEP_JSON = ['{"a":'.repeat(64) + '1' + '}'.repeat(64), '['.repeat(5_000) + ']'.repeat(5_000), '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)];
const DEEP = DEEP_JSON.map((_, i) => `\u0001DEEP${i}\u0001`);

function toJson(value: unknown): Buffer {
  const text = JSON.stringify(value) ?? 'null';
  return Buffer.from(text.replace(/"\\u0001DEEP(\d)\\u0001"/g, (_, i: string) => DEEP_JSON[Number(i)]!));
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => Number(n)) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_UUIDS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], { $ne: null }, { __proto__: { admin: true } }) },
  { weight: 1, arbitrary: fc.constantFrom(...DEEP) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 5 }) },
);

// ---------------------------------------------------------------------------------------------------
// Schema-driven skeletons

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
};

/** A plausible value for a schema (real ids where a UUID is asked for), which the mutation then breaks. */
function plausible(schema: Schema | undefined, ids: readonly string[], pick: () => number, depth = 0): unknown {
  if (schema === undefined || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[pick() % schema.enum.length];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) return plausible(alternatives[pick() % alternatives.length], ids, pick, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(key) || pick() % 2 === 0) out[key] = plausible(sub, ids, pick, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => plausible(schema.items, ids, pick, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 3, 1 + (pick() % 3)));
    case 'boolean':
      return pick() % 2 === 0;
    case 'string':
      if (schema.format === 'uuid' || schema.pattern?.includes('[0-9a-f]{8}') === true) return ids[pick() % ids.length];
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'date') return new Date().toISOString().slice(0, 10);
      return 'x'.repeat(Math.max(1, Math.min(schema.minLength ?? 3, 20)));
    case 'null':
    case undefined:
    default:
      return null;
  }
}

/** Paths of every value in `value`, for the mutation to pick one. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const own = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  return [prefix, ...own.flatMap((k) => paths((value as Record<string, unknown>)[k], [...prefix, k]))];
}

function setPath(value: unknown, at: string[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string, unknown>)[head!] = setPath((copy as Record<string, unknown>)[head!], rest, replacement);
  return copy;
}

// ---------------------------------------------------------------------------------------------------
// Requests

interface Route {
  method: string;
  url: string;
  body?: Schema;
  query?: Schema;
}

interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  /** Index of the identity whose certificate and session are used; -1: its certificate without a session; -2: no certificate. */
  identity: number;
  headers: Record<string, string>;
  body?: Buffer;
  kind: string;
}

/** UTF-8 percent-encoding that also carries lone surrogates (as their 3-byte sequences) and NUL. */
function encodeSegment(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (/^[A-Za-z0-9_.~-]$/.test(ch)) out += ch;
    else if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
  return out;
}

const RAW_SEGMENTS = ['%', '%zz', '%C0%AF', '%E0%80%80', '%FF', '%00', '..', '%2e%2e%2f', '%2F', 'a%0d%0ab', '*', '%u0041'];

const CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=iso-8859-1', 'application/octet-stream', 'application/problem+json', 'application/json, text/html'];

const BROKEN_JSON = ['{', '{"a":', '[1,2', 'nul', '\uFEFF{}', '{"a":1}{"b":2}', '{"a":1,}', "{'a':1}", '\u0000', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '1e999999', '"\\ud800"', '{"a":"\\u0000"}'];

function fuzzRequests(routes: readonly Route[], ids: readonly string[], identities: number, count: number, seed: number): FuzzRequest[] {
  const rng = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: count * 4, seed });
  let r = 0;
  const pick = () => rng[r++ % rng.length]!;
  const values = fc.sample(hostileValue, { numRuns: count, seed: seed + 1 });
  const strings = fc.sample(hostileString.filter((s) => s.length < 2_000), { numRuns: count, seed: seed + 2 });
  const out: FuzzRequest[] = [];
  for (let i = 0; i < count; i += 1) {
    const route = routes[i % routes.length]!;
    const hostile = values[i]!;
    const hostileText = strings[i]!;
    const kind = pick() % 10;
    // Path: real ids, unknown and invalid ids, hostile segments.
    const segment = () => {
      const k = pick() % 6;
      if (k <= 1) return ids[pick() % ids.length]!;
      if (k === 2) return RAW_SEGMENTS[pick() % RAW_SEGMENTS.length]!;
      if (k === 3) return encodeSegment(INVALID_UUIDS[pick() % INVALID_UUIDS.length]!);
      return encodeSegment(hostileText || 'x');
    };
    let url = route.url.replace(/:[A-Za-z]+/g, () => segment());
    const headers: Record<string, string> = {};
    let body: Buffer | undefined;
    let label = 'skeleton';
    const skeleton = route.body === undefined ? undefined : plausible(route.body, ids, pick);
    if (kind <= 4 && skeleton !== undefined) {
      // One field of a schema-shaped body replaced by a hostile value; sometimes an unknown key on top.
      const all = paths(skeleton);
      let mutated = setPath(skeleton, all[pick() % all.length]!, hostile);
      if (pick() % 4 === 0 && mutated !== null && typeof mutated === 'object' && !Array.isArray(mutated)) mutated = { ...mutated, [pick() % 2 === 0 ? 'isAdmin' : '__proto__']: hostile };
      body = toJson(mutated);
      headers['content-type'] = 'application/json';
    } else if (kind === 5) {
      label = 'content-type';
      body = Buffer.from(pick() % 2 === 0 ? JSON.stringify(skeleton ?? {}) : hostileText);
      headers['content-type'] = CONTENT_TYPES[pick() % CONTENT_TYPES.length]!;
    } else if (kind === 6) {
      label = 'broken-json';
      body = Buffer.from(BROKEN_JSON[pick() % BROKEN_JSON.length]!);
      headers['content-type'] = 'application/json';
    } else if (kind === 7) {
      label = 'query';
      const names = [...Object.keys(route.query?.properties ?? {}), 'limit', 'from', 'x'];
      const name = names[pick() % names.length]!;
      const raw = pick() % 3 === 0 ? RAW_SEGMENTS[pick() % RAW_SEGMENTS.length]! : encodeSegment((typeof hostile === 'string' ? hostile : (JSON.stringify(hostile) ?? 'undefined')).slice(0, 3000));
      url += `?${name}=${raw}${pick() % 3 === 0 ? `&${name}=${raw}` : ''}`;
    } else if (kind === 8) {
      label = 'whole-body';
      body = toJson(hostile);
      headers['content-type'] = 'application/json';
    } else {
      label = 'headers';
      headers['idempotency-key'] = ['', 'x', 'a'.repeat(500), "' OR 1=1 --", '../../x', 'ÿ'.repeat(20)][pick() % 6]!;
      if (skeleton !== undefined) {
        body = Buffer.from(JSON.stringify(skeleton));
        headers['content-type'] = 'application/json';
      }
      if (pick() % 3 === 0) headers['accept'] = 'application/xml';
    }
    if (pick() % 200 === 0) {
      label = 'too-large';
      body = Buffer.alloc(route.url.endsWith('/payments/imports') ? 9 * 1024 * 1024 : 300 * 1024, 0x61);
      headers['content-type'] = 'application/json';
    }
    const who = pick() % 40;
    const identity = who === 0 ? -2 : who === 1 ? -1 : pick() % identities;
    out.push({ route: `${route.method} ${route.url}`, method: route.method, path: url, identity, headers, ...(body === undefined ? {} : { body }), kind: label });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Change log: row triggers on every table, an event trigger for DDL

async function installChangeLog(admin: Knex): Promise<void> {
  await admin.raw(`CREATE TABLE fuzz_changes (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL, detail text)`);
  await admin.raw(`
    CREATE FUNCTION fuzz_log_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN INSERT INTO fuzz_changes (tbl, op) VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END IF;
      IF TG_TABLE_NAME = 'sessions' AND TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'last_seen_at') = (to_jsonb(OLD) - 'last_seen_at') THEN RETURN NULL; END IF;
      INSERT INTO fuzz_changes (tbl, op, detail) VALUES (TG_TABLE_NAME, TG_OP, CASE WHEN TG_TABLE_NAME = 'audit_log' THEN to_jsonb(NEW)->>'action' END);
      RETURN NULL;
    END $$`);
  await admin.raw(`
    CREATE FUNCTION fuzz_log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO fuzz_changes (tbl, op) VALUES ('(ddl)', tg_tag); END $$`);
  const tables = await tablesOf(admin);
  for (const t of tables) {
    await admin.raw(`CREATE TRIGGER fuzz_log_row AFTER INSERT OR UPDATE OR DELETE ON ?? FOR EACH ROW EXECUTE FUNCTION fuzz_log_row()`, [t]);
    await admin.raw(`CREATE TRIGGER fuzz_log_truncate AFTER TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION fuzz_log_row()`, [t]);
  }
  await admin.raw(`CREATE EVENT TRIGGER fuzz_log_ddl ON ddl_command_end EXECUTE FUNCTION fuzz_log_ddl()`);
}

async function tablesOf(admin: Knex): Promise<string[]> {
  const { rows } = await admin.raw<{ rows: Array<{ t: string }> }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('fuzz_changes', 'knex_migrations', 'knex_migrations_lock') ORDER BY 1`);
  return rows.map((r) => r.t);
}

/** Row count and an order-independent checksum of every table. */
async function snapshot(admin: Knex): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of await tablesOf(admin)) {
    const { rows } = await admin.raw<{ rows: Array<{ n: number; sum: string | null }> }>(`SELECT count(*)::int AS n, md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))) AS sum FROM ?? x`, [t]);
    out.set(t, `${rows[0]?.n ?? 0}:${rows[0]?.sum ?? ''}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

interface Identity {
  user: TestUser;
  /** One keep-alive connection per stream. */
  agents: https.Agent[];
  token: string;
}

interface Change {
  id: number;
  tbl: string;
  op: string;
  detail: string | null;
}

/** Rights a tenant kind may hold (tenants.manage and intrusion.manage stay with the operator). */
const OPERATOR_ONLY = new Set<Permission>(['tenants.manage', ...PERMISSIONS.filter((p) => p.startsWith('intrusion.'))]);

describe.skipIf(!testBackends().includes('postgres'))('fuzzer: malformed and hostile requests to every route (PostgreSQL, server process)', () => {
  let server: TestServer;
  let work: string;
  let proc: ServerProcess;
  let routes: Route[];
  let ids: string[];
  let identities: Identity[];

  /**
   * One request. A keep-alive connection the server has just closed (e.g. after answering an oversized
   * body early, without reading it) can fail the next request sent on it before the server sees it; like
   * any HTTP client, such a request is sent once more on a fresh connection.
   */
  function send(agent: https.Agent | false, token: string | undefined, method: string, url: string, headers: Record<string, string>, body?: Buffer, retried = false): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port: proc.port,
          path: url,
          method,
          agent,
          ca: server.pki.ca.certPem,
          headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-length': String(body.length) }), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (error) => {
        if (req.reusedSocket && !retried) send(agent, token, method, url, headers, body, true).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });
  }

  async function login(identity: Identity): Promise<void> {
    const res = await send(identity.agents[0]!, undefined, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ login: identity.user.login, password: identity.user.password })));
    if (res.status !== 200) throw new Error(`login ${identity.user.login}: ${res.status} ${res.text}`);
    identity.token = (JSON.parse(res.text) as { token: string }).token;
  }

  beforeAll(async () => {
    server = await startTestServer('postgres');
    routes = enumerateRoutes(server);
    await server.app.close();
    const fx = await createSalesFixture(server, { gaCapacity: 500, rows: 3, seatsPerRow: 5 });
    const grantable = (kind: 'operator' | 'other') => PERMISSIONS.filter((p) => kind === 'operator' || !OPERATOR_ONLY.has(p));
    const people = [
      { tenant: server.tenants.operator, login: 'fuzz.operator', rights: grantable('operator') },
      { tenant: server.tenants.outlet, login: 'fuzz.outlet', rights: grantable('other') },
      { tenant: fx.promoterId, login: 'fuzz.promoter', rights: grantable('other') },
    ];
    identities = [];
    // Other users and workstations for the routes that act on them; the fuzzer's own stay out of the id
    // pool, so that a request that legitimately disables, resets or revokes them cannot end the run.
    await createUser(server, server.tenants.outlet, 'kollege', ['sales.sell']);
    await server.registerWorkstation(server.tenants.outlet, 'kasse-2');
    const own = new Set<string>();
    for (const p of people) {
      const ws = await server.registerWorkstation(p.tenant, p.login.replace('.', '-'));
      const user = await createUser(server, p.tenant, p.login, p.rights);
      if (p.tenant === server.tenants.outlet) {
        await openTill(server, p.tenant, ws.id, user.id);
        await insertBusinessOrder(server, { tenantId: p.tenant, userId: user.id, workstationId: ws.id, fx, tickets: [{ categoryId: fx.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity: 2 }] });
      }
      own.add(user.id).add(ws.id);
      const agents = Array.from({ length: STREAMS }, () => new https.Agent({ keepAlive: true, maxSockets: 1, ca: server.pki.ca.certPem, cert: ws.certPem, key: ws.keyPem }));
      identities.push({ user, agents, token: '' });
    }
    ids = await server.tdb.asAdmin(async (admin) => {
      const { rows } = await admin.raw<{ rows: Array<{ t: string }> }>(`SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND data_type = 'uuid'`);
      const found: string[] = [];
      for (const { t } of rows) found.push(...(await admin(t).select('id').limit(5)).map((r: { id: string }) => r.id));
      return found.filter((id) => !own.has(id));
    });
    await server.tdb.asAdmin(installChangeLog);
    work = mkdtempSync(path.join(tmpdir(), 'boxoffice-fuzz-'));
    proc = await startServerProcess({
      dataDir: path.join(work, 'data'),
      tls: writeTlsFiles(path.join(work, 'tls'), server.pki),
      databaseUrl: server.tdb.url ?? '',
      env: { BOXOFFICE_INTRUSION_ENABLED: 'false', BOXOFFICE_RATE_PER_WORKSTATION: '0', BOXOFFICE_RATE_LOGIN_PER_WORKSTATION: '0', BOXOFFICE_RATE_HEAVY_PER_WORKSTATION: '0' },
    });
    for (const identity of identities) await login(identity);
  });

  afterAll(async () => {
    for (const i of identities ?? []) for (const a of i.agents) a.destroy();
    await proc?.kill();
    await server?.tdb.cleanup();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it(`sends ${REQUESTS} hostile requests over every route: no 5xx, no crash, no row changed by a refused request`, async () => {
    const requests = fuzzRequests(routes, ids, identities.length, REQUESTS, SEED);
    const perRoute = new Map<string, number>();
    for (const r of requests) perRoute.set(r.route, (perRoute.get(r.route) ?? 0) + 1);
    expect([...perRoute.keys()].sort()).toEqual(routes.map((r) => `${r.method} ${r.url}`).sort());

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const before = await server.tdb.asAdmin(snapshot);
    const describeRequest = (n: number) => {
      const req = requests[n];
      return req === undefined ? (n <= -1_000_000 ? 'maintenance end' : `re-login ${-n}`) : `#${n} ${req.route} ${req.kind} ← ${req.method} ${req.path.slice(0, 200)} ${req.body?.subarray(0, 300).toString('utf8') ?? ''}`;
    };

    // Requests run in STREAMS concurrent streams. After every answer the change log is read; the changes
    // found belong to one of the requests in flight since the previous read (the window). A window whose
    // requests were all refused must have written nothing but evidence; a window with an accepted write
    // request (or a re-login) explains its changes. Re-logins get negative numbers.
    const outcome = new Map<number, { status: number; mutating: boolean }>();
    const inFlight = new Set<number>();
    let window = new Set<number>();
    const windows: Array<{ changes: Change[]; candidates: number[] }> = [];
    let mark = Number(((await server.tdb.asAdmin((k) => k('fuzz_changes').max<{ m: number | null }>('id as m').first())) as { m: number | null } | undefined)?.m ?? 0);
    let reading: Promise<void> = Promise.resolve();
    const readChanges = () =>
      (reading = reading.then(async () => {
        const changes = await server.tdb.asAdmin<Change[]>((k) => k('fuzz_changes').where('id', '>', mark).orderBy('id').select('id', 'tbl', 'op', 'detail'));
        if (changes.length > 0) {
          mark = changes[changes.length - 1]!.id;
          windows.push({ changes, candidates: [...window] });
        }
        window = new Set(inFlight);
      }));
    const track = async <T>(n: number, mutating: boolean, fn: () => Promise<T & { status: number }>): Promise<T & { status: number }> => {
      inFlight.add(n);
      window.add(n);
      try {
        const result = await fn();
        outcome.set(n, { status: result.status, mutating });
        return result;
      } finally {
        inFlight.delete(n);
        await readChanges();
      }
    };

    let relogins = 0;
    let repairs = 0;
    // A fuzzed maintenance window that went through would stop the sales routes for the rest of the run
    // (503 MAINTENANCE, by design): the operator ends it again, like a re-login this is not counted.
    let endingMaintenance: Promise<void> | undefined;
    const endMaintenance = () =>
      (endingMaintenance ??= track(-1_000_000 - ++repairs, true, () => send(identities[0]!.agents[0]!, identities[0]!.token, 'DELETE', '/api/v1/system/maintenance', {}))
        .then(() => undefined)
        .finally(() => (endingMaintenance = undefined)));
    const relogin = new Map<Identity, Promise<void>>();
    const refreshSession = (identity: Identity, usedToken: string) => {
      if (identity.token !== usedToken) return relogin.get(identity) ?? Promise.resolve();
      const running = relogin.get(identity);
      if (running !== undefined) return running;
      relogins += 1;
      const done = track(-relogins, true, async () => {
        await login(identity);
        return { status: 200 };
      }).then(() => undefined);
      relogin.set(identity, done);
      return done.finally(() => relogin.delete(identity));
    };

    const began = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: STREAMS }, async (_, stream) => {
        while (next < requests.length && failures.length <= 50) {
          const n = next++;
          const req = requests[n]!;
          const identity = identities[Math.max(0, req.identity)]!;
          const token = identity.token;
          let res: { status: number; text: string };
          try {
            res = await track(n, req.method !== 'GET', () => send(req.identity === -2 ? false : identity.agents[stream]!, req.identity < 0 ? undefined : token, req.method, req.path, req.headers, req.body));
          } catch (error) {
            failures.push(`${describeRequest(n)}: no answer (${(error as Error).message})`);
            continue;
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const maintenance = res.status === 503 && /"code":"MAINTENANCE"/.test(res.text);
          if (res.status >= 500 && !maintenance) failures.push(`${res.status} ${res.text.slice(0, 300)} for ${describeRequest(n)}`);
          if (maintenance) await endMaintenance();
          // A fuzzed logout or password change that went through ends the session: log in again (not counted).
          if (req.identity >= 0 && res.status === 401 && /SESSION_ENDED|SESSION_INVALID|SESSION_EXPIRED/.test(res.text)) await refreshSession(identity, token);
        }
      }),
    );
    await reading;
    const seconds = (performance.now() - began) / 1000;

    const touchedByAccepted = new Set<string>();
    const evidence = new Map<string, number>();
    for (const w of windows) {
      const explained = w.candidates.some((n) => {
        const o = outcome.get(n);
        return o !== undefined && o.mutating && o.status < 400;
      });
      for (const c of w.changes) {
        // Failed logins and password changes are counted (throttling) and audited: the evidence a refusal must leave.
        const isEvidence = c.op === 'INSERT' && (c.tbl === 'login_attempts' || (c.tbl === 'audit_log' && /^auth\.[a-z_.]*failed$/.test(c.detail ?? '')));
        if (isEvidence) evidence.set(`${c.tbl} ${c.detail ?? ''}`.trim(), (evidence.get(`${c.tbl} ${c.detail ?? ''}`.trim()) ?? 0) + 1);
        else if (explained) touchedByAccepted.add(c.tbl);
        else failures.push(`${c.op} ${c.tbl} ${c.detail ?? ''} while only refused requests ran: ${w.candidates.map((n) => `${describeRequest(n)} → ${outcome.get(n)?.status ?? '?'}`).join(' | ')}`);
      }
    }
    const after = await server.tdb.asAdmin(snapshot);
    const unchangedExpected = [...before.keys()].filter((t) => !touchedByAccepted.has(t) && !['login_attempts', 'audit_log', 'sessions'].includes(t));
    for (const t of unchangedExpected) if (after.get(t) !== before.get(t)) failures.push(`table ${t} changed although no accepted request touched it: ${before.get(t)} → ${after.get(t)}`);
    expect([...after.keys()]).toEqual([...before.keys()]);

    const health = await send(false, undefined, 'GET', '/health/live', {});
    process.stdout.write(
      `fuzzer: ${requests.length} requests over ${perRoute.size} routes in ${seconds.toFixed(0)} s, ${STREAMS} streams (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses.entries()].sort((a, b) => a[0] - b[0])))}; ` +
        `${relogins} re-logins, ${repairs} maintenance windows ended; refused requests wrote only ${JSON.stringify(Object.fromEntries(evidence))}; tables changed by accepted requests: ${[...touchedByAccepted].sort().join(', ') || 'none'}\n`,
    );
    expect(failures).toEqual([]);
    expect(health.status).toBe(200);
    expect(() => process.kill(proc.pid, 0)).not.toThrow();
  }, 900_000);
});

/** Every route of the app with the schemas of its body and query string (from the app's OpenAPI document). */
function enumerateRoutes(server: TestServer): Route[] {
  const spec = (server.app as unknown as { swagger(): unknown }).swagger() as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: Array<{ in: string; name: string; schema?: Schema; required?: boolean }> }>> };
  const seen = new Set<string>();
  const routes: Route[] = [];
  for (const entry of server.app.routeTable) {
    const key = `${entry.method} ${entry.url}`;
    if (seen.has(key) || entry.url.includes('*')) continue;
    seen.add(key);
    const openApiPath = entry.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const op = spec.paths?.[openApiPath]?.[entry.method.toLowerCase()];
    const body = op?.requestBody?.content?.['application/json']?.schema;
    const queryParams = (op?.parameters ?? []).filter((p) => p.in === 'query');
    const query: Schema | undefined = queryParams.length === 0 ? undefined : { type: 'object', properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? {}])) };
    routes.push({ method: entry.method, url: entry.url, ...(body === undefined ? {} : { body }), ...(query === undefined ? {} : { query }) });
  }
  return routes;
}

