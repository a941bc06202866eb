import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// One print job: the tickets of one order (or one reprint) on consecutive blanks of one workstation's
// tray. voided_first..voided_last are the leftovers of a partly used sheet voided when the job started.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE print_jobs (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL,
      order_id        uuid NOT NULL,
      kind            text NOT NULL CHECK (kind IN ('print', 'reprint')),
      workstation_id  uuid NOT NULL,
      created_by      uuid NOT NULL,
      created_at      timestamptz NOT NULL,
      first_blank     bigint NOT NULL CHECK (first_blank >= 1),
      last_blank      bigint NOT NULL,
      voided_first    bigint,
      voided_last     bigint,
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
      CHECK (last_blank >= first_blank),
      CHECK ((voided_first IS NULL) = (voided_last IS NULL)),
      CHECK (voided_last >= voided_first AND voided_last < first_blank)
    )
  `);
  await knex.raw('CREATE INDEX print_jobs_order ON print_jobs (order_id)');
  await knex.raw('CREATE INDEX print_jobs_tenant_created ON print_jobs (tenant_id, created_at DESC)');
  await knex.raw('GRANT SELECT, INSERT ON print_jobs TO boxoffice_app');
  await knex.raw('ALTER TABLE print_jobs ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE print_jobs FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON print_jobs USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE print_jobs');
}
