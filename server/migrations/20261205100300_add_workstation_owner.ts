import type { Knex } from 'knex';

// A client certificate is either a machine's ('workstation') or a person's ('user'). A user certificate
// names its owner, who may then sign in only with it, and it signs in nobody else.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE workstations
      ADD COLUMN kind text NOT NULL DEFAULT 'workstation' CHECK (kind IN ('workstation', 'user')),
      ADD COLUMN user_id uuid,
      ADD CONSTRAINT workstations_owner_fk FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
      ADD CONSTRAINT workstations_owner_kind CHECK ((kind = 'user') = (user_id IS NOT NULL))
  `);
  await knex.raw('CREATE INDEX workstations_owner ON workstations (user_id) WHERE user_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX workstations_owner');
  await knex.raw('ALTER TABLE workstations DROP CONSTRAINT workstations_owner_kind, DROP CONSTRAINT workstations_owner_fk, DROP COLUMN user_id, DROP COLUMN kind');
}
