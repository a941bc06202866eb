import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import knexFactory, { type Knex } from 'knex';
import { openDatabase, pgConnection } from '../../server/src/db/database.js';
import { hashPassword } from '../../server/src/modules/identity/password-hash.js';
import { createCa, issueClientCertificate, issueServerCertificate } from '../../server/src/pki/x509.js';
import { Cleanup, dropDatabase, fmt, optionReader, percentile, request, runPgbench, startServer, UsageError, urlFor, withAdminClient, type HttpClient, figure, type BenchOutcome, type Figures } from './lib.js';

/**
 * Online entry: a box office sells and prints N tickets through the real API (sale, print job,
 * confirmation), then G gates check them in over HTTPS with their own workstation certificates as fast as
 * they can (a share of the scans repeats a code another gate already let in), then `pgbench -N` with G
 * clients runs against the same PostgreSQL server. Also the verdict latency of one gate alone.
 * Prints figures; exits 1 only when a correctness check fails.
 */

export interface EntryOnlineOptions {
  gates: number;
  tickets: number;
  repeatShare: number;
  singleScans: number;
  listTickets: number;
  pool: number;
  pgbenchSeconds: number;
  pgbenchScale: number;
  server: 'process' | 'inline';
  pgUrl: string;
}

export interface EntryOnlineResult {
  gates: number;
  scans: number;
  admitted: number;
  seconds: number;
  checkInsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  singleGateP50Ms: number;
  singleGateP99Ms: number;
  /** Full scan-list download (request to parsed JSON) and its entries; undefined when skipped. */
  downloadMs: number | undefined;
  downloadEntries: number | undefined;
  pgbenchTps: number | undefined;
  ratio: number | undefined;
  ok: boolean;
}

const PASSWORD = 'Einlass am Nordtor 9!';
const PRICE = 2500;

export const ENTRY_ONLINE_OPTIONS: Array<[flag: string, env: string, text: string]> = [
  ['--gates N', 'BENCH_GATES', 'concurrent gates, each with its own workstation certificate and user (8)'],
  ['--tickets N', 'BENCH_TICKETS', 'tickets sold and printed through the API before the gates open (3000)'],
  ['--repeat-share F', 'BENCH_REPEAT_SHARE', 'share of scans that repeat a code already let in (0.1)'],
  ['--single-scans N', 'BENCH_SINGLE_SCANS', 'scans of one gate alone, for the verdict latency without contention (300)'],
  ['--list-tickets N', 'BENCH_LIST_TICKETS', 'tickets added (as the owner) before timing a full scan-list download; 0 skips it (100000)'],
  ['--pool N', 'BENCH_POOL', 'database connections of the server (20)'],
  ['--pgbench-seconds N', 'BENCH_PGBENCH_SECONDS', 'pgbench -T; 0 skips pgbench (20)'],
  ['--pgbench-scale N', 'BENCH_PGBENCH_SCALE', 'pgbench -i -s (10)'],
  ['--server process|inline', 'BENCH_SERVER', 'server in a child process or in this process (process)'],
  ['--pg-url URL', 'BENCH_PG_URL', 'superuser connection to create and drop the databases'],
];

export function parseEntryOnlineOptions(argv: readonly string[], env: NodeJS.ProcessEnv, known: readonly string[] = []): EntryOnlineOptions {
  const { raw, int } = optionReader(argv, env, ['gates', 'tickets', 'repeat-share', 'single-scans', 'list-tickets', 'pool', 'pgbench-seconds', 'pgbench-scale', 'server', 'pg-url', ...known]);
  const repeatRaw = raw('repeat-share');
  const repeatShare = repeatRaw === undefined ? 0.1 : Number(repeatRaw);
  if (!Number.isFinite(repeatShare) || repeatShare < 0 || repeatShare > 0.9) throw new UsageError(`--repeat-share must be between 0 and 0.9, not ${repeatRaw}`);
  const server = raw('server') ?? 'process';
  if (server !== 'process' && server !== 'inline') throw new UsageError(`--server must be process or inline, not ${server}`);
  return {
    gates: int('gates', 8, 1, 200),
    tickets: int('tickets', 3000, 50, 200_000),
    repeatShare,
    singleScans: int('single-scans', 300, 0, 100_000),
    listTickets: int('list-tickets', 100_000, 0, 1_000_000),
    pool: int('pool', 20, 1, 200),
    pgbenchSeconds: int('pgbench-seconds', 20, 0, 3600),
    pgbenchScale: int('pgbench-scale', 10, 1, 1000),
    server,
    pgUrl: raw('pg-url') ?? env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

interface Station extends HttpClient {
  login: string;
}

async function seed(admin: Knex, gates: number, tickets: number) {
  const now = Date.now();
  const ca = await createCa({ commonName: 'Bench platform CA', validityDays: 2, now: new Date(now - 3600_000) });
  const server = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1, now: new Date(now - 60_000) });
  const names = ['kasse', 'buero', ...Array.from({ length: gates }, (_, i) => `tor-${i + 1}`)];
  const certs = await Promise.all(names.map((n) => issueClientCertificate(ca, { commonName: n, organization: 'Bench', validityDays: 1, now: new Date(now - 60_000), kind: 'workstation' })));
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  // Jobs of 50 tickets start on a fresh sheet each (the leftover blank of the last sheet is voided): 51 per job.
  const blanks = Math.ceil(tickets / 50) * 51 + 3;
  return admin.transaction(async (trx) => {
    const [op] = await trx('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
    const [outlet] = await trx('tenants').insert({ kind: 'outlet', code: 'outlet-1', name: 'Vorverkauf', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
    const [promoter] = await trx('tenants').insert({ kind: 'promoter', code: 'promoter', name: 'Konzertbüro', parent_id: op!.id }).returning<Array<{ id: string }>>('id');
    const [venue] = await trx('venues').insert({ tenant_id: promoter!.id, name: 'Arena', city: 'Hamburg' }).returning<Array<{ id: string }>>('id');
    const [event] = await trx('events')
      .insert({ tenant_id: promoter!.id, venue_id: venue!.id, name: 'Einlassprobe', starts_at: new Date(now + 86_400_000), sales_start: new Date(now - 86_400_000), sales_end: new Date(now + 86_000_000), status: 'on_sale' })
      .returning<Array<{ id: string }>>('id');
    const [category] = await trx('price_categories')
      .insert({ tenant_id: promoter!.id, event_id: event!.id, name: 'Stehplatz', price_cents: PRICE, vat_rate_bp: 700, seated: false, capacity: tickets, sort_order: 1 })
      .returning<Array<{ id: string }>>('id');
    await trx('sales_rights').insert({ tenant_id: promoter!.id, event_id: event!.id, outlet_id: outlet!.id, granted_at: new Date(now) });
    const tenantOf = (name: string) => (name === 'kasse' ? outlet!.id : promoter!.id);
    const ws = await trx('workstations')
      .insert(certs.map((c, i) => ({ tenant_id: tenantOf(names[i]!), name: names[i]!, cert_serial: c.serialHex, cert_fingerprint: c.fingerprint256, cert_not_after: c.notAfter })))
      .returning<Array<{ id: string; name: string }>>(['id', 'name']);
    const users = await trx('users')
      .insert(names.map((n) => ({ tenant_id: tenantOf(n), login: n.replace('-', '.'), display_name: n, password_hash: passwordHash, must_change_password: false })))
      .returning<Array<{ id: string; login: string; tenant_id: string }>>(['id', 'login', 'tenant_id']);
    const rights = (login: string) => (login === 'kasse' ? ['sales.sell', 'tickets.print'] : login === 'buero' ? ['events.manage'] : ['entry.scan']);
    await trx('user_permissions').insert(users.flatMap((u) => rights(u.login).map((permission) => ({ tenant_id: u.tenant_id, user_id: u.id, permission, granted_at: new Date(now) }))));
    const clerk = users.find((u) => u.login === 'kasse')!;
    const clerkWs = ws.find((w) => w.name === 'kasse')!;
    await trx('till_sessions').insert({ tenant_id: outlet!.id, workstation_id: clerkWs.id, user_id: clerk.id, opened_at: new Date(now), opening_float_cents: 0 });
    const operatorUser = await trx('users').insert({ tenant_id: op!.id, login: 'lager', display_name: 'Lager', password_hash: passwordHash, must_change_password: false }).returning<Array<{ id: string }>>('id');
    const [batch] = await trx('blank_batches').insert({ tenant_id: outlet!.id, first_number: 1, last_number: blanks, registered_at: new Date(now), registered_by: operatorUser[0]!.id }).returning<Array<{ id: string }>>('id');
    await trx.raw('INSERT INTO blanks (number, tenant_id, batch_id) SELECT g, ?, ? FROM generate_series(1::bigint, ?::bigint) g', [outlet!.id, batch!.id, blanks]);
    const station = (name: string): Station => {
      const c = certs[names.indexOf(name)]!;
      return { login: name.replace('-', '.'), token: '', agent: new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem, cert: c.certPem, key: c.keyPem }) };
    };
    return {
      eventId: event!.id,
      categoryId: category!.id,
      ids: { outletId: outlet!.id, promoterId: promoter!.id, clerkId: clerk.id, clerkWorkstationId: clerkWs.id, operatorUserId: operatorUser[0]!.id, firstFreeBlank: blanks + 1 },
      clerk: station('kasse'),
      manager: station('buero'),
      gates: names.slice(2).map(station),
      serverTls: { cert: server.certPem, key: server.keyPem, ca: ca.certPem },
    };
  });
}

/**
 * `n` more tickets with active prints for the scan-list download figure, written in a few statements as
 * the owner (selling and printing 100 000 tickets through the API would take most of an hour here).
 */
async function seedPrintedTickets(admin: Knex, at: { eventId: string; categoryId: string; outletId: string; promoterId: string; clerkId: string; clerkWorkstationId: string; operatorUserId: string; firstFreeBlank: number }, n: number): Promise<void> {
  const now = new Date();
  await admin.transaction(async (trx) => {
    const [order] = await trx('orders')
      .insert({ tenant_id: at.outletId, promoter_id: at.promoterId, event_id: at.eventId, channel: 'counter', status: 'paid', total_cents: n * PRICE, paid_at: now, created_at: now, created_by: at.clerkId, workstation_id: at.clerkWorkstationId })
      .returning<Array<{ id: string }>>('id');
    const first = Math.ceil((at.firstFreeBlank - 1) / 3) * 3 + 1;
    const last = first + Math.ceil(n / 3) * 3 - 1;
    // Batches hold at most 30 000 blanks.
    for (let from = first; from <= last; from += 29_997) {
      const to = Math.min(last, from + 29_996);
      const [batch] = await trx('blank_batches').insert({ tenant_id: at.outletId, first_number: from, last_number: to, registered_at: now, registered_by: at.operatorUserId }).returning<Array<{ id: string }>>('id');
      await trx.raw(
        `INSERT INTO blanks (number, tenant_id, batch_id, state, changed_at, changed_by, workstation_id) SELECT g, ?, ?, 'printed', ?, ?, ? FROM generate_series(?::bigint, ?::bigint) g`,
        [at.outletId, batch!.id, now, at.clerkId, at.clerkWorkstationId, from, to],
      );
    }
    const [job] = await trx('print_jobs')
      .insert({ tenant_id: at.outletId, order_id: order!.id, kind: 'print', workstation_id: at.clerkWorkstationId, created_by: at.clerkId, created_at: now, first_blank: first, last_blank: first + n - 1 })
      .returning<Array<{ id: string }>>('id');
    await trx.raw(
      `WITH t AS (
         INSERT INTO tickets (tenant_id, promoter_id, order_id, event_id, category_id, price_cents, vat_rate_bp, created_at)
         SELECT ?, ?, ?, ?, ?, ?, 700, ? FROM generate_series(1, ?) RETURNING id
       ), numbered AS (SELECT id, row_number() OVER () AS k FROM t)
       INSERT INTO ticket_prints (tenant_id, promoter_id, ticket_id, print_job_id, blank_number, barcode, status, issued_at, confirmed_at)
       SELECT ?, ?, id, ?, ? + k - 1, lpad((k + 90000000000000)::text, 22, '4'), 'active', ?, ? FROM numbered`,
      [at.outletId, at.promoterId, order!.id, at.eventId, at.categoryId, PRICE, now, n, at.outletId, at.promoterId, job!.id, first, now, now],
    );
  });
}

export async function runEntryOnline(options: EntryOnlineOptions, out: (line?: string) => void): Promise<EntryOnlineResult> {
  const cleanup = new Cleanup();
  try {
    const t0 = performance.now();
    const dbName = `boxoffice_bench_entry_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const dbUrl = urlFor(options.pgUrl, dbName);
    await withAdminClient(options.pgUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
    cleanup.add(`drop ${dbName}`, () => dropDatabase(options.pgUrl, dbName));
    await (await openDatabase({ url: dbUrl, migrate: true, poolMax: 1 })).close();
    const admin = knexFactory({ client: 'pg', connection: pgConnection(dbUrl), pool: { min: 0, max: 2 } });
    cleanup.add('close owner connection', () => admin.destroy());
    const fx = await seed(admin, options.gates, options.tickets);
    const all = [fx.clerk, fx.manager, ...fx.gates];
    cleanup.add('close agents', async () => all.forEach((s) => s.agent.destroy()));
    const server = await startServer(options, { url: dbUrl, poolMax: options.pool, tls: fx.serverTls }, cleanup);
    const { port } = server;
    const call = (s: Station, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => request(s, port, method, path, body, headers);
    for (const s of all) {
      const res = await call(s, 'POST', '/api/v1/auth/login', { login: s.login, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login of ${s.login}: ${res.status} ${JSON.stringify(res.json)}`);
      s.token = res.json.token as string;
    }

    // The box office sells and prints every ticket (50 per order), through the API.
    const codes: string[] = [];
    const tray = await call(fx.clerk, 'PUT', '/api/v1/printing/tray', { nextBlankNumber: 1 });
    if (tray.status !== 200) throw new Error(`tray: ${tray.status} ${JSON.stringify(tray.json)}`);
    while (codes.length < options.tickets) {
      const n = Math.min(50, options.tickets - codes.length);
      const order = await call(fx.clerk, 'POST', '/api/v1/orders', { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.categoryId, quantity: n }], payment: { method: 'cash', givenCents: n * PRICE } }, { 'idempotency-key': randomUUID() });
      if (order.status !== 201) throw new Error(`sale: ${order.status} ${JSON.stringify(order.json)}`);
      const job = await call(fx.clerk, 'POST', `/api/v1/orders/${order.json.id as string}/print-jobs`, {}, { 'idempotency-key': randomUUID() });
      if (job.status !== 201) throw new Error(`print job: ${job.status} ${JSON.stringify(job.json)}`);
      const confirm = await call(fx.clerk, 'POST', `/api/v1/print-jobs/${job.json.id as string}/confirm`, {});
      if (confirm.status !== 200) throw new Error(`confirm: ${confirm.status} ${JSON.stringify(confirm.json)}`);
      for (const t of job.json.tickets as Array<{ barcode: string }>) codes.push(t.barcode);
    }
    const list = await call(fx.manager, 'POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'Alle' });
    if (list.status !== 201) throw new Error(`entry list: ${list.status} ${JSON.stringify(list.json)}`);
    const single = await call(fx.manager, 'POST', '/api/v1/entry-lists', { eventId: fx.eventId, name: 'Einzeltor' });
    await admin.raw('ANALYZE');
    out(`  set-up ${((performance.now() - t0) / 1000).toFixed(1)} s: ${fmt(codes.length)} tickets sold, printed and confirmed through the API; ${options.gates} gates`);

    // One gate alone: verdict latency without contention (its own entry list, so the main run is unaffected).
    const singleLatencies: number[] = [];
    for (let i = 0; i < Math.min(options.singleScans, codes.length); i += 1) {
      const started = performance.now();
      const res = await call(fx.gates[0]!, 'POST', '/api/v1/check-ins', { entryListId: single.json.id, gate: 'Einzeltor', code: codes[i]!, nonce: randomUUID() });
      singleLatencies.push(performance.now() - started);
      if (res.status !== 200 || res.json.verdict !== 'admitted') throw new Error(`single gate: ${res.status} ${JSON.stringify(res.json)}`);
    }

    // All gates at once: every code once, plus repeats of codes already let in.
    let next = 0;
    const admittedCodes: string[] = [];
    const latencies: number[] = [];
    const verdicts = new Map<string, number>();
    const started = performance.now();
    await Promise.all(
      fx.gates.map(async (g, gi) => {
        for (;;) {
          const repeat = admittedCodes.length > 0 && Math.random() < options.repeatShare;
          let code: string;
          if (repeat) code = admittedCodes[Math.floor(Math.random() * admittedCodes.length)]!;
          else if (next < codes.length) code = codes[next++]!;
          else break;
          const t = performance.now();
          const res = await call(g, 'POST', '/api/v1/check-ins', { entryListId: list.json.id, gate: `Tor ${gi + 1}`, code, nonce: randomUUID() });
          latencies.push(performance.now() - t);
          const verdict = res.status === 200 ? (res.json.verdict as string) : `HTTP ${res.status} ${res.json?.code ?? ''}`;
          verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
          if (verdict === 'admitted') admittedCodes.push(code);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const scans = latencies.length;
    const admittedRows = Number((await admin('ticket_admissions').where({ entry_list_id: list.json.id }).count<Array<{ n: string }>>('* as n'))[0]!.n);
    const ok = (verdicts.get('admitted') ?? 0) === codes.length && admittedRows === codes.length && scans === codes.length + (verdicts.get('already_admitted') ?? 0);

    // A full scan-list download with `listTickets` more tickets on the list (a gate opening for a big event).
    let downloadMs: number | undefined;
    let downloadEntries: number | undefined;
    if (options.listTickets > 0) {
      await seedPrintedTickets(admin, { eventId: fx.eventId, categoryId: fx.categoryId, ...fx.ids }, options.listTickets);
      await admin.raw('ANALYZE');
      const t = performance.now();
      const res = await call(fx.gates[0]!, 'GET', `/api/v1/entry-lists/${list.json.id as string}/scan-list`);
      downloadMs = performance.now() - t;
      if (res.status !== 200) throw new Error(`scan list: ${res.status} ${JSON.stringify(res.json)}`);
      downloadEntries = (res.json.valid as string[]).length + (res.json.invalid as string[]).length + (res.json.cancelled as string[]).length;
    }
    await server.stop();

    const pgb = await runPgbench({ pgUrl: options.pgUrl, clients: options.gates, pgbenchSeconds: options.pgbenchSeconds, pgbenchScale: options.pgbenchScale }, cleanup, (line) => out(line));
    const sorted = [...latencies].sort((a, b) => a - b);
    const singleSorted = [...singleLatencies].sort((a, b) => a - b);
    const perSecond = scans / seconds;
    const result: EntryOnlineResult = {
      gates: options.gates,
      scans,
      admitted: verdicts.get('admitted') ?? 0,
      seconds,
      checkInsPerSecond: perSecond,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      singleGateP50Ms: percentile(singleSorted, 50),
      singleGateP99Ms: percentile(singleSorted, 99),
      downloadMs,
      downloadEntries,
      pgbenchTps: pgb.tps,
      ratio: pgb.tps === undefined ? undefined : perSecond / pgb.tps,
      ok,
    };
    out('');
    out(`  online check-ins      ${fmt(scans)} scans by ${options.gates} gates in ${seconds.toFixed(1)} s: ${fmt(perSecond, 1)} check-ins/s`);
    out(`  verdicts              ${[...verdicts].map(([v, n]) => `${v} ${fmt(n)}`).join(', ')}`);
    out(`  latency, ${options.gates} gates    p50 ${fmt(result.p50Ms, 1)} ms, p99 ${fmt(result.p99Ms, 1)} ms`);
    out(`  latency, one gate     p50 ${fmt(result.singleGateP50Ms, 1)} ms, p99 ${fmt(result.singleGateP99Ms, 1)} ms (${fmt(singleLatencies.length)} scans; target p99 ≤ 20 ms)`);
    out(`  scan list, full       ${downloadMs === undefined ? 'skipped (--list-tickets 0)' : `${fmt(downloadEntries ?? 0)} entries in ${fmt(downloadMs, 0)} ms (request to parsed JSON; target ≤ 3 s for 100,000)`}`);
    out(`  pgbench -N tps        ${pgb.tps === undefined ? (pgb.note ?? 'n/a') : `${fmt(pgb.tps, 1)} (-c ${options.gates}, scale ${options.pgbenchScale})`}`);
    out(`  ratio                 ${result.ratio === undefined ? 'n/a' : `${result.ratio.toFixed(3)} (target ≥ 0.40)`}`);
    out(`  exactly once          ${ok ? `ok: ${fmt(admittedRows)} admissions = ${fmt(codes.length)} tickets` : `FAILED: ${fmt(admittedRows)} admissions for ${fmt(codes.length)} tickets`}`);
    return result;
  } finally {
    await cleanup.run();
  }
}

function helpText(): string {
  const width = Math.max(...ENTRY_ONLINE_OPTIONS.map(([f]) => f.length));
  return ['usage: npm run bench -- entry-online [options]   (every option can also be set in the environment)', '', ...ENTRY_ONLINE_OPTIONS.map(([flag, env, text]) => `  ${flag.padEnd(width)}  ${text}  [${env}]`)].join('\n');
}

/** `npm run bench -- entry-online`: exit 0, 1 (a correctness check failed) or 2 (usage). */
export async function runEntryOnlineBench(argv: string[]): Promise<BenchOutcome> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return { code: 0, figures: {} };
  }
  let options: EntryOnlineOptions;
  try {
    options = parseEntryOnlineOptions(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`bench entry-online: ${error.message}\n\n${helpText()}`);
      return { code: 2, figures: {} };
    }
    throw error;
  }
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`entry, online: ${options.gates} gates over HTTPS with client certificates against PostgreSQL`);
  const result = await runEntryOnline(options, out);
  const figures: Figures = {
    gates: result.gates,
    scans: result.scans,
    admitted: result.admitted,
    seconds: figure(result.seconds),
    checkInsPerSecond: figure(result.checkInsPerSecond, 1),
    p50Ms: figure(result.p50Ms),
    p99Ms: figure(result.p99Ms),
    singleGateP50Ms: figure(result.singleGateP50Ms),
    singleGateP99Ms: figure(result.singleGateP99Ms),
    scanListDownloadMs: figure(result.downloadMs, 0),
    scanListEntries: result.downloadEntries ?? null,
    pgbenchTps: figure(result.pgbenchTps, 1),
    ratio: figure(result.ratio, 3),
    ok: result.ok,
  };
  return { code: result.ok ? 0 : 1, figures };
}
