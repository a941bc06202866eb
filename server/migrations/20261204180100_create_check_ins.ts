import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// check_ins: every scan a gate sent, with its verdict, kept for good (append-only: the database refuses
// UPDATE and DELETE). A nonce is answered once; a replay gets the first verdict.
// ticket_admissions: per (entry list, ticket) whether the guest is inside. Admitting is one guarded
// INSERT ... ON CONFLICT on its primary key, so the same ticket scanned at the same instant at two gates
// is admitted exactly once.
// The promoter's entry staff mark a ticket as used (tickets.admitted_at, which sales cancellation
// respects), so the promoter may update the tickets of its events.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE check_ins (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL REFERENCES tenants (id),
      entry_list_id   uuid NOT NULL,
      nonce           text NOT NULL CHECK (nonce ~ '^[A-Za-z0-9_-]{16,100}$'),
      code            text NOT NULL CHECK (length(code) BETWEEN 1 AND 200),
      direction       text NOT NULL CHECK (direction IN ('in', 'out')),
      gate            text NOT NULL CHECK (length(btrim(gate)) BETWEEN 1 AND 100),
      verdict         text NOT NULL CHECK (verdict IN (
                        'admitted', 'already_admitted', 'checked_out', 'not_inside', 'voided', 'cancelled', 'unpaid',
                        'wrong_event', 'wrong_entry_list', 'not_yet_valid', 'no_longer_valid', 'unknown', 'malformed')),
      ticket_id       uuid,
      print_id        uuid,
      detail          jsonb NOT NULL DEFAULT '{}',
      scanned_at      timestamptz NOT NULL,
      received_at     timestamptz NOT NULL,
      offline         boolean NOT NULL DEFAULT false,
      workstation_id  uuid NOT NULL,
      user_id         uuid NOT NULL,
      UNIQUE (tenant_id, nonce),
      FOREIGN KEY (tenant_id, entry_list_id) REFERENCES entry_lists (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id)
    )
  `);
  await knex.raw('CREATE INDEX check_ins_list_time ON check_ins (entry_list_id, received_at)');
  await knex.raw('CREATE INDEX check_ins_ticket ON check_ins (ticket_id) WHERE ticket_id IS NOT NULL');
  await knex.raw(`
    CREATE FUNCTION check_ins_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'check_ins is append-only' USING ERRCODE = 'insufficient_privilege';
    END
    $$
  `);
  await knex.raw('CREATE TRIGGER check_ins_append_only BEFORE UPDATE OR DELETE ON check_ins FOR EACH ROW EXECUTE FUNCTION check_ins_append_only()');
  await knex.raw('GRANT SELECT, INSERT ON check_ins TO boxoffice_app');
  await knex.raw('ALTER TABLE check_ins ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE check_ins FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON check_ins USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);

  await knex.raw(`
    CREATE TABLE ticket_admissions (
      tenant_id          uuid NOT NULL REFERENCES tenants (id),
      entry_list_id      uuid NOT NULL,
      ticket_id          uuid NOT NULL,
      inside             boolean NOT NULL,
      first_admitted_at  timestamptz NOT NULL,
      first_gate         text NOT NULL,
      -- The check-in that admitted first (by scan time); inserted right after this row, same transaction.
      first_check_in_id  uuid NOT NULL,
      last_change_at     timestamptz NOT NULL,
      last_gate          text NOT NULL,
      admissions         integer NOT NULL DEFAULT 1 CHECK (admissions >= 1),
      PRIMARY KEY (entry_list_id, ticket_id),
      FOREIGN KEY (tenant_id, entry_list_id) REFERENCES entry_lists (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON ticket_admissions TO boxoffice_app');
  await knex.raw('ALTER TABLE ticket_admissions ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE ticket_admissions FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON ticket_admissions USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);

  // Offline scans reconciled later: the first scan by scan time wins; every later admission of the same
  // ticket from another gate is a conflict, kept with both check-ins for the report (who, where, when).
  await knex.raw(`
    CREATE TABLE entry_conflicts (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id           uuid NOT NULL REFERENCES tenants (id),
      entry_list_id       uuid NOT NULL,
      ticket_id           uuid NOT NULL,
      first_check_in_id   uuid NOT NULL REFERENCES check_ins (id),
      later_check_in_id   uuid NOT NULL REFERENCES check_ins (id),
      kind                text NOT NULL CHECK (kind IN ('double_admission', 'admitted_offline_while_invalid')),
      detected_at         timestamptz NOT NULL,
      FOREIGN KEY (tenant_id, entry_list_id) REFERENCES entry_lists (tenant_id, id)
    )
  `);
  await knex.raw('CREATE INDEX entry_conflicts_list ON entry_conflicts (entry_list_id, detected_at)');
  await knex.raw('GRANT SELECT, INSERT ON entry_conflicts TO boxoffice_app');
  await knex.raw('ALTER TABLE entry_conflicts ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE entry_conflicts FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON entry_conflicts USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);

  await knex.raw(`CREATE POLICY promoter_admit ON tickets FOR UPDATE USING (${visibleTenant('promoter_id')}) WITH CHECK (${visibleTenant('promoter_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP POLICY promoter_admit ON tickets');
  await knex.raw('DROP TABLE entry_conflicts');
  await knex.raw('DROP TABLE ticket_admissions');
  await knex.raw('DROP TABLE check_ins');
  await knex.raw('DROP FUNCTION check_ins_append_only()');
}
