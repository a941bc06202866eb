import type { Knex } from 'knex';

// Replayed writes (stations retry after network faults) return the first result. The key row is
// inserted first in the write's own transaction, so a concurrent duplicate waits on it and then sees
// the stored result.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE idempotency_keys (
      tenant_id       uuid NOT NULL REFERENCES tenants (id),
      scope           text NOT NULL CHECK (length(scope) BETWEEN 1 AND 100),
      key             text NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{16,100}$'),
      request_hash    text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
      status_code     integer,
      response        jsonb,
      created_at      timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, scope, key)
    )
  `);
  await knex.raw('CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO boxoffice_app');
  await knex.raw('ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON idempotency_keys USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE idempotency_keys');
}
