import type { Knex } from 'knex';

// Fixed-window request counters for the per-route rate limits, shared by every server instance (one
// UPSERT per request). Keys name a limit and a workstation, never a person or a secret; rows older than a
// few windows are deleted by the servers themselves. Platform-level: counted before any tenant is known.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE rate_limit_counters (
      bucket        text NOT NULL CHECK (char_length(bucket) <= 200),
      window_start  timestamptz NOT NULL,
      hits          integer NOT NULL CHECK (hits > 0),
      PRIMARY KEY (bucket, window_start)
    )
  `);
  await knex.raw('CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_counters TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE rate_limit_counters');
}
