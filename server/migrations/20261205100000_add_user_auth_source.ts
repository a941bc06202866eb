import type { Knex } from 'knex';

// Where a user's password is checked: 'local' (the scrypt hash here) or 'directory' (the tenant's LDAP /
// Active Directory, by binding as the user). Directory users keep a password_hash that no password
// matches, their distinguished name as last seen, and whether the directory (not an administrator)
// disabled them, so that a directory sign-in or sync re-enables only what the directory disabled.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE users
      ADD COLUMN auth_source text NOT NULL DEFAULT 'local' CHECK (auth_source IN ('local', 'directory')),
      ADD COLUMN directory_dn text CHECK (directory_dn IS NULL OR length(directory_dn) BETWEEN 1 AND 1024),
      ADD COLUMN directory_disabled boolean NOT NULL DEFAULT false,
      ADD CONSTRAINT users_directory_fields CHECK (
        (auth_source = 'directory') = (directory_dn IS NOT NULL)
        AND (NOT directory_disabled OR (auth_source = 'directory' AND disabled_at IS NOT NULL))
      )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_directory_fields, DROP COLUMN directory_disabled, DROP COLUMN directory_dn, DROP COLUMN auth_source');
}
