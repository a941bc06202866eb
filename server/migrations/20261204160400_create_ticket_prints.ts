import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// One row per ticket printed on a blank. pending (job issued) → active (the station confirmed the
// printer took it) → void (reprinted or cancelled); pending → void (spoiled, or cancelled). The barcode is
// unique across the platform and never reused; a blank carries at most one print; a ticket has at most
// one live (pending or active) print, so never two valid barcodes. The promoter reads the prints of its
// events (entry control).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE ticket_prints (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL,
      promoter_id     uuid NOT NULL REFERENCES tenants (id),
      ticket_id       uuid NOT NULL,
      print_job_id    uuid NOT NULL,
      blank_number    bigint NOT NULL,
      barcode         text NOT NULL CHECK (barcode ~ '^[0-9]{22}$'),
      status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'void')),
      issued_at       timestamptz NOT NULL,
      confirmed_at    timestamptz,
      voided_at       timestamptz,
      void_reason     text CHECK (void_reason IN ('spoiled', 'reprinted', 'cancelled')),
      voided_by       uuid,
      reprint_of      uuid REFERENCES ticket_prints (id),
      reprint_reason  text CHECK (reprint_reason IN ('damaged', 'lost', 'printer_fault', 'other')),
      reprint_note    text CHECK (length(reprint_note) BETWEEN 1 AND 500),
      -- Prints of the ticket handed out before this one (shown as "Ersatzticket"), frozen at issue.
      reprint_count   integer NOT NULL DEFAULT 0 CHECK (reprint_count >= 0),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id),
      FOREIGN KEY (tenant_id, print_job_id) REFERENCES print_jobs (tenant_id, id),
      FOREIGN KEY (tenant_id, blank_number) REFERENCES blanks (tenant_id, number),
      FOREIGN KEY (tenant_id, voided_by) REFERENCES users (tenant_id, id),
      CHECK ((status = 'void') = (voided_at IS NOT NULL)),
      CHECK ((status = 'void') = (void_reason IS NOT NULL)),
      CHECK (status <> 'active' OR confirmed_at IS NOT NULL),
      CHECK ((reprint_of IS NULL) = (reprint_reason IS NULL)),
      CHECK (reprint_reason IS DISTINCT FROM 'other' OR reprint_note IS NOT NULL)
    )
  `);
  await knex.raw('CREATE UNIQUE INDEX ticket_prints_barcode ON ticket_prints (barcode)');
  await knex.raw('CREATE UNIQUE INDEX ticket_prints_blank ON ticket_prints (blank_number)');
  await knex.raw(`CREATE UNIQUE INDEX ticket_prints_one_live ON ticket_prints (ticket_id) WHERE status IN ('pending', 'active')`);
  await knex.raw('CREATE INDEX ticket_prints_job ON ticket_prints (print_job_id)');
  await knex.raw('CREATE INDEX ticket_prints_ticket ON ticket_prints (ticket_id)');
  await knex.raw(`
    CREATE FUNCTION ticket_prints_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ticket print % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.barcode <> OLD.barcode OR NEW.blank_number <> OLD.blank_number OR NEW.ticket_id <> OLD.ticket_id
         OR NEW.tenant_id <> OLD.tenant_id OR NEW.print_job_id <> OLD.print_job_id THEN
        RAISE EXCEPTION 'ticket print %: barcode, blank, ticket and job are fixed', OLD.id USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NOT ((OLD.status = 'pending' AND NEW.status IN ('active', 'void')) OR (OLD.status = 'active' AND NEW.status = 'void')) THEN
        RAISE EXCEPTION 'ticket print %: % cannot become %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw('CREATE TRIGGER ticket_prints_lifecycle BEFORE UPDATE OR DELETE ON ticket_prints FOR EACH ROW EXECUTE FUNCTION ticket_prints_guard()');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON ticket_prints TO boxoffice_app');
  await knex.raw('ALTER TABLE ticket_prints ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE ticket_prints FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON ticket_prints USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
  await knex.raw(`CREATE POLICY promoter_read ON ticket_prints FOR SELECT USING (${visibleTenant('promoter_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE ticket_prints');
  await knex.raw('DROP FUNCTION ticket_prints_guard()');
}
