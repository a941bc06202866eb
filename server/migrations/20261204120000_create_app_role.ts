import type { Knex } from 'knex';

// The application runs as this role: no LOGIN of its own (a login role is granted membership, or the
// owner switches to it with SET ROLE), not superuser, no BYPASSRLS, owns nothing. Row-level security
// and the append-only audit grants only bind a role like this. Roles are cluster-wide, so several
// databases on one server share it; creating it must tolerate a concurrent creator.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'boxoffice_app') THEN
        CREATE ROLE boxoffice_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END
    $$;
  `);
  await knex.raw('GRANT USAGE ON SCHEMA public TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  // The role may serve other databases on the same server; only this database's grant is taken back.
  await knex.raw('REVOKE USAGE ON SCHEMA public FROM boxoffice_app');
}
