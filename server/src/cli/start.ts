import path from 'node:path';
import { systemClock } from '../clock.js';
import { ConfigError } from '../config.js';
import type { Database } from '../db/database.js';
import { caExists, initCa, issueServerCert, loadCa, serverCertNeedsRenewal } from '../modules/ca/store.js';
import { seedDemo } from '../modules/demo/seed.js';
import { installShutdown, startServer, type RunningServer } from '../server.js';
import { parseBackupKey } from '../backup/encryption.js';
import { BACKUP_JOB, serverBackupJob, startJobRunner, type JobRunner } from '../backup/runner.js';
import { parseInterval } from '../backup/retention.js';
import { loadTlsMaterial } from '../tls.js';
import { loadNetworkPolicy } from '../modules/network/config.js';
import { writeIssuedWorkstation } from './ca.js';
import type { CliContext } from './context.js';

/**
 * Outside production the embedded default sets itself up: CA and server certificate are created on
 * first start (and the server certificate renewed when it nears expiry or the names change). In
 * production both must exist; nothing is created implicitly.
 */
export async function ensurePki(ctx: CliContext): Promise<void> {
  const now = systemClock.now();
  if (ctx.config.mode === 'production') return;
  const defaultLayout = ctx.config.tls.caFile === ctx.ca.caCert && ctx.config.tls.certFile === ctx.ca.serverCert;
  if (!defaultLayout) return;
  if (!caExists(ctx.ca)) {
    await initCa(ctx.ca, { commonName: 'Box office platform CA (local)', now, passphrase: ctx.caPassphrase });
    ctx.out(`created local CA in ${ctx.ca.dir}`);
  }
  if (serverCertNeedsRenewal(ctx.ca, ctx.config.serverNames, now)) {
    await issueServerCert(ctx.ca, loadCa(ctx.ca, ctx.caPassphrase), { names: ctx.config.serverNames, now });
    ctx.out(`issued server certificate for ${ctx.config.serverNames.join(', ')}`);
  }
}

export async function runDemoSeed(ctx: CliContext, db: Database): Promise<void> {
  if (ctx.config.mode === 'production') throw new ConfigError('demo data is never created in production mode (NODE_ENV=production)');
  const result = await seedDemo(db.knex, loadCa(ctx.ca, ctx.caPassphrase), systemClock.now());
  const demoDir = path.join(ctx.config.dataDir, 'demo');
  if (!result.created) {
    ctx.out(`demo data already present; workstation certificates are in ${demoDir} (passwords were shown at first start)`);
    return;
  }
  ctx.out('demo data created. Initial passwords (shown once, valid 72 hours, must be changed at first login):');
  for (const u of result.users) ctx.out(`  ${u.tenant.padEnd(20)} ${u.login.padEnd(14)} ${u.initialPassword}`);
  ctx.out(`demo workstation certificates in ${demoDir}:`);
  for (const ws of result.workstations) {
    const files = writeIssuedWorkstation(demoDir, ws);
    ctx.out(`  ${`${ws.tenantCode}/${ws.workstation.name}`.padEnd(32)} ${path.basename(files.p12)}  passphrase ${ws.passphrase}`);
  }
}

/** backup.every: the backup schedule runs inside this server, one instance per slot (see backup/runner.ts). */
function startBackupRunner(ctx: CliContext, db: Database, server: RunningServer): JobRunner | undefined {
  const every = ctx.config.backup.every;
  if (every === undefined) return undefined;
  const everyMs = parseInterval(every);
  if (everyMs === undefined) throw new ConfigError(`backup.every "${every}" is not an interval like 1h`);
  const key = ctx.config.backup.encrypt ? parseBackupKey(process.env['BOXOFFICE_BACKUP_KEY']) : undefined;
  const runner = startJobRunner({ knex: db.knex, clock: systemClock, job: BACKUP_JOB, everyMs, run: serverBackupJob(ctx.config, key), log: server.app.log });
  ctx.out(`backups every ${every} into ${ctx.config.backup.dir}${key === undefined ? '' : ' (encrypted)'}, one server instance per run`);
  return runner;
}

export async function runStart(ctx: CliContext, options: { demo: boolean }): Promise<{ server: RunningServer; db: Database }> {
  if (options.demo && ctx.config.mode === 'production') throw new ConfigError('--demo is refused in production mode (NODE_ENV=production)');
  await ensurePki(ctx);
  // Certificate files are checked before the database is opened, so that a wrong path fails fast.
  loadTlsMaterial(ctx.config.tls);
  const network = loadNetworkPolicy(ctx.config.network);
  const db = await ctx.openDb();
  try {
    if (options.demo) await runDemoSeed(ctx, db);
    const server = await startServer({ config: ctx.config, db, clock: systemClock, network });
    const backups = startBackupRunner(ctx, db, server);
    installShutdown(server, db, { drainMs: ctx.config.shutdownDrainMs, graceMs: ctx.config.shutdownGraceMs, ...(backups === undefined ? {} : { stopJobs: () => backups.stop() }) }, ctx.out);
    ctx.out(`server listening on ${server.url} (database: ${db.kind === 'pglite' ? `embedded PGlite in ${path.join(ctx.config.dataDir, 'pglite')}` : 'PostgreSQL'})`);
    ctx.out(`web UI for back office: ${server.url}/app/ (needs a workstation certificate in the browser)`);
    return { server, db };
  } catch (error) {
    await db.close();
    throw error;
  }
}
