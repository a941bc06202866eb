import type { Knex } from 'knex';

// A promoter lets an outlet sell an event, optionally with a quota per price category (sales_quotas).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE sales_rights (
      tenant_id    uuid NOT NULL,
      event_id     uuid NOT NULL,
      outlet_id    uuid NOT NULL REFERENCES tenants (id),
      granted_at   timestamptz NOT NULL,
      PRIMARY KEY (event_id, outlet_id),
      FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id)
    )
  `);
  await knex.raw('CREATE INDEX sales_rights_outlet ON sales_rights (outlet_id)');
  await knex.raw('GRANT SELECT, INSERT, DELETE ON sales_rights TO boxoffice_app');
  await knex.raw(`
    CREATE FUNCTION app_may_sell(event uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT EXISTS (SELECT 1 FROM sales_rights r WHERE r.event_id = event AND r.outlet_id = app_tenant())
    $$
  `);
  await knex.raw('GRANT EXECUTE ON FUNCTION app_may_sell(uuid) TO boxoffice_app');
  await knex.raw('ALTER TABLE sales_rights ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE sales_rights FORCE ROW LEVEL SECURITY');
  // The promoter manages its grants; an outlet sees its own.
  await knex.raw(`
    CREATE POLICY tenant_isolation ON sales_rights
      USING (app_visible_tenant(tenant_id) OR outlet_id = app_tenant())
      WITH CHECK (app_visible_tenant(tenant_id))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE sales_rights');
  await knex.raw('DROP FUNCTION app_may_sell(uuid)');
}
