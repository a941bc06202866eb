import type { Knex } from 'knex';

// Venues belong to a promoter (the tenant that runs events there).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE venues (
      id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id   uuid NOT NULL REFERENCES tenants (id),
      name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      address     text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
      city        text NOT NULL DEFAULT '' CHECK (length(city) <= 200),
      created_at  timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON venues TO boxoffice_app');
  await knex.raw('ALTER TABLE venues ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE venues FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON venues USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE venues');
}
