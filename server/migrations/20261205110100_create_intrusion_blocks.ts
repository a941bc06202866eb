import type { Knex } from 'knex';

// Blocked source addresses, shared by every server instance. A block keeps the summary of the signals
// that caused it (signals are pruned sooner), its escalation level and, when an operator lifted it early,
// who did and why. Platform-level like intrusion_signals (no tenant, no row-level security); operator
// staff manage it through the API, and every block and lift is written to the operator's audit chain.
// Expired blocks are pruned after the configured retention, so the table stays bounded.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE intrusion_blocks (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      source         text NOT NULL CHECK (length(source) BETWEEN 2 AND 64),
      trigger        text NOT NULL CHECK (trigger IN ('scan', 'login_failure', 'tls', 'injection')),
      level          integer NOT NULL CHECK (level >= 0),
      signals        jsonb NOT NULL,
      blocked_at     timestamptz NOT NULL,
      blocked_until  timestamptz NOT NULL,
      lifted_at      timestamptz,
      lifted_by      uuid REFERENCES users (id),
      lift_reason    text CHECK (length(lift_reason) BETWEEN 3 AND 500),
      CHECK (blocked_until > blocked_at),
      CHECK ((lifted_at IS NULL) = (lift_reason IS NULL))
    )
  `);
  await knex.raw('CREATE INDEX intrusion_blocks_source_at ON intrusion_blocks (source, blocked_at)');
  await knex.raw('CREATE INDEX intrusion_blocks_until ON intrusion_blocks (blocked_until) WHERE lifted_at IS NULL');
  await knex.raw('GRANT SELECT, INSERT, DELETE ON intrusion_blocks TO boxoffice_app');
  await knex.raw('GRANT UPDATE (lifted_at, lifted_by, lift_reason) ON intrusion_blocks TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE intrusion_blocks');
}
