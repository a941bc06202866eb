import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { openDatabase, pgConnection } from '../../server/src/db/database.js';
import { hashPassword } from '../../server/src/modules/identity/password-hash.js';
import { createCa, issueClientCertificate, issueServerCertificate } from '../../server/src/pki/x509.js';
import { Cleanup, dropDatabase, figure, fmt, optionReader, percentile, request, runPgbench, startServer, UsageError, urlFor, withAdminClient, type BenchOutcome, type Reply } from './lib.js';
import type { BenchServerOptions } from './sales-server.js';

/**
 * On-sale rush: N clients (each its own workstation certificate, user, session and open till) buy 1–4
 * tickets per order over HTTPS until the event is sold out; then the database is checked for oversell
 * and `pgbench -N` with the same client count runs against the same PostgreSQL server for a yardstick.
 * Prints figures; exits 1 only when a correctness check fails (oversell, counters, unexpected errors).
 */

// ---------------------------------------------------------------------------------------------------
// Options

export interface Options {
  clients: number;
  seats: number;
  ga: number;
  gaShare: number;
  maxPerOrder: number;
  outlets: number;
  pool: number;
  maxSeconds: number;
  pgbenchSeconds: number;
  pgbenchScale: number;
  server: 'process' | 'inline';
  pgUrl: string;
  cpuProfDir: string | undefined;
  sampleWaits: boolean;
  keepDb: boolean;
  explainMs: number;
  rateLimits: boolean;
}

const SEATS_PER_ROW = 50;
const ROWS_PER_BLOCK = 50;
const SEATS_PER_BLOCK = SEATS_PER_ROW * ROWS_PER_BLOCK;
const MAX_BLOCKS = 26; // blocks A–Z
const SEATED_PRICE = 5500;
const GA_PRICE = 3500;
const PASSWORD = 'Blauer Mond über Hamburg 7!';

const OPTION_HELP: Array<[flag: string, env: string, text: string]> = [
  ['--clients N', 'BENCH_CLIENTS', 'concurrent buyers, each with its own workstation certificate, user and till (32)'],
  ['--seats N', 'BENCH_SEATS', `seats of the one seated category, laid out in blocks A–Z of ${ROWS_PER_BLOCK} rows × ${SEATS_PER_ROW} seats (20000 = 8 blocks)`],
  ['--ga N', 'BENCH_GA', 'capacity of an additional general-admission category; 0 = none (2000)'],
  ['--ga-share F', 'BENCH_GA_SHARE', 'share of orders that buy general admission while it lasts; the rest ask for best available seats (0.1)'],
  ['--max-per-order N', 'BENCH_MAX_PER_ORDER', 'tickets per order, uniformly 1..N (4)'],
  ['--outlets N', 'BENCH_OUTLETS', 'outlets (tenants) the clients are spread over, round robin (1)'],
  ['--pool N', 'BENCH_POOL', 'database connections of the server (20)'],
  ['--max-seconds N', 'BENCH_MAX_SECONDS', 'duration cap of the rush; the event may then not be sold out (300)'],
  ['--pgbench-seconds N', 'BENCH_PGBENCH_SECONDS', 'pgbench -T; 0 skips pgbench (20)'],
  ['--pgbench-scale N', 'BENCH_PGBENCH_SCALE', 'pgbench -i -s (10)'],
  ['--server process|inline', 'BENCH_SERVER', 'server in a child process (node --import tsx) or in the load generator process (process)'],
  ['--pg-url URL', 'BENCH_PG_URL', 'superuser connection used to create and drop the databases (postgres://postgres@127.0.0.1:5432/postgres)'],
  ['--cpu-prof DIR', 'BENCH_CPU_PROF', 'write a V8 CPU profile of the server child process into DIR (needs --server process)'],
  ['--no-wait-sampling', 'BENCH_WAIT_SAMPLING=0', 'do not sample pg_stat_activity during the rush'],
  ['--explain-ms N', 'BENCH_EXPLAIN_MS', 'log statements of the server slower than N ms with their plans (auto_explain, analyze) to the PostgreSQL server log; 0 = off (0)'],
  ['--keep-db', 'BENCH_KEEP_DB=1', 'keep the sales database afterwards for inspection (its name is printed; drop it yourself)'],
  ['--no-rate-limits', 'BENCH_RATE_LIMITS=0', 'switch the per-workstation rate limits off in the server (on with the defaults otherwise), to see what counting costs'],
];

export function helpText(): string {
  const width = Math.max(...OPTION_HELP.map(([f]) => f.length));
  return [
    'usage: npm run bench -- sales [options]   (every option can also be set in the environment)',
    '',
    ...OPTION_HELP.map(([flag, env, text]) => `  ${flag.padEnd(width)}  ${text}  [${env}]`),
    '',
    'Orders: with probability --ga-share an order buys 1–N standing places (items), otherwise 1–N best',
    'available seats (bestAvailable); half pay cash, half by card. A refused order (409) with fewer units',
    'left than asked makes the buyer ask for at most what is left; a category is closed for all buyers',
    'once its sold counter reaches its capacity. The run ends when everything is sold or at the cap.',
  ].join('\n');
}


export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const { raw, int } = optionReader(
    argv,
    env,
    ['clients', 'seats', 'ga', 'ga-share', 'max-per-order', 'outlets', 'pool', 'max-seconds', 'pgbench-seconds', 'pgbench-scale', 'server', 'pg-url', 'cpu-prof', 'wait-sampling', 'keep-db', 'explain-ms', 'rate-limits'],
    { '--no-wait-sampling': ['wait-sampling', '0'], '--keep-db': ['keep-db', '1'], '--no-rate-limits': ['rate-limits', '0'] },
  );
  const gaShareRaw = raw('ga-share');
  const gaShare = gaShareRaw === undefined ? 0.1 : Number(gaShareRaw);
  if (!Number.isFinite(gaShare) || gaShare < 0 || gaShare > 1) throw new UsageError(`--ga-share must be between 0 and 1, not ${gaShareRaw}`);
  const server = raw('server') ?? 'process';
  if (server !== 'process' && server !== 'inline') throw new UsageError(`--server must be process or inline, not ${server}`);
  const options: Options = {
    clients: int('clients', 32, 1, 500),
    seats: int('seats', 20_000, 1, MAX_BLOCKS * SEATS_PER_BLOCK),
    ga: int('ga', 2000, 0, 1_000_000),
    gaShare,
    maxPerOrder: int('max-per-order', 4, 1, 50),
    outlets: int('outlets', 1, 1, 100),
    pool: int('pool', 20, 1, 200),
    maxSeconds: int('max-seconds', 300, 1, 86_400),
    pgbenchSeconds: int('pgbench-seconds', 20, 0, 3600),
    pgbenchScale: int('pgbench-scale', 10, 1, 1000),
    server,
    pgUrl: raw('pg-url') ?? env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    cpuProfDir: raw('cpu-prof'),
    sampleWaits: raw('wait-sampling') !== '0',
    keepDb: raw('keep-db') === '1',
    explainMs: int('explain-ms', 0, 0, 3_600_000),
    rateLimits: raw('rate-limits') !== '0',
  };
  if (options.cpuProfDir !== undefined && options.server !== 'process') throw new UsageError('--cpu-prof needs --server process');
  if (options.ga === 0) options.gaShare = 0;
  if (options.gaShare === 1 && options.ga === 0) throw new UsageError('--ga-share 1 needs --ga > 0');
  return options;
}

// ---------------------------------------------------------------------------------------------------
// Set-up: tenants, event, seats, workstations, users, tills

export interface Client {
  index: number;
  outletId: string;
  workstationId: string;
  userId: string;
  login: string;
  cert: string;
  key: string;
  agent: https.Agent;
  token: string;
}

export interface Fixture {
  eventId: string;
  seatedCategoryId: string;
  gaCategoryId: string | undefined;
  clients: Client[];
  ca: string;
  serverTls: BenchServerOptions['tls'];
}

async function seed(admin: Knex, options: Options): Promise<Fixture> {
  const now = Date.now();
  const ca = await createCa({ commonName: 'Bench platform CA', validityDays: 2, now: new Date(now - 3600_000) });
  const server = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1, now: new Date(now - 60_000) });
  const certs = await Promise.all(
    Array.from({ length: options.clients }, (_, i) =>
      issueClientCertificate(ca, { commonName: `kasse-${i + 1}`, organization: 'Bench outlet', validityDays: 1, now: new Date(now - 60_000), kind: 'workstation' }),
    ),
  );
  // Cheap scrypt parameters: the stored hash carries them, so the login's verification is cheap too.
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });

  return admin.transaction(async (trx) => {
    const [op] = await trx('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
    const outlets = await trx('tenants')
      .insert(Array.from({ length: options.outlets }, (_, k) => ({ kind: 'outlet', code: `outlet-${k + 1}`, name: `Vorverkaufsstelle ${k + 1}`, parent_id: op!.id })))
      .returning<Array<{ id: string; code: string }>>(['id', 'code']);
    outlets.sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
    const [promoter] = await trx('tenants').insert({ kind: 'promoter', code: 'promoter', name: 'Konzertbüro', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
    const promoterId = promoter!.id;
    const [venue] = await trx('venues').insert({ tenant_id: promoterId, name: 'Arena', city: 'Hamburg' }).returning<Array<{ id: string }>>('id');
    const [event] = await trx('events')
      .insert({
        tenant_id: promoterId,
        venue_id: venue!.id,
        name: 'Vorverkaufsstart',
        starts_at: new Date(now + 31 * 86_400_000),
        sales_start: new Date(now - 86_400_000),
        sales_end: new Date(now + 30 * 86_400_000),
        status: 'on_sale',
      })
      .returning<Array<{ id: string }>>('id');
    const eventId = event!.id;
    const [seated] = await trx('price_categories')
      .insert({ tenant_id: promoterId, event_id: eventId, name: 'Kat 1', price_cents: SEATED_PRICE, vat_rate_bp: 700, seated: true, capacity: options.seats, sort_order: 1 })
      .returning<Array<{ id: string }>>('id');
    let gaCategoryId: string | undefined;
    if (options.ga > 0) {
      const [ga] = await trx('price_categories')
        .insert({ tenant_id: promoterId, event_id: eventId, name: 'Stehplatz', price_cents: GA_PRICE, vat_rate_bp: 700, seated: false, capacity: options.ga, sort_order: 2 })
        .returning<Array<{ id: string }>>('id');
      gaCategoryId = ga!.id;
    }
    // All seats in one statement: block A.., rows 1..50, seats 1..50.
    await trx.raw(
      `INSERT INTO seats (tenant_id, event_id, category_id, block, row_label, row_index, seat_number)
       SELECT ?, ?, ?, chr(65 + i / ${SEATS_PER_BLOCK}), ((i % ${SEATS_PER_BLOCK}) / ${SEATS_PER_ROW} + 1)::text,
              (i % ${SEATS_PER_BLOCK}) / ${SEATS_PER_ROW} + 1, i % ${SEATS_PER_ROW} + 1
         FROM generate_series(0, ? - 1) AS i`,
      [promoterId, eventId, seated!.id, options.seats],
    );
    await trx('sales_rights').insert(outlets.map((o) => ({ tenant_id: promoterId, event_id: eventId, outlet_id: o.id, granted_at: new Date(now) })));

    const outletOf = (i: number) => outlets[i % outlets.length]!.id;
    const workstations = await trx('workstations')
      .insert(certs.map((c, i) => ({ tenant_id: outletOf(i), name: `kasse-${i + 1}`, cert_serial: c.serialHex, cert_fingerprint: c.fingerprint256, cert_not_after: c.notAfter })))
      .returning<Array<{ id: string; name: string }>>(['id', 'name']);
    const wsByName = new Map(workstations.map((w) => [w.name, w.id]));
    const users = await trx('users')
      .insert(certs.map((_, i) => ({ tenant_id: outletOf(i), login: `kasse.${i + 1}`, display_name: `Kasse ${i + 1}`, password_hash: passwordHash, must_change_password: false })))
      .returning<Array<{ id: string; login: string }>>(['id', 'login']);
    const userByLogin = new Map(users.map((u) => [u.login, u.id]));
    const clients = certs.map((c, i) => ({
      index: i,
      outletId: outletOf(i),
      workstationId: wsByName.get(`kasse-${i + 1}`)!,
      userId: userByLogin.get(`kasse.${i + 1}`)!,
      login: `kasse.${i + 1}`,
      cert: c.certPem,
      key: c.keyPem,
      agent: new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem, cert: c.certPem, key: c.keyPem }),
      token: '',
    }));
    await trx('user_permissions').insert(clients.map((c) => ({ tenant_id: c.outletId, user_id: c.userId, permission: 'sales.sell', granted_at: new Date(now) })));
    await trx('till_sessions').insert(clients.map((c) => ({ tenant_id: c.outletId, workstation_id: c.workstationId, user_id: c.userId, opened_at: new Date(now), opening_float_cents: 10_000 })));
    return {
      eventId,
      seatedCategoryId: seated!.id,
      gaCategoryId,
      clients,
      ca: ca.certPem,
      serverTls: { cert: server.certPem, key: server.keyPem, ca: ca.certPem },
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// HTTPS

export async function login(client: Client, port: number): Promise<void> {
  const res = await request(client, port, 'POST', '/api/v1/auth/login', { login: client.login, password: PASSWORD });
  if (res.status !== 200 || typeof res.json?.token !== 'string') throw new Error(`login of ${client.login} failed: ${res.status} ${JSON.stringify(res.json)}`);
  client.token = res.json.token as string;
}

// ---------------------------------------------------------------------------------------------------
// The rush

export interface RushResult {
  seconds: number;
  soldOut: boolean;
  orders: number;
  tickets: number;
  gaOrders: number;
  seatedOrders: number;
  /** Client-side latency of each successful order (first attempt to 201, retries included), ms. */
  latencies: number[];
  refused: Map<string, number>;
  busyRetries: number;
  errors: Map<string, number>;
  firstErrors: string[];
  intervals: Array<{ at: number; orders: number; tickets: number }>;
}

interface Category {
  id: string;
  kind: 'seated' | 'ga';
  /** Largest quantity a buyer asks for now (shrinks towards the end). */
  cap: number;
  open: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `port`: one server, or the server each client talks to (several instances on one database). */
export async function rush(fixture: Fixture, port: number | ((client: Client) => number), admin: Knex, options: Options, report: (line: string) => void): Promise<RushResult> {
  const portOf = typeof port === 'number' ? () => port : port;
  const seated: Category = { id: fixture.seatedCategoryId, kind: 'seated', cap: options.maxPerOrder, open: true };
  const ga: Category | undefined = fixture.gaCategoryId === undefined ? undefined : { id: fixture.gaCategoryId, kind: 'ga', cap: options.maxPerOrder, open: true };
  const result: RushResult = {
    seconds: 0,
    soldOut: false,
    orders: 0,
    tickets: 0,
    gaOrders: 0,
    seatedOrders: 0,
    latencies: [],
    refused: new Map(),
    busyRetries: 0,
    errors: new Map(),
    firstErrors: [],
    intervals: [],
  };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const start = performance.now();
  const deadline = start + options.maxSeconds * 1000;
  let stopped = false;
  let aborted: Error | undefined;

  /** After a refusal: how many units are left by the committed counter; closes the category at 0. */
  async function recheck(category: Category): Promise<void> {
    const row = await admin('price_categories').where({ id: category.id }).first<{ left: number }>(admin.raw('capacity - sold AS left'));
    const left = Number(row?.left ?? 0);
    if (left <= 0) category.open = false;
    else category.cap = Math.min(category.cap, left);
  }

  async function worker(client: Client): Promise<void> {
    let n = 0;
    while (!stopped) {
      if (performance.now() >= deadline) {
        stopped = true;
        break;
      }
      const open = [seated, ga].filter((c): c is Category => c !== undefined && c.open);
      if (open.length === 0) break;
      const category = open.length === 1 ? open[0]! : Math.random() < options.gaShare ? ga! : seated;
      const quantity = Math.min(category.cap, 1 + Math.floor(Math.random() * options.maxPerOrder));
      n += 1;
      const payment = n % 2 === 0 ? { method: 'cash', givenCents: 50_000 * quantity } : { method: 'card', reference: `K-${client.index}-${n}` };
      const body =
        category.kind === 'ga'
          ? { eventId: fixture.eventId, channel: 'counter', items: [{ categoryId: category.id, quantity }], payment }
          : { eventId: fixture.eventId, channel: 'counter', bestAvailable: [{ categoryId: category.id, quantity }], payment };
      const key = randomUUID().replaceAll('-', '');
      const began = performance.now();
      let res: Reply;
      for (let attempt = 0; ; attempt += 1) {
        res = await request(client, portOf(client), 'POST', '/api/v1/orders', body, { 'idempotency-key': key });
        if (res.status !== 503 || attempt >= 50) break;
        result.busyRetries += 1;
        await sleep(5 + Math.random() * 20);
      }
      const code = typeof res.json?.code === 'string' ? (res.json.code as string) : String(res.status);
      if (res.status === 201) {
        const tickets = Array.isArray(res.json?.tickets) ? (res.json.tickets as unknown[]).length : 0;
        if (tickets !== quantity) throw new Error(`order returned ${tickets} tickets, asked for ${quantity}`);
        result.latencies.push(performance.now() - began);
        result.orders += 1;
        result.tickets += quantity;
        if (category.kind === 'ga') result.gaOrders += 1;
        else result.seatedOrders += 1;
      } else if (res.status === 409 && (code === 'NOT_ENOUGH_SEATS' || code === 'SOLD_OUT')) {
        bump(result.refused, code);
        await recheck(category);
        // Seats may still be locked by buyers whose sale is in flight: look again shortly.
        if (category.open) await sleep(2 + Math.random() * 5);
      } else {
        bump(result.errors, `${res.status} ${code}`);
        if (result.firstErrors.length < 5) result.firstErrors.push(`${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
        if ([...result.errors.values()].reduce((a, b) => a + b, 0) >= 100) throw new Error(`too many unexpected answers, e.g. ${result.firstErrors[0] ?? ''}`);
        await sleep(10);
      }
    }
  }

  let last = { at: start, orders: 0, tickets: 0 };
  const ticker = setInterval(() => {
    const at = performance.now();
    const dt = (at - last.at) / 1000;
    result.intervals.push({ at: (at - start) / 1000, orders: result.orders - last.orders, tickets: result.tickets - last.tickets });
    report(
      `  ${((at - start) / 1000).toFixed(0).padStart(4)} s  ${((result.orders - last.orders) / dt).toFixed(0).padStart(5)} orders/s  ${((result.tickets - last.tickets) / dt).toFixed(0).padStart(5)} tickets/s  sold ${result.tickets}`,
    );
    last = { at, orders: result.orders, tickets: result.tickets };
  }, 5000);
  try {
    await Promise.all(
      fixture.clients.map((c) =>
        worker(c).catch((error: unknown) => {
          stopped = true;
          aborted ??= error as Error;
        }),
      ),
    );
  } finally {
    clearInterval(ticker);
  }
  if (aborted !== undefined) throw aborted;
  result.seconds = (performance.now() - start) / 1000;
  result.soldOut = !seated.open && (ga === undefined || !ga.open);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Wait sampling: what the server's database sessions are doing, 10 times a second

class WaitSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}
  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.client
        .query<{ what: string; n: number }>(
          `SELECT CASE WHEN state = 'active' AND wait_event IS NULL THEN 'active (on CPU)'
                       WHEN state = 'active' THEN 'active, waiting on ' || wait_event_type || ':' || wait_event
                       WHEN state LIKE 'idle in transaction%' THEN 'idle in transaction (waiting for the app)'
                       ELSE coalesce(state, '?') END AS what, count(*)::int AS n
             FROM pg_stat_activity WHERE datname = $1 AND application_name = 'boxoffice' AND pid <> pg_backend_pid()
            GROUP BY 1`,
          [this.database],
        )
        .then(
          (r) => {
            this.samples += 1;
            for (const row of r.rows) this.counts.set(row.what, (this.counts.get(row.what) ?? 0) + row.n);
          },
          () => undefined,
        )
        .finally(() => {
          this.busy = false;
        });
    }, 100);
  }
  stop(): Array<{ what: string; sessions: number }> {
    clearInterval(this.timer);
    if (this.samples === 0) return [];
    return [...this.counts.entries()].map(([what, n]) => ({ what, sessions: n / this.samples })).sort((a, b) => b.sessions - a.sessions);
  }
}

// ---------------------------------------------------------------------------------------------------
// Checks

export interface Verification {
  categories: Array<{ name: string; capacity: number; sold: number; valid: number }>;
  seatsSold: number;
  seatsWithTickets: number;
  doubleSoldSeats: number;
  oversell: number;
  auditOrders: number;
  dbOrders: number;
  problems: string[];
}

export async function verify(admin: Knex, fixture: Fixture, rushResult: RushResult): Promise<Verification> {
  const categories = await admin.raw<{ rows: Array<{ id: string; name: string; capacity: number; sold: number; valid: number }> }>(
    `SELECT c.id, c.name, c.capacity, c.sold,
            (SELECT count(*)::int FROM tickets t WHERE t.category_id = c.id AND t.status = 'valid') AS valid
       FROM price_categories c WHERE c.event_id = ? ORDER BY c.sort_order`,
    [fixture.eventId],
  );
  const seats = await admin.raw<{ rows: Array<{ sold: number; with_ticket: number }> }>(
    `SELECT count(*) FILTER (WHERE s.status = 'sold')::int AS sold,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.seat_id = s.id AND t.status = 'valid'))::int AS with_ticket
       FROM seats s WHERE s.event_id = ?`,
    [fixture.eventId],
  );
  const doubles = await admin.raw<{ rows: Array<{ seats: number; extra: number }> }>(
    `SELECT count(*)::int AS seats, coalesce(sum(n - 1), 0)::int AS extra
       FROM (SELECT seat_id, count(*) AS n FROM tickets WHERE event_id = ? AND status = 'valid' AND seat_id IS NOT NULL GROUP BY seat_id HAVING count(*) > 1) d`,
    [fixture.eventId],
  );
  const orders = await admin.raw<{ rows: Array<{ orders: number; audit: number }> }>(
    `SELECT (SELECT count(*)::int FROM orders WHERE event_id = ?) AS orders,
            (SELECT count(*)::int FROM audit_log WHERE action = 'order.create') AS audit`,
    [fixture.eventId],
  );
  const cats = categories.rows.map((c) => ({ name: c.name, capacity: c.capacity, sold: c.sold, valid: c.valid }));
  const seatsSold = seats.rows[0]?.sold ?? 0;
  const seatsWithTickets = seats.rows[0]?.with_ticket ?? 0;
  const doubleSoldSeats = doubles.rows[0]?.seats ?? 0;
  const overCapacity = cats.reduce((n, c) => n + Math.max(0, c.valid - c.capacity), 0);
  const oversell = (doubles.rows[0]?.extra ?? 0) + overCapacity;
  const problems: string[] = [];
  for (const c of cats) if (c.sold !== c.valid) problems.push(`${c.name}: sold counter ${c.sold} ≠ ${c.valid} valid tickets`);
  const seatedValid = cats.find((c) => c.name === 'Kat 1')?.valid ?? 0;
  if (seatsSold !== seatedValid) problems.push(`seats marked sold ${seatsSold} ≠ ${seatedValid} valid seated tickets`);
  if (seatsWithTickets !== seatsSold) problems.push(`seats with a valid ticket ${seatsWithTickets} ≠ seats marked sold ${seatsSold}`);
  const validTotal = cats.reduce((n, c) => n + c.valid, 0);
  if (validTotal !== rushResult.tickets) problems.push(`valid tickets ${validTotal} ≠ ${rushResult.tickets} tickets the clients were sold`);
  const dbOrders = orders.rows[0]?.orders ?? 0;
  const auditOrders = orders.rows[0]?.audit ?? 0;
  if (dbOrders !== rushResult.orders) problems.push(`orders in the database ${dbOrders} ≠ ${rushResult.orders} confirmed to clients`);
  if (auditOrders !== dbOrders) problems.push(`audit rows order.create ${auditOrders} ≠ orders ${dbOrders}`);
  return { categories: cats, seatsSold, seatsWithTickets, doubleSoldSeats, oversell, auditOrders, dbOrders, problems };
}

// ---------------------------------------------------------------------------------------------------
// pgbench

// ---------------------------------------------------------------------------------------------------
// Main


/** A fresh, migrated PostgreSQL database with the event, clients and tills; dropped by `cleanup` unless --keep-db. */
export async function prepareSalesRun(options: Options, cleanup: Cleanup, out: (line?: string) => void): Promise<{ dbName: string; dbUrl: string; admin: Knex; fixture: Fixture; serverVersion: string; setupSeconds: number }> {
  const t0 = performance.now();
  const dbName = `boxoffice_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dbUrl = urlFor(options.pgUrl, dbName);
  const serverVersion = await withAdminClient(options.pgUrl, async (c) => {
    await c.query(`CREATE DATABASE ${dbName}`);
    return (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
  });
  if (options.keepDb) out(`keeping database ${dbName} (--keep-db)`);
  else cleanup.add(`drop ${dbName}`, () => dropDatabase(options.pgUrl, dbName));

  // Migrate as the owner (openDatabase with migrate: true), then keep only an owner connection for set-up and checks.
  await (await openDatabase({ url: dbUrl, migrate: true, poolMax: 1 })).close();
  const admin = knexFactory({ client: 'pg', connection: pgConnection(dbUrl), pool: { min: 0, max: 4 } });
  cleanup.add('close owner connection', () => admin.destroy());

  if (options.explainMs > 0) {
    // Only for this database's sessions; needs a superuser (which the set-up connection is).
    await withAdminClient(options.pgUrl, async (c) => {
      for (const setting of [
        `session_preload_libraries = 'auto_explain'`,
        `auto_explain.log_min_duration = ${options.explainMs}`,
        'auto_explain.log_analyze = on',
        'auto_explain.log_buffers = on',
      ]) {
        await c.query(`ALTER DATABASE ${dbName} SET ${setting}`);
      }
    });
    out(`slow statements (> ${options.explainMs} ms) go with their plans to the PostgreSQL server log`);
  }
  const fixture = await seed(admin, options);
  cleanup.add('close client agents', async () => fixture.clients.forEach((c) => c.agent.destroy()));
  await admin.raw('ANALYZE');
  const setupSeconds = (performance.now() - t0) / 1000;
  return { dbName, dbUrl, admin, fixture, serverVersion, setupSeconds };
}

/** The sales options from argv, or the outcome to return at once (help printed: 0; usage error: 2). */
export function readSalesOptions(argv: readonly string[], bench: string, help: () => string): Options | BenchOutcome {
  try {
    const parsed = parseOptions(argv, process.env);
    if (parsed !== 'help') return parsed;
    process.stdout.write(`${help()}\n`);
    return { code: 0, figures: {} };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench ${bench}: ${error.message}\n\n${help()}`);
    return { code: 2, figures: {} };
  }
}

export async function runSalesBench(argv: string[]): Promise<BenchOutcome> {
  const options = readSalesOptions(argv, 'sales', helpText);
  if ('code' in options) return options;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const { dbName, dbUrl, admin, fixture, serverVersion, setupSeconds } = await prepareSalesRun(options, cleanup, out);

    const server = await startServer(options, { url: dbUrl, poolMax: options.pool, tls: fixture.serverTls, rateLimits: options.rateLimits }, cleanup);
    for (let i = 0; i < fixture.clients.length; i += 16) await Promise.all(fixture.clients.slice(i, i + 16).map((c) => login(c, server.port)));

    const blocks = Math.ceil(options.seats / SEATS_PER_BLOCK);
    out(`sales rush: PostgreSQL ${serverVersion} at ${new URL(options.pgUrl).host}, server ${options.server === 'process' ? 'in a child process' : 'in the load generator process'}, pool ${options.pool}`);
    out(
      `  ${options.clients} clients (workstation certificate + user + open till each) in ${options.outlets} outlet${options.outlets === 1 ? '' : 's'}; event: ${fmt(options.seats)} seats in one category (${blocks} block${blocks === 1 ? '' : 's'} of ${ROWS_PER_BLOCK} rows × ${SEATS_PER_ROW})` +
        `${options.ga > 0 ? ` + ${fmt(options.ga)} standing places` : ''}; orders of 1–${options.maxPerOrder} tickets, ${Math.round(options.gaShare * 100)} % standing, the rest best available; set-up ${setupSeconds.toFixed(1)} s`,
    );

    let sampler: WaitSampler | undefined;
    let samplerClient: pg.Client | undefined;
    if (options.sampleWaits) {
      samplerClient = new pg.Client({ connectionString: options.pgUrl });
      await samplerClient.connect();
      const c = samplerClient;
      cleanup.add('close sampler', () => c.end());
      sampler = new WaitSampler(samplerClient, dbName);
      sampler.start();
    }
    const result = await rush(fixture, server.port, admin, options, out);
    const waits = sampler?.stop() ?? [];
    await server.stop();
    const check = await verify(admin, fixture, result);

    const pgb = await runPgbench(options, cleanup, out);

    const sorted = [...result.latencies].sort((a, b) => a - b);
    const ordersPerSecond = result.orders / result.seconds;
    const ticketsPerSecond = result.tickets / result.seconds;
    const ratio = pgb.tps === undefined ? Number.NaN : ordersPerSecond / pgb.tps;
    const refused = [...result.refused.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || '0';
    const errors = [...result.errors.entries()].map(([k, v]) => `${k} × ${v}`).join(', ') || '0';
    const rows: Array<[string, string]> = [
      ['clients', `${options.clients} (pool ${options.pool}, server ${options.server}, rate limits ${options.rateLimits ? 'on' : 'off'})`],
      ['duration', `${result.seconds.toFixed(1)} s${result.soldOut ? ' (sold out)' : ` (stopped at the ${options.maxSeconds} s cap, not sold out)`}`],
      ['orders', `${fmt(result.orders)} (${fmt(result.seatedOrders)} best available, ${fmt(result.gaOrders)} standing)`],
      ['orders/s', fmt(ordersPerSecond, 1)],
      ['tickets', fmt(result.tickets)],
      ['tickets/s', fmt(ticketsPerSecond, 1)],
      ['latency p50', `${fmt(percentile(sorted, 50), 1)} ms`],
      ['latency p99', `${fmt(percentile(sorted, 99), 1)} ms (p90 ${fmt(percentile(sorted, 90), 1)}, max ${fmt(sorted.at(-1) ?? Number.NaN, 1)})`],
      ['refused (409)', refused],
      ['busy retries (503)', fmt(result.busyRetries)],
      ['unexpected answers', errors],
      ['oversell', `${check.oversell} (seats with two valid tickets ${check.doubleSoldSeats})`],
      [
        'counters',
        check.problems.length === 0
          ? `ok: ${check.categories.map((c) => `${c.name} ${fmt(c.valid)}/${fmt(c.capacity)} valid = sold`).join(', ')}, seats sold ${fmt(check.seatsSold)}, audit rows ${fmt(check.auditOrders)} = orders`
          : `MISMATCH: ${check.problems.join('; ')}`,
      ],
      ['pgbench -N tps', pgb.tps === undefined ? (pgb.note ?? 'n/a') : `${fmt(pgb.tps, 1)} (-c ${options.clients} -j ${Math.min(2, options.clients)} -T ${options.pgbenchSeconds}, scale ${options.pgbenchScale}, latency avg ${fmt(pgb.latencyMs ?? Number.NaN, 2)} ms)`],
      ['ratio orders/s ÷ tps', Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(3)} (target ≥ 0.30: ${ratio >= 0.3 ? 'reached' : 'not reached'})`],
    ];
    out();
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v}`);
    if (waits.length > 0) {
      out();
      out(`  server database sessions during the rush (average of ${options.pool} pooled connections, sampled 10/s):`);
      for (const w of waits.slice(0, 8)) out(`    ${w.sessions.toFixed(2).padStart(6)}  ${w.what}`);
    }
    if (result.firstErrors.length > 0) {
      out();
      out('  first unexpected answers:');
      for (const e of result.firstErrors) out(`    ${e}`);
    }
    const ok = check.oversell === 0 && check.problems.length === 0 && result.errors.size === 0;
    return {
      code: ok ? 0 : 1,
      figures: {
        clients: options.clients,
        outlets: options.outlets,
        rateLimits: options.rateLimits,
        seconds: figure(result.seconds, 1),
        soldOut: result.soldOut,
        orders: result.orders,
        tickets: result.tickets,
        ordersPerSecond: figure(ordersPerSecond, 1),
        ticketsPerSecond: figure(ticketsPerSecond, 1),
        latencyP50Ms: figure(percentile(sorted, 50), 1),
        latencyP99Ms: figure(percentile(sorted, 99), 1),
        busyRetries: result.busyRetries,
        oversell: check.oversell,
        pgbenchTps: figure(pgb.tps, 1),
        ratioToPgbench: figure(ratio, 3),
        ok,
      },
    };
  } finally {
    await cleanup.run();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
