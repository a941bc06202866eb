import type { Knex } from 'knex';

// Promoters grant outlets the right to sell their events, so they must be able to name an outlet and to
// check that a tenant id is one: tenants of kind 'outlet' (id, code, name) become readable within any
// tenant scope. Outlet names and codes are no secret among the platform's tenants (they are printed on
// tickets and settlements); nothing else about an outlet is exposed, and writes stay as they were. A
// policy cannot ask for the viewer's own kind (it would read tenants inside a tenants policy), hence
// "any scoped tenant"; the API offers the directory to promoters only (GET /v1/events/:id/outlets).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE POLICY outlet_directory ON tenants FOR SELECT USING (kind = 'outlet' AND app_tenant() IS NOT NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP POLICY outlet_directory ON tenants');
}
