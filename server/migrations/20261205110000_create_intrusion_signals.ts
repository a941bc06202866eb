import type { Knex } from 'knex';

// Attack signals per source address (route scanning, login failures across accounts, TLS handshake
// failures, injection payloads) feed intrusion prevention. They live in the database so that every
// server instance counts the same signals. A signal arrives before anyone is authenticated and belongs
// to no tenant, so the table is platform-level (no row-level security, like login_attempts); only
// operator staff read it through the API. Rows are pruned after the configured retention.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE intrusion_signals (
      id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at      timestamptz NOT NULL,
      source  text NOT NULL CHECK (length(source) BETWEEN 2 AND 64),
      kind    text NOT NULL CHECK (kind IN ('scan', 'login_failure', 'tls', 'injection')),
      detail  text NOT NULL DEFAULT '' CHECK (length(detail) <= 300)
    )
  `);
  await knex.raw('CREATE INDEX intrusion_signals_source_kind_at ON intrusion_signals (source, kind, at)');
  await knex.raw('CREATE INDEX intrusion_signals_at ON intrusion_signals (at)');
  await knex.raw('GRANT SELECT, INSERT, DELETE ON intrusion_signals TO boxoffice_app');
  await knex.raw('GRANT USAGE ON SEQUENCE intrusion_signals_id_seq TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE intrusion_signals');
}
