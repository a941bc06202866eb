import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE user_permissions (
      tenant_id    uuid NOT NULL,
      user_id      uuid NOT NULL,
      permission   text NOT NULL CHECK (permission ~ '^[a-z]+\\.[a-z_]+$'),
      -- Who granted it (null for bootstrap grants made by the platform's command line).
      granted_by   uuid REFERENCES users (id),
      granted_at   timestamptz NOT NULL,
      PRIMARY KEY (user_id, permission),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, DELETE ON user_permissions TO boxoffice_app');
  await knex.raw('ALTER TABLE user_permissions ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE user_permissions FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON user_permissions USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE user_permissions');
}
