import type { Knex } from 'knex';

// Events and venues: the promoter sees its own; an outlet sees exactly the events it may sell (and
// their venues), read-only.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE events ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE events FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON events USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
  await knex.raw('CREATE POLICY outlet_read ON events FOR SELECT USING (app_may_sell(id))');
  await knex.raw(`
    CREATE POLICY outlet_read ON venues FOR SELECT
      USING (EXISTS (SELECT 1 FROM events e WHERE e.venue_id = venues.id AND app_may_sell(e.id)))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP POLICY outlet_read ON venues');
  await knex.raw('DROP POLICY outlet_read ON events');
  await knex.raw('DROP POLICY tenant_isolation ON events');
  await knex.raw('ALTER TABLE events NO FORCE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE events DISABLE ROW LEVEL SECURITY');
}
