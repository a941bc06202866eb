import type { Knex } from 'knex';

// Runs of periodic jobs inside the server (the backup schedule): one row per job and time slot. The
// instance that inserts the slot's row runs it, so with several instances each slot runs exactly once;
// the row then records how it ended, which is what an operator watches. Platform-level, no tenant.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE job_runs (
      job          text NOT NULL CHECK (job ~ '^[a-z][a-z0-9_.-]{0,40}$'),
      slot         timestamptz NOT NULL,
      instance     text NOT NULL CHECK (char_length(instance) <= 200),
      started_at   timestamptz NOT NULL,
      finished_at  timestamptz,
      outcome      text NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
      detail       text CHECK (char_length(detail) <= 2000),
      PRIMARY KEY (job, slot),
      CHECK ((outcome = 'running') = (finished_at IS NULL))
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON job_runs TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE job_runs');
}
