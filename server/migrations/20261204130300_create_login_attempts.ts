import type { Knex } from 'knex';

// Login attempts feed the brute-force throttle (per account, per workstation, per source address). They
// live in the database, not in process memory, so every server instance sees the same counts. Attempts
// happen before anyone is authenticated, and an attempt for an unknown login has no tenant, so this table
// is platform-level (no row-level security); it holds no secrets and is pruned after a day.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE login_attempts (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at              timestamptz NOT NULL,
      login           text NOT NULL,
      user_id         uuid,
      workstation_id  uuid,
      source_ip       text NOT NULL,
      outcome         text NOT NULL CHECK (outcome IN ('success', 'failure', 'throttled'))
    )
  `);
  await knex.raw('CREATE INDEX login_attempts_user_at ON login_attempts (user_id, at) WHERE user_id IS NOT NULL');
  await knex.raw('CREATE INDEX login_attempts_source_at ON login_attempts (source_ip, at)');
  await knex.raw('GRANT SELECT, INSERT, DELETE ON login_attempts TO boxoffice_app');
  await knex.raw('GRANT USAGE ON SEQUENCE login_attempts_id_seq TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE login_attempts');
}
