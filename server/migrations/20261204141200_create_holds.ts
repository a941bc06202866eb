import type { Knex } from 'knex';

// Short reservations: an outlet holds seats for a few minutes while the customer decides. The seats
// carry the hold id and expiry; an expired hold frees its seats without any clean-up job.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE holds (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id     uuid NOT NULL REFERENCES tenants (id),
      event_id      uuid NOT NULL,
      created_by    uuid NOT NULL,
      created_at    timestamptz NOT NULL,
      expires_at    timestamptz NOT NULL,
      released_at   timestamptz,
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
      CHECK (expires_at > created_at)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON holds TO boxoffice_app');
  await knex.raw('ALTER TABLE holds ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE holds FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON holds USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE holds');
}
