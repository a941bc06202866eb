import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// One row per blank number, so that every number is accounted for. A number exists once on the platform
// (it is the supplier's serial). States: in_stock → issued (handed to a print job) → printed | spoiled,
// or in_stock → voided (leftover of a partly used sheet). Only these moves are possible, whatever the
// code does; nothing is ever deleted.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE blanks (
      number          bigint PRIMARY KEY CHECK (number >= 1),
      tenant_id       uuid NOT NULL,
      batch_id        uuid NOT NULL,
      state           text NOT NULL DEFAULT 'in_stock' CHECK (state IN ('in_stock', 'issued', 'printed', 'spoiled', 'voided')),
      -- Why a blank was spoiled or voided.
      reason          text CHECK (length(reason) BETWEEN 1 AND 500),
      changed_at      timestamptz,
      changed_by      uuid,
      workstation_id  uuid,
      UNIQUE (tenant_id, number),
      FOREIGN KEY (tenant_id, batch_id) REFERENCES blank_batches (tenant_id, id),
      FOREIGN KEY (tenant_id, changed_by) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      CHECK ((state IN ('spoiled', 'voided')) = (reason IS NOT NULL)),
      CHECK ((state = 'in_stock') = (changed_at IS NULL))
    )
  `);
  await knex.raw('CREATE INDEX blanks_batch_state ON blanks (batch_id, state)');
  await knex.raw(`
    CREATE FUNCTION blanks_guard_state() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'blank % cannot be deleted', OLD.number USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.number <> OLD.number OR NEW.tenant_id <> OLD.tenant_id OR NEW.batch_id <> OLD.batch_id THEN
        RAISE EXCEPTION 'blank % cannot be renumbered or moved', OLD.number USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NOT ((OLD.state = 'in_stock' AND NEW.state IN ('issued', 'voided'))
              OR (OLD.state = 'issued' AND NEW.state IN ('printed', 'spoiled'))) THEN
        RAISE EXCEPTION 'blank %: % cannot become %', OLD.number, OLD.state, NEW.state USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw('CREATE TRIGGER blanks_state_machine BEFORE UPDATE OR DELETE ON blanks FOR EACH ROW EXECUTE FUNCTION blanks_guard_state()');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON blanks TO boxoffice_app');
  await knex.raw('ALTER TABLE blanks ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE blanks FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON blanks USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE blanks');
  await knex.raw('DROP FUNCTION blanks_guard_state()');
}
