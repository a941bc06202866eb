import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// Who may sign in with a workstation certificate: named users and/or directory groups (normalised DN).
// A workstation without rules admits every user of its tenant; with rules, only those they name.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE workstation_sign_in_rules (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL,
      workstation_id  uuid NOT NULL,
      user_id         uuid,
      group_dn        text CHECK (group_dn IS NULL OR length(group_dn) BETWEEN 1 AND 1024),
      created_at      timestamptz NOT NULL,
      created_by      uuid,
      CHECK (num_nonnulls(user_id, group_dn) = 1),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
    )
  `);
  await knex.raw('CREATE UNIQUE INDEX workstation_sign_in_rules_user ON workstation_sign_in_rules (workstation_id, user_id) WHERE user_id IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX workstation_sign_in_rules_group ON workstation_sign_in_rules (workstation_id, group_dn) WHERE group_dn IS NOT NULL');
  await knex.raw('GRANT SELECT, INSERT, DELETE ON workstation_sign_in_rules TO boxoffice_app');
  await knex.raw('ALTER TABLE workstation_sign_in_rules ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE workstation_sign_in_rules FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON workstation_sign_in_rules USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE workstation_sign_in_rules');
}
