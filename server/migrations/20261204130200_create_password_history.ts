import type { Knex } from 'knex';

// Hashes of a user's previous passwords, so that the last five cannot be chosen again.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE password_history (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id      uuid NOT NULL,
      user_id        uuid NOT NULL,
      password_hash  text NOT NULL,
      created_at     timestamptz NOT NULL,
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
    )
  `);
  await knex.raw('CREATE INDEX password_history_user ON password_history (user_id, created_at DESC)');
  await knex.raw('GRANT SELECT, INSERT ON password_history TO boxoffice_app');
  await knex.raw('ALTER TABLE password_history ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE password_history FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON password_history USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE password_history');
}
