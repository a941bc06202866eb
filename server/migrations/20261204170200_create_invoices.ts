import type { Knex } from 'knex';

// Invoices and their lines. A draft may change; from issue on the row is frozen (number, parties, lines,
// totals, PDF and its SHA-256): the trigger lets through only the cancellation mark and the payment
// state, and refuses DELETE. Lines can change only while their invoice is a draft. The issuer owns the
// row (tenant_id); a tenant that receives a settlement (recipient_tenant_id) may read it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE invoices (
      id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id                uuid NOT NULL REFERENCES tenants (id),
      kind                     text NOT NULL CHECK (kind IN ('business_order', 'outlet_settlement', 'promoter_settlement', 'cancellation')),
      status                   text NOT NULL CHECK (status IN ('draft', 'issued', 'cancelled')),
      series                   text CHECK (series IN ('invoice', 'cancellation')),
      year                     integer,
      number                   integer CHECK (number >= 1),
      number_label             text,
      recipient_tenant_id      uuid REFERENCES tenants (id),
      order_tenant_id          uuid,
      order_id                 uuid,
      event_id                 uuid,
      period_from              date,
      period_to                date,
      service_date             date,
      issue_date               date,
      issuer                   jsonb,
      recipient                jsonb,
      note                     text CHECK (note IS NULL OR length(note) <= 1000),
      settlement               jsonb,
      rates                    jsonb NOT NULL DEFAULT '[]',
      net_cents                bigint NOT NULL DEFAULT 0,
      tax_cents                bigint NOT NULL DEFAULT 0,
      gross_cents              bigint NOT NULL DEFAULT 0,
      small_amount             boolean NOT NULL DEFAULT false,
      cancels_invoice_id       uuid UNIQUE REFERENCES invoices (id),
      cancelled_by_invoice_id  uuid REFERENCES invoices (id),
      cancel_reason            text CHECK (cancel_reason IS NULL OR length(cancel_reason) BETWEEN 3 AND 500),
      cancelled_at             timestamptz,
      pdf                      bytea,
      pdf_sha256               text CHECK (pdf_sha256 IS NULL OR pdf_sha256 ~ '^[0-9a-f]{64}$'),
      paid_cents               bigint NOT NULL DEFAULT 0,
      paid_at                  timestamptz,
      created_at               timestamptz NOT NULL,
      created_by               uuid NOT NULL,
      issued_at                timestamptz,
      issued_by                uuid,
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, series, year, number),
      FOREIGN KEY (order_tenant_id, order_id) REFERENCES orders (tenant_id, id),
      CHECK (net_cents + tax_cents = gross_cents),
      CHECK ((status = 'draft') = (number IS NULL)),
      CHECK (status = 'draft' OR (series IS NOT NULL AND year IS NOT NULL AND number_label IS NOT NULL AND issue_date IS NOT NULL
                                  AND issuer IS NOT NULL AND pdf IS NOT NULL AND pdf_sha256 IS NOT NULL AND issued_at IS NOT NULL)),
      CHECK ((status = 'cancelled') = (cancelled_by_invoice_id IS NOT NULL)),
      CHECK ((kind = 'cancellation') = (cancels_invoice_id IS NOT NULL)),
      CHECK ((kind = 'cancellation') = (series IS NOT DISTINCT FROM 'cancellation') OR status = 'draft'),
      CHECK ((kind = 'business_order') = (order_id IS NOT NULL) OR kind = 'cancellation'),
      CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to)
    )
  `);
  // One live invoice per business order: a new one only after the old one has been cancelled.
  await knex.raw(`CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'business_order' AND status <> 'cancelled'`);
  await knex.raw('CREATE INDEX invoices_tenant_issued ON invoices (tenant_id, issue_date)');
  await knex.raw('CREATE INDEX invoices_recipient ON invoices (recipient_tenant_id)');
  await knex.raw(`
    CREATE TABLE invoice_lines (
      id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id          uuid NOT NULL,
      invoice_id         uuid NOT NULL,
      position           integer NOT NULL CHECK (position >= 1),
      description        text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 300),
      quantity           integer NOT NULL CHECK (quantity <> 0),
      unit_gross_cents   bigint NOT NULL CHECK (unit_gross_cents >= 0),
      line_gross_cents   bigint NOT NULL,
      vat_rate_bp        integer NOT NULL CHECK (vat_rate_bp IN (0, 700, 1900)),
      UNIQUE (invoice_id, position),
      FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
      CHECK (line_gross_cents = quantity * unit_gross_cents)
    )
  `);
  await knex.raw(`
    CREATE FUNCTION invoices_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      mutable text[] := ARRAY['status', 'cancelled_by_invoice_id', 'cancel_reason', 'cancelled_at', 'paid_cents', 'paid_at'];
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'an issued invoice cannot be changed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'draft' THEN
        RETURN NEW;
      END IF;
      IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable)
         OR NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'cancelled'))
         OR (OLD.status = 'cancelled' AND (NEW.cancelled_by_invoice_id, NEW.cancel_reason, NEW.cancelled_at)
                                          IS DISTINCT FROM (OLD.cancelled_by_invoice_id, OLD.cancel_reason, OLD.cancelled_at)) THEN
        RAISE EXCEPTION 'an issued invoice cannot be changed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw(`
    CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
      FOR EACH ROW EXECUTE FUNCTION invoices_refuse_change()
  `);
  await knex.raw(`
    CREATE FUNCTION invoice_lines_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
    BEGIN
      IF EXISTS (SELECT 1 FROM invoices WHERE id = parent AND status <> 'draft')
         OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND status <> 'draft')) THEN
        RAISE EXCEPTION 'the lines of an issued invoice cannot be changed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END
    $$
  `);
  await knex.raw(`
    CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
      FOR EACH ROW EXECUTE FUNCTION invoice_lines_refuse_change()
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO boxoffice_app');
  await knex.raw('GRANT SELECT, INSERT, DELETE ON invoice_lines TO boxoffice_app');
  for (const table of ['invoices', 'invoice_lines']) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))`);
  }
  // The tenant a settlement is addressed to reads it (never a draft), and its lines.
  await knex.raw(`CREATE POLICY recipient_read ON invoices FOR SELECT USING (status <> 'draft' AND app_visible_tenant(recipient_tenant_id))`);
  await knex.raw(`
    CREATE POLICY recipient_read ON invoice_lines FOR SELECT
      USING (EXISTS (SELECT 1 FROM invoices i WHERE i.id = invoice_id AND i.status <> 'draft' AND app_visible_tenant(i.recipient_tenant_id)))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE invoice_lines');
  await knex.raw('DROP TABLE invoices');
  await knex.raw('DROP FUNCTION invoice_lines_refuse_change()');
  await knex.raw('DROP FUNCTION invoices_refuse_change()');
}
