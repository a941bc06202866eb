import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// The paper tray of a workstation: the number of the next blank the printer will print on (null until
// paper is loaded; it may point past the stock when the paper ran out), and whether a partly used sheet
// may be fed again (otherwise its leftover blanks are voided when the next job starts a new sheet).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE print_trays (
      workstation_id        uuid PRIMARY KEY,
      tenant_id             uuid NOT NULL,
      next_blank            bigint CHECK (next_blank >= 1),
      reuse_partial_sheets  boolean NOT NULL DEFAULT false,
      updated_at            timestamptz NOT NULL,
      updated_by            uuid NOT NULL,
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON print_trays TO boxoffice_app');
  await knex.raw('ALTER TABLE print_trays ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE print_trays FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON print_trays USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE print_trays');
}
