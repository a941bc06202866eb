import type { Knex } from 'knex';

// Second wall of tenant isolation (the first is tenant-scoped repository code). The application sets
// the acting tenant per transaction with set_config('app.tenant_id', …, true); without it every
// tenant-owned table looks empty. 'app.include_children' = 'on' widens the view to the acting tenant's
// direct sub-tenants, for operator staff whose right covers sub-tenants. FORCE makes the owner obey
// the policies too, so only a superuser (never the application) sees across tenants.
const TENANT_TABLES = ['users', 'workstations', 'sessions', 'audit_log'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$
  `);
  await knex.raw(`
    CREATE FUNCTION app_visible_tenant(candidate uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT candidate = app_tenant()
          OR (current_setting('app.include_children', true) = 'on'
              AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = candidate AND t.parent_id = app_tenant()))
    $$
  `);
  await knex.raw('GRANT EXECUTE ON FUNCTION app_tenant() TO boxoffice_app');
  await knex.raw('GRANT EXECUTE ON FUNCTION app_visible_tenant(uuid) TO boxoffice_app');

  await knex.raw('ALTER TABLE tenants ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE tenants FORCE ROW LEVEL SECURITY');
  // A tenant sees itself; the operator also sees the tenants below it (to manage them). Everybody may
  // see the operator itself: it is the platform, named on every ticket and invoice, and tools find
  // their starting point through it.
  await knex.raw(`
    CREATE POLICY tenant_isolation ON tenants
      USING (id = app_tenant() OR parent_id = app_tenant() OR kind = 'operator')
      WITH CHECK (id = app_tenant() OR parent_id = app_tenant())
  `);

  for (const table of TENANT_TABLES) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))`);
  }
  // Before any tenant is known, the client-certificate check may read exactly the workstation whose
  // certificate the peer has just proven to hold (fingerprint set per transaction), nothing else.
  await knex.raw(`
    CREATE POLICY certificate_lookup ON workstations FOR SELECT
      USING (cert_fingerprint = current_setting('app.auth_fingerprint', true))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP POLICY certificate_lookup ON workstations');
  for (const table of [...TENANT_TABLES, 'tenants']) {
    await knex.raw(`DROP POLICY tenant_isolation ON ${table}`);
    await knex.raw(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
  }
  await knex.raw('DROP FUNCTION app_visible_tenant(uuid)');
  await knex.raw('DROP FUNCTION app_tenant()');
}
