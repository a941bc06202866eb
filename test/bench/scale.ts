import { Cleanup, figure, fmt, percentile, startServer, type BenchOutcome, type Figures } from './lib.js';
import { helpText as salesHelp, login, prepareSalesRun, readSalesOptions, rush, verify, type Options } from './sales.js';

/**
 * Scale-out: the sales rush of `bench sales` against one server process and then against two server
 * processes on the same PostgreSQL server (each on its own port; clients spread round robin, as a TCP
 * load balancer would). Each phase gets a fresh database with the same event. Prints orders/s for each
 * and the ratio two ÷ one. Defaults differ from `sales`: counters in 8 outlets (one outlet's sales are
 * serialised by its audit chain, whatever the number of servers), a 60 s cap per phase, no pgbench.
 */
const SCALE_DEFAULTS = ['--outlets', '8', '--max-seconds', '60', '--pgbench-seconds', '0', '--no-wait-sampling'];

function helpText(): string {
  return [
    'usage: npm run bench -- scale [options of the sales bench]',
    '',
    `Runs the sales rush against 1 and then 2 server processes; defaults here: ${SCALE_DEFAULTS.join(' ')}.`,
    'Every server process gets its own pool of --pool connections.',
    '',
    salesHelp(),
  ].join('\n');
}

interface Phase {
  instances: number;
  ordersPerSecond: number;
  ticketsPerSecond: number;
  orders: number;
  seconds: number;
  soldOut: boolean;
  p50: number;
  p99: number;
  ok: boolean;
  problems: string[];
}

async function phase(options: Options, instances: number, out: (line?: string) => void): Promise<Phase> {
  const cleanup = new Cleanup();
  try {
    const { admin, fixture, dbUrl, setupSeconds } = await prepareSalesRun(options, cleanup, out);
    const servers: Array<{ port: number; stop(): Promise<void> }> = [];
    for (let i = 0; i < instances; i += 1) servers.push(await startServer(options, { url: dbUrl, poolMax: options.pool, tls: fixture.serverTls, rateLimits: options.rateLimits }, cleanup));
    const portOf = (c: { index: number }) => servers[c.index % instances]!.port;
    for (let i = 0; i < fixture.clients.length; i += 16) await Promise.all(fixture.clients.slice(i, i + 16).map((c) => login(c, portOf(c))));
    out(`${instances} server process${instances === 1 ? '' : 'es'} (ports ${servers.map((s) => s.port).join(', ')}), set-up ${setupSeconds.toFixed(1)} s`);
    const result = await rush(fixture, portOf, admin, options, (line) => out(line));
    for (const s of servers) await s.stop();
    const check = await verify(admin, fixture, result);
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const problems = [...check.problems, ...(check.oversell > 0 ? [`oversell ${check.oversell}`] : []), ...[...result.errors.entries()].map(([k, v]) => `${k} × ${v}`)];
    return {
      instances,
      ordersPerSecond: result.orders / result.seconds,
      ticketsPerSecond: result.tickets / result.seconds,
      orders: result.orders,
      seconds: result.seconds,
      soldOut: result.soldOut,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      ok: problems.length === 0,
      problems,
    };
  } finally {
    await cleanup.run();
  }
}

export async function runScaleBench(argv: string[]): Promise<BenchOutcome> {
  const options = readSalesOptions([...SCALE_DEFAULTS, ...argv], 'scale', helpText);
  if ('code' in options) return options;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`scale-out: sales rush, ${options.clients} clients in ${options.outlets} outlets, at most ${options.maxSeconds} s per phase, pool ${options.pool} per server process`);
  const phases: Phase[] = [];
  for (const instances of [1, 2]) {
    out();
    phases.push(await phase(options, instances, out));
  }
  const [one, two] = phases as [Phase, Phase];
  const ratio = two.ordersPerSecond / one.ordersPerSecond;
  out();
  for (const p of phases) {
    out(
      `  ${p.instances} instance${p.instances === 1 ? ' ' : 's'}  ${fmt(p.ordersPerSecond, 1).padStart(7)} orders/s  ${fmt(p.ticketsPerSecond, 1).padStart(7)} tickets/s  ` +
        `p50 ${fmt(p.p50, 1)} ms  p99 ${fmt(p.p99, 1)} ms  ${fmt(p.orders)} orders in ${p.seconds.toFixed(1)} s${p.soldOut ? ' (sold out)' : ''}  ${p.ok ? 'checks ok' : `FAILED: ${p.problems.join('; ')}`}`,
    );
  }
  out(`  ratio two ÷ one instance: ${ratio.toFixed(2)}`);
  const figures: Figures = { clients: options.clients, outlets: options.outlets, ratio: figure(ratio) };
  for (const p of phases) {
    figures[`instances${p.instances}`] = {
      ordersPerSecond: figure(p.ordersPerSecond, 1),
      ticketsPerSecond: figure(p.ticketsPerSecond, 1),
      latencyP50Ms: figure(p.p50, 1),
      latencyP99Ms: figure(p.p99, 1),
      orders: p.orders,
      seconds: figure(p.seconds, 1),
      soldOut: p.soldOut,
      ok: p.ok,
    };
  }
  return { code: phases.every((p) => p.ok) ? 0 : 1, figures };
}
