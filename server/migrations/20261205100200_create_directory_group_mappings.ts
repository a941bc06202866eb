import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// Directory group (normalised DN) → right, per tenant. granted_by is the administrator who mapped it (NULL
// for the command line): at sign-in a mapped right counts only while that administrator still holds it,
// so the mapping never grants more than the tenant's management may grant.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE directory_group_mappings (
      tenant_id    uuid NOT NULL REFERENCES directory_configs (tenant_id),
      group_dn     text NOT NULL CHECK (length(group_dn) BETWEEN 1 AND 1024),
      permission   text NOT NULL CHECK (permission ~ '^[a-z]+\\.[a-z_]+$'),
      granted_by   uuid,
      granted_at   timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, group_dn, permission),
      FOREIGN KEY (tenant_id, granted_by) REFERENCES users (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, DELETE ON directory_group_mappings TO boxoffice_app');
  await knex.raw('ALTER TABLE directory_group_mappings ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE directory_group_mappings FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON directory_group_mappings USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE directory_group_mappings');
}
