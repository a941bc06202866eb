import type { Knex } from 'knex';

// Grants already keep the application role from changing audit rows; these triggers also stop the
// owner and any other role that has the privilege, so tampering needs a deliberate DDL change first
// (which `audit verify` would still reveal through the hash chain).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$
  `);
  await knex.raw(`
    CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()
  `);
  await knex.raw(`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER audit_log_no_truncate ON audit_log');
  await knex.raw('DROP TRIGGER audit_log_no_update_delete ON audit_log');
  await knex.raw('DROP FUNCTION audit_log_refuse_change()');
}
