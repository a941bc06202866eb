import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE sales_quotas (
      tenant_id     uuid NOT NULL,
      event_id      uuid NOT NULL,
      outlet_id     uuid NOT NULL,
      category_id   uuid NOT NULL,
      quota         integer NOT NULL CHECK (quota >= 0),
      sold          integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
      PRIMARY KEY (outlet_id, category_id),
      FOREIGN KEY (event_id, outlet_id) REFERENCES sales_rights (event_id, outlet_id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, category_id) REFERENCES price_categories (tenant_id, id),
      CHECK (sold <= quota)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON sales_quotas TO boxoffice_app');
  await knex.raw('ALTER TABLE sales_quotas ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE sales_quotas FORCE ROW LEVEL SECURITY');
  // The promoter sets quotas; the outlet reads its own and moves its sold counter when selling.
  await knex.raw('CREATE POLICY tenant_isolation ON sales_quotas USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
  await knex.raw('CREATE POLICY outlet_read ON sales_quotas FOR SELECT USING (outlet_id = app_tenant())');
  await knex.raw('CREATE POLICY outlet_sell ON sales_quotas FOR UPDATE USING (outlet_id = app_tenant()) WITH CHECK (outlet_id = app_tenant())');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE sales_quotas');
}
