import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE users (
      id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id                    uuid NOT NULL REFERENCES tenants (id),
      login                        text NOT NULL CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
      display_name                 text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
      -- Self-describing hash string (algorithm and parameters inside), so parameters can be raised later.
      password_hash                text NOT NULL,
      must_change_password         boolean NOT NULL DEFAULT true,
      initial_password_expires_at  timestamptz,
      password_changed_at          timestamptz,
      disabled_at                  timestamptz,
      created_by                   uuid REFERENCES users (id),
      created_at                   timestamptz NOT NULL DEFAULT now(),
      updated_at                   timestamptz NOT NULL DEFAULT now(),
      -- Ids of other tables reference (tenant_id, id) so that a row can never point into another tenant.
      UNIQUE (tenant_id, id)
    )
  `);
  // Login names are unique platform-wide: the login screen asks for a name, not for a tenant.
  await knex.raw('CREATE UNIQUE INDEX users_login_unique ON users (login)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON users TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE users');
}
