import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkBackupFile, createBackup, describeLocation, parseLocation, restoreBackup, verifyDatabaseAgainst, type DatabaseLocation } from '../backup/backup.js';
import { parseBackupKey } from '../backup/encryption.js';
import { pruneBackups, type PruneResult } from '../backup/prune.js';
import { parseInterval } from '../backup/retention.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

export const BACKUP_USAGE = `backup create [--dir D] [--encrypt]      dump the database (pg_dump / PGlite data dir) with a manifest
backup list [--dir D]                   backups with time, size, encryption
backup prune [--dir D] [--dry-run]      delete backups the retention rules (backup.keep.*) do not keep
backup schedule --every 1h [--dir D] [--encrypt]
                                        create and prune at a fixed interval, in the foreground
backup restore FILE --into URL|DIR      restore into an empty PostgreSQL database or empty PGlite data dir
backup verify FILE [--against URL|DIR]  check file (SHA-256, decryption); with --against also counts,
                                        audit chains and invoice counters of a restored database`;

/** Where the running configuration's database is, as a role that sees every tenant. */
export function backupSource(ctx: CliContext): DatabaseLocation {
  const db = ctx.config.database;
  const url = ctx.config.backup.databaseUrl ?? db.adminUrl ?? db.url;
  return url === undefined ? { kind: 'pglite', dir: path.join(ctx.config.dataDir, 'pglite') } : { kind: 'postgres', url };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export async function runBackup(ctx: CliContext, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub = '', ...rest] = args;
  const key = () => parseBackupKey(env['BOXOFFICE_BACKUP_KEY']);
  const optionalKey = () => (env['BOXOFFICE_BACKUP_KEY'] === undefined || env['BOXOFFICE_BACKUP_KEY'] === '' ? undefined : key());
  const timeout = ctx.config.database.connectTimeoutMs;
  switch (sub) {
    case 'create': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, encrypt: { type: 'boolean', default: false } }, strict: true });
      await createAndReport(ctx, values.dir ?? ctx.config.backup.dir, values.encrypt ? key() : undefined);
      return 0;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' } }, strict: true });
      const result = pruneBackups(values.dir ?? ctx.config.backup.dir, ctx.config.backup.keep, { dryRun: true });
      const kept = new Map(result.kept.map((k) => [k.backup.manifest.id, k.reasons]));
      ctx.out(['created', 'backend', 'size', 'encrypted', 'retention', 'file'].join('\t'));
      for (const b of [...result.kept.map((k) => k.backup), ...result.removed].sort((a, c) => a.createdAt.getTime() - c.createdAt.getTime())) {
        const reasons = kept.get(b.manifest.id);
        ctx.out([b.manifest.createdAt, b.manifest.backend, mb(b.manifest.sizeBytes), b.manifest.encryption === null ? 'no' : 'yes', reasons === undefined ? 'expired' : reasons.join(','), b.manifest.file].join('\t'));
      }
      for (const u of result.unreadable) ctx.out(`unreadable manifest ${u.file}: ${u.error}`);
      return 0;
    }
    case 'prune': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } }, strict: true });
      reportPrune(ctx, pruneBackups(values.dir ?? ctx.config.backup.dir, ctx.config.backup.keep, { dryRun: values['dry-run'] }), values['dry-run']);
      return 0;
    }
    case 'schedule': {
      const { values } = parseArgs({ args: rest, options: { every: { type: 'string' }, dir: { type: 'string' }, encrypt: { type: 'boolean', default: false } }, strict: true });
      const everyMs = values.every === undefined ? undefined : parseInterval(values.every);
      if (everyMs === undefined) throw new UsageError('backup schedule needs --every N(s|m|h|d), e.g. --every 1h');
      const dir = values.dir ?? ctx.config.backup.dir;
      const encryptWith = values.encrypt ? key() : undefined;
      await runSchedule(ctx, dir, everyMs, encryptWith);
      return 0;
    }
    case 'restore': {
      const { values, positionals } = parseArgs({ args: rest, options: { into: { type: 'string' } }, allowPositionals: true, strict: true });
      if (positionals.length !== 1 || values.into === undefined) throw new UsageError('backup restore needs FILE and --into URL|DIR');
      const into = parseLocation(values.into);
      const result = await restoreBackup({ file: path.resolve(positionals[0] ?? ''), into, key: optionalKey(), connectTimeoutMs: timeout });
      ctx.out(`restored ${result.manifest.file} (${result.manifest.createdAt}, schema ${result.manifest.schemaVersion}) into ${describeLocation(into)} in ${result.durationMs} ms`);
      ctx.out(`next: npm run cli -- backup verify ${positionals[0] ?? ''} --against ${values.into.startsWith('postgres') ? '<url>' : values.into}`);
      return 0;
    }
    case 'verify': {
      const { values, positionals } = parseArgs({ args: rest, options: { against: { type: 'string' } }, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new UsageError('backup verify needs exactly one FILE');
      const checked = await checkBackupFile(path.resolve(positionals[0] ?? ''), optionalKey());
      const m = checked.manifest;
      ctx.out(`file ok: ${m.file}, ${mb(m.sizeBytes)}, SHA-256 ${m.sha256}${m.encryption === null ? '' : ', decrypts and authenticates'}`);
      if (values.against === undefined) return 0;
      const against = parseLocation(values.against);
      const report = await verifyDatabaseAgainst(m, against, timeout);
      for (const c of report.chains) if (c.ok) ctx.out(`audit chain ${c.tenantCode}: ok, ${c.rows} rows, head ${c.headHash}`);
      const total = Object.values(m.tables).reduce((s, n) => s + n, 0);
      if (report.problems.length > 0) {
        for (const p of report.problems) ctx.out(`MISMATCH ${p}`);
        ctx.out(`${describeLocation(against)} does NOT match ${m.file}: ${report.problems.length} problem(s)`);
        return 1;
      }
      ctx.out(`${describeLocation(against)} matches ${m.file}: ${Object.keys(m.tables).length} tables, ${total} rows, ${m.auditChains.length} audit chains, ${m.invoiceCounters?.length ?? 0} invoice counters, schema ${m.schemaVersion}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown backup command "${sub}"\n${BACKUP_USAGE}`);
  }
}

async function createAndReport(ctx: CliContext, dir: string, key: Buffer | undefined): Promise<void> {
  const source = backupSource(ctx);
  const created = await createBackup({ source, dir, key, connectTimeoutMs: ctx.config.database.connectTimeoutMs });
  const m = created.manifest;
  const rows = Object.values(m.tables).reduce((s, n) => s + n, 0);
  ctx.out(`backup ${created.backupPath} (${mb(m.sizeBytes)}${m.encryption === null ? '' : ', AES-256-GCM'}) of ${describeLocation(source)} in ${m.durationMs} ms`);
  ctx.out(`  manifest ${created.manifestPath}: ${rows} rows in ${Object.keys(m.tables).length} tables, ${m.auditChains.length} audit chains, schema ${m.schemaVersion}`);
}

function reportPrune(ctx: CliContext, result: PruneResult, dryRun: boolean): void {
  for (const r of result.removed) ctx.out(`${dryRun ? 'would delete' : 'deleted'} ${r.manifest.file} (${r.manifest.createdAt})`);
  for (const u of result.unreadable) ctx.out(`left alone, unreadable manifest ${u.file}: ${u.error}`);
  ctx.out(`${result.kept.length} backup(s) kept, ${result.removed.length} ${dryRun ? 'to delete' : 'deleted'}`);
}

/**
 * Foreground loop for a process supervisor (systemd, a container): create, prune, sleep. A failed
 * backup is reported on stderr and retried at the next tick; SIGINT/SIGTERM end the loop between runs.
 */
async function runSchedule(ctx: CliContext, dir: string, everyMs: number, key: Buffer | undefined): Promise<void> {
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stop = true;
    wake?.();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  ctx.out(`backup schedule: every ${Math.round(everyMs / 1000)} s into ${dir}`);
  try {
    while (!stop) {
      const next = Date.now() + everyMs;
      try {
        await createAndReport(ctx, dir, key);
        reportPrune(ctx, pruneBackups(dir, ctx.config.backup.keep), false);
      } catch (error) {
        process.stderr.write(`boxoffice: scheduled backup failed: ${(error as Error).message}\n`);
      }
      const wait = next - Date.now();
      if (!stop && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  ctx.out('backup schedule stopped');
}
