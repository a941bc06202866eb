import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// Entry lists: which tickets of an event a gate admits ("all tickets", "VIP only" by category), when, and
// whether a guest may leave and come back. Each list has its own key for the offline scan list (keyed
// hashes of the valid barcodes, so that a stolen station holds no printable codes). Owned by the
// promoter whose event it is.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE entry_lists (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id      uuid NOT NULL REFERENCES tenants (id),
      event_id       uuid NOT NULL,
      name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
      -- NULL: every category of the event.
      category_ids   uuid[] CHECK (category_ids IS NULL OR cardinality(category_ids) >= 1),
      allow_reentry  boolean NOT NULL DEFAULT false,
      valid_from     timestamptz,
      valid_until    timestamptz,
      scan_list_key  bytea NOT NULL CHECK (length(scan_list_key) = 32),
      created_at     timestamptz NOT NULL,
      created_by     uuid NOT NULL,
      UNIQUE (tenant_id, id),
      UNIQUE (event_id, name),
      FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
      CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_from < valid_until)
    )
  `);
  await knex.raw('CREATE INDEX entry_lists_event ON entry_lists (event_id)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON entry_lists TO boxoffice_app');
  await knex.raw('ALTER TABLE entry_lists ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE entry_lists FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON entry_lists USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE entry_lists');
}
