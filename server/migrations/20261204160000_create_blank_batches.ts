import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// Pre-numbered security paper: the operator hands an outlet a batch of whole A4 sheets with consecutive
// blank numbers (sheet n holds blanks 3n−2, 3n−1 and 3n), so a batch starts on a sheet's first blank and
// ends on a sheet's last. The batch belongs to the outlet that holds the paper.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE blank_batches (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL REFERENCES tenants (id),
      first_number    bigint NOT NULL CHECK (first_number >= 1 AND first_number % 3 = 1),
      last_number     bigint NOT NULL CHECK (last_number % 3 = 0),
      note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
      registered_at   timestamptz NOT NULL,
      -- Operator staff (another tenant than the outlet), hence no composite key with tenant_id.
      registered_by   uuid NOT NULL REFERENCES users (id),
      UNIQUE (tenant_id, id),
      CHECK (last_number > first_number AND last_number - first_number < 30000)
    )
  `);
  await knex.raw('CREATE INDEX blank_batches_tenant ON blank_batches (tenant_id, first_number)');
  await knex.raw('GRANT SELECT, INSERT ON blank_batches TO boxoffice_app');
  await knex.raw('ALTER TABLE blank_batches ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE blank_batches FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON blank_batches USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE blank_batches');
}
