import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

const DOCS_CONFIG = path.join(REPO_ROOT, 'docs/operations-haproxy.cfg');

/**
 * The operator's HAProxy configuration (docs/operations-haproxy.cfg) made to run here: the lines marked
 * "(site)" (logging, user, daemon mode, the admin socket path) dropped, a stats socket of the test's own
 * added, and addresses, CA file, check name and connection limit replaced. Everything else is the documented file.
 */
export function haproxyConfigFromDocs(options: { frontPort: number; servers: ReadonlyArray<{ name: string; port: number }>; caFile: string; statsSocket: string }): string {
  const lines = readFileSync(DOCS_CONFIG, 'utf8')
    .split('\n')
    .filter((line) => !line.includes('# (site)') && !/^\s*server\s/.test(line));
  const replaced = lines.map((line) =>
    line
      .replace(/^(\s*)bind\s+\S+/, `$1bind 127.0.0.1:${options.frontPort}`)
      .replace(/ca-file\s+\S+/, `ca-file ${options.caFile}`)
      .replace(/check-sni\s+\S+/, 'check-sni localhost')
      .replace(/hdr Host\s+\S+/, 'hdr Host localhost')
      // The test process's file descriptor limit is lower than a balancer host's.
      .replace(/^(\s*)maxconn\s+\d+/, '$1maxconn 1000'),
  );
  const global = replaced.findIndex((l) => l.trim() === 'global');
  if (global < 0 || !replaced.some((l) => l.includes(`bind 127.0.0.1:${options.frontPort}`))) throw new Error(`${DOCS_CONFIG} no longer has the expected global and bind lines`);
  replaced.splice(global + 1, 0, `    stats socket ${options.statsSocket} mode 600 level admin`);
  return [...replaced, ...options.servers.map((s) => `    server ${s.name} 127.0.0.1:${s.port}`), ''].join('\n');
}

export interface ServerStat {
  status: string;
  /** Connections the balancer has passed to this server so far. */
  sessionsTotal: number;
}

export interface Haproxy {
  port: number;
  stats(): Promise<Map<string, ServerStat>>;
  stop(): Promise<void>;
}

function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let out = '';
    conn.on('connect', () => conn.end(`${command}\n`));
    conn.on('data', (c: Buffer) => (out += c.toString()));
    conn.on('end', () => resolve(out));
    conn.on('error', reject);
  });
}

/** Checks and starts HAProxy in the foreground with `config` written into `dir`. */
export async function startHaproxy(dir: string, config: string, frontPort: number, statsSocket: string): Promise<Haproxy> {
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const check = await runHaproxy(['-c', '-f', file]);
  if (check.code !== 0) throw new Error(`haproxy -c refused the configuration:\n${check.output}\n${config}`);
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stats = async (): Promise<Map<string, ServerStat>> => {
    const csv = (await adminCommand(statsSocket, 'show stat')).trim().split('\n');
    const header = (csv[0] ?? '').replace(/^# /, '').split(',');
    const col = (name: string) => header.indexOf(name);
    const result = new Map<string, ServerStat>();
    for (const row of csv.slice(1)) {
      const f = row.split(',');
      const name = f[col('svname')] ?? '';
      if (name === 'FRONTEND' || name === 'BACKEND') continue;
      result.set(name, { status: f[col('status')] ?? '', sessionsTotal: Number(f[col('stot')] ?? 0) });
    }
    return result;
  };
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${output}`);
    const up = await stats().catch(() => undefined);
    if (up !== undefined && up.size > 0 && [...up.values()].every((s) => s.status === 'UP')) break;
    if (i > 200) throw new Error(`haproxy servers did not come up: ${JSON.stringify([...(up ?? new Map()).entries()])}\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port: frontPort,
    stats,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

function runHaproxy(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('haproxy', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
