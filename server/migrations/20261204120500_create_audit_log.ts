import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE audit_log (
      tenant_id         uuid NOT NULL REFERENCES tenants (id),
      seq               bigint NOT NULL CHECK (seq >= 1),
      at                timestamptz NOT NULL,
      actor_user_id     uuid,
      workstation_id    uuid,
      source_ip         text,
      action            text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]{1,99}$'),
      entity            text NOT NULL,
      entity_id         text,
      details           jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash         text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
      hash              text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
      PRIMARY KEY (tenant_id, seq)
    )
  `);
  await knex.raw('CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at)');
  // Append-only for the application: it may read and add, never change or remove.
  await knex.raw('GRANT SELECT, INSERT ON audit_log TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE audit_log');
}
