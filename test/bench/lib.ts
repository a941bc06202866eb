import { fork, spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startBenchServer, type BenchServer, type BenchServerOptions, type FromServer, type ToServer } from './sales-server.js';

/**
 * What the benchmarks share: a PostgreSQL database per run, cleanup in reverse order, HTTPS requests with
 * a workstation certificate, the server as a child process (or in-process), pgbench as the yardstick,
 * percentiles and number formatting.
 */

/** The options of a benchmark that these helpers read. */
export interface HarnessOptions {
  pgUrl: string;
  server: 'process' | 'inline';
  cpuProfDir?: string | undefined;
}

export class UsageError extends Error {}

/**
 * Reads `--name value` / `--name=value` options (every one also settable as BENCH_NAME in the environment)
 * and `switches`, flags without a value that stand for an option's value. Unknown options are refused.
 */
export function optionReader(argv: readonly string[], env: NodeJS.ProcessEnv, known: readonly string[], switches: Readonly<Record<string, [name: string, value: string]>> = {}) {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const flag = switches[arg];
    if (flag !== undefined) {
      flags.set(flag[0], flag[1]);
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m === null) throw new UsageError(`unexpected argument: ${arg}`);
    const value = m[2] ?? argv[(i += 1)];
    if (value === undefined) throw new UsageError(`--${m[1]!} needs a value`);
    flags.set(m[1]!, value);
  }
  for (const name of flags.keys()) if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  const raw = (name: string): string | undefined => flags.get(name) ?? (env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`] || undefined);
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not ${value}`);
    return n;
  };
  return { raw, int };
}

export function urlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}


// ---------------------------------------------------------------------------------------------------
// Resources, released in reverse order at the end (also after an error or Ctrl-C)

export class Cleanup {
  private readonly steps: Array<{ name: string; fn: () => Promise<void> }> = [];
  private running: Promise<void> | undefined;
  add(name: string, fn: () => Promise<void>): void {
    this.steps.push({ name, fn });
  }
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.fn();
        } catch (error) {
          console.error(`cleanup: ${step.name}: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

export async function withAdminClient<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const dropDatabase = (adminUrl: string, name: string) => withAdminClient(adminUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));


/** A caller with its own TLS agent (workstation certificate) and, once logged in, a session token. */
export interface HttpClient {
  agent: https.Agent;
  token: string;
}

export interface Reply {
  status: number;
  json: any;
}

export function request(client: HttpClient, port: number, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        path,
        method,
        agent: client.agent,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...(client.token === '' ? {} : { authorization: `Bearer ${client.token}` }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = { raw: text.slice(0, 200) };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}


export interface PgbenchResult {
  tps: number | undefined;
  latencyMs: number | undefined;
  note: string | undefined;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (onLine !== undefined) for (const line of text.split('\n')) if (line.startsWith('progress:')) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

export async function runPgbench(options: { pgUrl: string; clients: number; pgbenchSeconds: number; pgbenchScale: number }, cleanup: Cleanup, report: (line: string) => void): Promise<PgbenchResult> {
  if (options.pgbenchSeconds === 0) return { tps: undefined, latencyMs: undefined, note: 'skipped (--pgbench-seconds 0)' };
  const admin = new URL(options.pgUrl);
  const name = `boxoffice_bench_pgb_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdminClient(options.pgUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  cleanup.add(`drop ${name}`, () => dropDatabase(options.pgUrl, name));
  const conn = ['-h', admin.hostname, '-p', admin.port || '5432', '-U', decodeURIComponent(admin.username || 'postgres')];
  const env = { ...process.env, ...(admin.password === '' ? {} : { PGPASSWORD: decodeURIComponent(admin.password) }) };
  let init;
  try {
    init = await run('pgbench', ['-i', '-s', String(options.pgbenchScale), '-q', ...conn, name], env);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { tps: undefined, latencyMs: undefined, note: code === 'ENOENT' ? 'pgbench not found (apt-get install postgresql-client)' : `pgbench failed: ${(error as Error).message}` };
  }
  if (init.code !== 0) return { tps: undefined, latencyMs: undefined, note: `pgbench -i failed: ${init.output.trim().split('\n').pop() ?? ''}` };
  const args = ['-N', '-c', String(options.clients), '-j', String(Math.min(2, options.clients)), '-T', String(options.pgbenchSeconds), '-P', '5', ...conn, name];
  report(`pgbench ${args.slice(0, 9).join(' ')}`);
  const result = await run('pgbench', args, env, (line) => report(`  ${line}`));
  const tps = /^tps = ([\d.]+)/m.exec(result.output);
  const latency = /^latency average = ([\d.]+) ms/m.exec(result.output);
  if (result.code !== 0 || tps === null) return { tps: undefined, latencyMs: undefined, note: `pgbench failed: ${result.output.trim().split('\n').slice(-3).join(' | ')}` };
  return { tps: Number(tps[1]), latencyMs: latency === null ? undefined : Number(latency[1]), note: undefined };
}


// ---------------------------------------------------------------------------------------------------
// Server: child process or in-process

export async function startServer(options: HarnessOptions, serverOptions: BenchServerOptions, cleanup: Cleanup): Promise<{ port: number; stop(): Promise<void> }> {
  if (options.server === 'inline') {
    const server: BenchServer = await startBenchServer(serverOptions);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await server.close();
    };
    cleanup.add('stop server', stop);
    return { port: server.port, stop };
  }
  const entry = fileURLToPath(new URL('./sales-server.ts', import.meta.url));
  const execArgv = ['--import', import.meta.resolve('tsx'), ...(options.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir])];
  const child: ChildProcess = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' } satisfies ToServer);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  cleanup.add('stop server process', stop);
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: FromServer) => {
      if (message.type === 'listening') resolve(message.port);
      else if (message.type === 'failed') reject(new Error(`server process: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`server process exited with code ${code ?? 'null'} before listening`)));
    child.send({ type: 'start', options: serverOptions } satisfies ToServer);
  });
  return { port, stop };
}


export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');


// ---------------------------------------------------------------------------------------------------
// Results: every benchmark hands back its exit code and its figures; `npm run bench` without a name runs
// them all and prints every figure as one JSON document at the end (for a dashboard).

export type Figure = number | string | boolean | null;
export interface Figures {
  [name: string]: Figure | Figures;
}

export interface BenchOutcome {
  code: number;
  figures: Figures;
}

/** A figure that may be missing or not finite (n/a) as JSON: null. */
export const figure = (n: number | undefined, digits = 2): number | null => (n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits)));
