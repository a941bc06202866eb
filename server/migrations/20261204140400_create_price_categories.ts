import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE price_categories (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id     uuid NOT NULL,
      event_id      uuid NOT NULL,
      name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
      -- Gross price in cents; VAT rate in basis points (700 = 7 %).
      price_cents   bigint NOT NULL CHECK (price_cents >= 0),
      vat_rate_bp   integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
      seated        boolean NOT NULL,
      -- For seated categories: the number of seats of the category.
      capacity      integer NOT NULL CHECK (capacity >= 0),
      -- Tickets currently valid in this category; kept in the same transaction as the ticket rows.
      sold          integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
      sort_order    integer NOT NULL DEFAULT 0,
      UNIQUE (tenant_id, id),
      UNIQUE (event_id, name),
      FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
      -- The last line of defence against overselling.
      CHECK (sold <= capacity)
    )
  `);
  await knex.raw(`
    CREATE TABLE price_variants (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id     uuid NOT NULL,
      category_id   uuid NOT NULL,
      name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
      price_cents   bigint NOT NULL CHECK (price_cents >= 0),
      UNIQUE (category_id, name),
      FOREIGN KEY (tenant_id, category_id) REFERENCES price_categories (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON price_categories TO boxoffice_app');
  await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON price_variants TO boxoffice_app');
  for (const table of ['price_categories', 'price_variants']) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))`);
  }
  // Selling outlets read categories and variants and move the sold counter (the sales service is the
  // only writer; it never touches price or capacity).
  await knex.raw('CREATE POLICY outlet_read ON price_categories FOR SELECT USING (app_may_sell(event_id))');
  await knex.raw('CREATE POLICY outlet_sell ON price_categories FOR UPDATE USING (app_may_sell(event_id)) WITH CHECK (app_may_sell(event_id))');
  await knex.raw(`
    CREATE POLICY outlet_read ON price_variants FOR SELECT
      USING (EXISTS (SELECT 1 FROM price_categories c WHERE c.id = price_variants.category_id AND app_may_sell(c.event_id)))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE price_variants');
  await knex.raw('DROP TABLE price_categories');
}
