import type { Knex } from 'knex';

// A till session runs from opening (float counted in) to closing (blind count, numbered Z report).
// Closed sessions are immutable.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE till_sessions (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id             uuid NOT NULL REFERENCES tenants (id),
      workstation_id        uuid NOT NULL,
      user_id               uuid NOT NULL,
      opened_at             timestamptz NOT NULL,
      opening_float_cents   bigint NOT NULL CHECK (opening_float_cents >= 0),
      closed_at             timestamptz,
      closing_number        integer,
      counted_cash_cents    bigint,
      expected_cash_cents   bigint,
      difference_cents      bigint,
      difference_reason     text,
      report                jsonb,
      report_pdf            bytea,
      report_sha256         text,
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, closing_number),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
      CHECK ((closed_at IS NULL) = (closing_number IS NULL)),
      CHECK (closed_at IS NULL OR (counted_cash_cents IS NOT NULL AND expected_cash_cents IS NOT NULL AND report IS NOT NULL AND report_sha256 IS NOT NULL))
    )
  `);
  await knex.raw('CREATE UNIQUE INDEX till_sessions_one_open ON till_sessions (workstation_id, user_id) WHERE closed_at IS NULL');
  await knex.raw(`
    CREATE TABLE till_counters (
      tenant_id     uuid PRIMARY KEY REFERENCES tenants (id),
      next_number   integer NOT NULL CHECK (next_number >= 1)
    )
  `);
  await knex.raw(`
    CREATE FUNCTION till_sessions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a closed till session cannot be changed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw(`
    CREATE TRIGGER till_sessions_immutable BEFORE UPDATE OR DELETE ON till_sessions
      FOR EACH ROW EXECUTE FUNCTION till_sessions_refuse_change()
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON till_sessions TO boxoffice_app');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON till_counters TO boxoffice_app');
  for (const table of ['till_sessions', 'till_counters']) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE till_counters');
  await knex.raw('DROP TABLE till_sessions');
  await knex.raw('DROP FUNCTION till_sessions_refuse_change()');
}
