import type { Knex } from 'knex';

// The maintenance switch: at most one window (now or scheduled), platform-wide, so one row. Every server
// instance reads it (cached for a few seconds), which is why it lives here and not in process memory. It is
// platform-level (no tenant, no row-level security): every workstation must learn about it; only operator
// staff change it, through the route or the command line, each change audited in the operator's chain.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE maintenance_window (
      id           smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      starts_at    timestamptz NOT NULL,
      ends_at      timestamptz,
      message      text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 500),
      set_at       timestamptz NOT NULL,
      set_by       uuid REFERENCES users (id),
      CHECK (ends_at IS NULL OR ends_at > starts_at)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON maintenance_window TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE maintenance_window');
}
