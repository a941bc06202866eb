import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE workstations (
      id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id            uuid NOT NULL REFERENCES tenants (id),
      name                 text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
      -- One row per issued certificate; a renewed certificate is a new row and the old one is revoked.
      cert_serial          text NOT NULL UNIQUE CHECK (cert_serial ~ '^[0-9a-f]{2,64}$'),
      cert_fingerprint     text NOT NULL UNIQUE CHECK (cert_fingerprint ~ '^[0-9a-f]{64}$'),
      cert_not_after       timestamptz NOT NULL,
      printer_settings     jsonb NOT NULL DEFAULT '{}'::jsonb,
      revoked_at           timestamptz,
      revoked_reason       text,
      created_at           timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
    )
  `);
  // A name identifies one live certificate per tenant; revoked ones keep their name for the record.
  await knex.raw('CREATE UNIQUE INDEX workstations_live_name ON workstations (tenant_id, name) WHERE revoked_at IS NULL');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON workstations TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE workstations');
}
