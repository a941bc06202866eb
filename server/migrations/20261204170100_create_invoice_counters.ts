import type { Knex } from 'knex';

// Invoice numbers per issuing tenant, series and calendar year. Never a sequence: a sequence skips numbers
// when a transaction rolls back. The issuing transaction upserts its row here, which locks it until
// commit, so numbers are unique and without gaps also under concurrency.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE invoice_counters (
      tenant_id     uuid NOT NULL REFERENCES tenants (id),
      series        text NOT NULL CHECK (series IN ('invoice', 'cancellation')),
      year          integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
      next_number   integer NOT NULL CHECK (next_number >= 2),
      PRIMARY KEY (tenant_id, series, year)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON invoice_counters TO boxoffice_app');
  await knex.raw('ALTER TABLE invoice_counters ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE invoice_counters FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON invoice_counters USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE invoice_counters');
}
