import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE tenants (
      id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind        text NOT NULL CHECK (kind IN ('operator', 'promoter', 'outlet')),
      code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      parent_id   uuid REFERENCES tenants (id),
      created_at  timestamptz NOT NULL DEFAULT now(),
      -- The operator is the root; promoters and outlets hang below it.
      CHECK ((kind = 'operator') = (parent_id IS NULL))
    )
  `);
  // One operator runs the platform.
  await knex.raw(`CREATE UNIQUE INDEX tenants_single_operator ON tenants ((true)) WHERE kind = 'operator'`);
  await knex.raw('CREATE INDEX tenants_parent_id ON tenants (parent_id)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON tenants TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE tenants');
}
