import { describe, expect, it } from 'vitest';
import { startJobRunner } from '../../../server/src/backup/runner.js';
import { systemClock } from '../../../server/src/clock.js';
import { ConfigError, loadConfig } from '../../../server/src/config.js';
import { testBackends } from '../../support/backends.js';
import { createTestDatabase } from '../../support/test-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { info: () => undefined, error: () => undefined };

for (const backend of testBackends()) {
  describe(`job runner inside the server (${backend})`, () => {
    it('runs each slot on one instance only, never two runs at once, records outcomes and stops cleanly', async () => {
      const tdb = await createTestDatabase(backend);
      try {
        let active = 0;
        let maxActive = 0;
        const calls: string[] = [];
        let failNext = true;
        // A run that takes longer than a slot (0.5 s): the next slot must wait instead of overlapping.
        const job = (instance: string) => async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          calls.push(instance);
          await sleep(700);
          active -= 1;
          if (failNext) {
            failNext = false;
            throw new Error('pg_dump: connection refused');
          }
          return `run by ${instance}`;
        };
        const runners = ['a', 'b'].map((instance) =>
          startJobRunner({ knex: tdb.db.knex, clock: systemClock, job: 'backup', everyMs: 500, tickMs: 50, run: job(instance), log: quiet, instance }),
        );
        await sleep(4000);
        await Promise.all(runners.map((r) => r.stop()));
        // stop() waited for the run in progress.
        expect(active).toBe(0);
        const callsAtStop = calls.length;

        const rows = await tdb.asAdmin((db) => db('job_runs').where({ job: 'backup' }).orderBy('slot').select<Array<{ slot: Date; instance: string; outcome: string; detail: string; started_at: Date; finished_at: Date }>>('*'));
        expect(maxActive).toBe(1);
        expect(rows.length).toBe(calls.length);
        expect(rows.length).toBeGreaterThanOrEqual(2);
        expect(rows.map((r) => r.instance)).toEqual(calls);
        expect(rows[0]).toMatchObject({ outcome: 'failed', detail: 'pg_dump: connection refused' });
        for (const r of rows.slice(1)) expect(r).toMatchObject({ outcome: 'ok', detail: `run by ${r.instance}` });
        // Runs follow each other without overlap, each in its own slot.
        for (let i = 1; i < rows.length; i += 1) {
          expect(rows[i]!.started_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.finished_at.getTime());
          expect(rows[i]!.slot.getTime()).toBeGreaterThan(rows[i - 1]!.slot.getTime());
        }
        await sleep(700);
        expect(calls.length).toBe(callsAtStop);
      } finally {
        await tdb.cleanup();
      }
    }, 60_000);
  });
}

describe('backup.every', () => {
  it('is refused for the embedded database, whose lock the running server holds', () => {
    expect(() => loadConfig({ env: { BOXOFFICE_BACKUP_EVERY: '1h' }, cwd: '/tmp' })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { BOXOFFICE_BACKUP_EVERY: 'hourly', DATABASE_URL: 'postgres://x@db/b' }, cwd: '/tmp' })).toThrow(/backup.every/);
    expect(loadConfig({ env: { BOXOFFICE_BACKUP_EVERY: '15m', BOXOFFICE_BACKUP_ENCRYPT: 'true', DATABASE_URL: 'postgres://x@db/b' }, cwd: '/tmp' }).backup).toMatchObject({ every: '15m', encrypt: true });
  });
});
