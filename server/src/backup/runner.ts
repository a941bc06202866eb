import { hostname } from 'node:os';
import type { Knex } from 'knex';
import type { Clock } from '../clock.js';
import type { ServerConfig } from '../config.js';
import { createBackup } from './backup.js';
import { pruneBackups } from './prune.js';

/** Job name in job_runs. */
export const BACKUP_JOB = 'backup';
/** A run still marked running after this long is taken for dead (its process crashed) and no longer blocks. */
export const STALE_RUN_MS = 6 * 3600_000;
// Class of the transaction-scoped advisory lock around the claim ('JOBS'), apart from the audit locks.
const JOB_LOCK_CLASS = 0x4a4f_4253;

export interface JobRunner {
  /** Stops ticking; waits for a run in progress to finish (the caller bounds the wait). */
  stop(): Promise<void>;
}

/**
 * The backup schedule inside the server. Time is cut into slots of `everyMs` (aligned to the epoch, so
 * all instances agree); in each slot exactly one instance runs the job: the one whose INSERT of the slot's
 * row into job_runs succeeds, under an advisory lock and only while no other run is in progress (so a run
 * longer than the interval delays the next instead of overlapping it). The row then records the outcome,
 * which is what monitoring reads. A failed run is retried in the next slot, like the CLI's schedule.
 */
export function startJobRunner(deps: {
  knex: Knex;
  clock: Clock;
  job: string;
  everyMs: number;
  run: () => Promise<string>;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** How often the slot is checked; defaults to a tenth of the interval, between 1 s and 1 min. */
  tickMs?: number;
  instance?: string;
}): JobRunner {
  const instance = deps.instance ?? `${hostname()}:${process.pid}`;
  const tickMs = deps.tickMs ?? Math.min(60_000, Math.max(1000, Math.floor(deps.everyMs / 10)));
  let stopped = false;
  let lastSlot = -1;
  let current: Promise<void> | undefined;

  async function claim(slot: Date, now: Date): Promise<boolean> {
    return deps.knex.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [JOB_LOCK_CLASS, deps.job]);
      const busy = await trx('job_runs')
        .where({ job: deps.job, outcome: 'running' })
        .where('started_at', '>', new Date(now.getTime() - STALE_RUN_MS))
        .first<{ slot: Date } | undefined>('slot');
      if (busy !== undefined) return false;
      // The run starts now, after the lock: the tick's time can lie before another instance's run ended.
      const inserted = await trx('job_runs')
        .insert({ job: deps.job, slot, instance, started_at: deps.clock.now(), outcome: 'running' })
        .onConflict(['job', 'slot'])
        .ignore()
        .returning<Array<{ slot: Date }>>('slot');
      return inserted.length === 1;
    });
  }

  async function finish(slot: Date, outcome: 'ok' | 'failed', detail: string): Promise<void> {
    await deps.knex('job_runs').where({ job: deps.job, slot }).update({ outcome, finished_at: deps.clock.now(), detail: detail.slice(0, 2000) });
  }

  async function tick(): Promise<void> {
    const now = deps.clock.now();
    const slotMs = Math.floor(now.getTime() / deps.everyMs) * deps.everyMs;
    if (slotMs === lastSlot) return;
    const slot = new Date(slotMs);
    let mine: boolean;
    try {
      mine = await claim(slot, now);
    } catch (error) {
      deps.log.error({ err: error, job: deps.job }, 'job runner: could not claim the slot; retrying');
      return;
    }
    if (!mine) {
      // Another instance runs this slot, or a run is still in progress: look again at the next tick
      // only if the slot is still unclaimed (a busy run may end within this slot).
      const taken = await deps.knex('job_runs').where({ job: deps.job, slot }).first<{ slot: Date } | undefined>('slot').catch(() => undefined);
      if (taken !== undefined) lastSlot = slotMs;
      return;
    }
    lastSlot = slotMs;
    deps.log.info({ job: deps.job, slot: slot.toISOString() }, 'job runner: run started');
    try {
      const detail = await deps.run();
      await finish(slot, 'ok', detail);
      deps.log.info({ job: deps.job, slot: slot.toISOString(), detail }, 'job runner: run finished');
    } catch (error) {
      deps.log.error({ err: error, job: deps.job, slot: slot.toISOString() }, 'job runner: run failed');
      await finish(slot, 'failed', (error as Error).message ?? String(error)).catch((e: unknown) => deps.log.error({ err: e }, 'job runner: could not record the failure'));
    }
  }

  const timer = setInterval(() => {
    if (stopped || current !== undefined) return;
    current = tick().finally(() => {
      current = undefined;
    });
  }, tickMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

/** The backup job as the server runs it: create (optionally encrypted) into backup.dir, then prune. */
export function serverBackupJob(config: ServerConfig, key: Buffer | undefined): () => Promise<string> {
  const url = config.backup.databaseUrl ?? config.database.adminUrl ?? config.database.url;
  if (url === undefined) throw new Error('the backup runner needs the PostgreSQL server');
  return async () => {
    const created = await createBackup({ source: { kind: 'postgres', url }, dir: config.backup.dir, key, connectTimeoutMs: config.database.connectTimeoutMs });
    const pruned = pruneBackups(config.backup.dir, config.backup.keep);
    return `${created.manifest.file} (${created.manifest.sizeBytes} bytes, ${created.manifest.durationMs} ms); pruned ${pruned.removed.length}`;
  };
}
