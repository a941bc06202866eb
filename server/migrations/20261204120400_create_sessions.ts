import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE sessions (
      id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id         uuid NOT NULL,
      user_id           uuid NOT NULL,
      workstation_id    uuid NOT NULL,
      -- SHA-256 of the bearer token; the token itself is never stored.
      token_hash        text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      -- The certificate the session was issued on; a token presented with another one is refused.
      cert_fingerprint  text NOT NULL CHECK (cert_fingerprint ~ '^[0-9a-f]{64}$'),
      created_at        timestamptz NOT NULL,
      expires_at        timestamptz NOT NULL,
      last_seen_at      timestamptz NOT NULL,
      ended_at          timestamptz,
      end_reason        text,
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      CHECK (expires_at > created_at),
      CHECK ((ended_at IS NULL) = (end_reason IS NULL))
    )
  `);
  // One active session per user is enforced by the database, not only by the login code.
  await knex.raw('CREATE UNIQUE INDEX sessions_one_active_per_user ON sessions (user_id) WHERE ended_at IS NULL');
  await knex.raw('CREATE INDEX sessions_workstation_active ON sessions (workstation_id) WHERE ended_at IS NULL');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON sessions TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE sessions');
}
