import type { Knex } from 'knex';

// Incoming transfers on the escrow account: imported bank statements (CAMT.053 or CSV) and manual
// bookings. A statement is imported once: the same file (SHA-256) or the same statement of the same
// account is refused. Each credit entry becomes a transaction, matched to an invoice or left unmatched
// for manual assignment; entries that cannot be booked (foreign currency, debits) are kept as rejected
// with the reason, so the statement stays complete.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE bank_statements (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL REFERENCES tenants (id),
      format          text NOT NULL CHECK (format IN ('camt053', 'csv')),
      account_iban    text NOT NULL CHECK (length(account_iban) BETWEEN 1 AND 34),
      statement_ref   text NOT NULL CHECK (length(statement_ref) BETWEEN 1 AND 200),
      file_sha256     text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
      entry_count     integer NOT NULL CHECK (entry_count >= 0),
      imported_at     timestamptz NOT NULL,
      imported_by     uuid NOT NULL,
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, file_sha256),
      UNIQUE (tenant_id, account_iban, statement_ref)
    )
  `);
  await knex.raw(`
    CREATE TABLE escrow_transactions (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL REFERENCES tenants (id),
      statement_id    uuid,
      source          text NOT NULL CHECK (source IN ('camt053', 'csv', 'manual')),
      booking_date    date NOT NULL,
      amount_cents    bigint NOT NULL,
      currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      payer_name      text NOT NULL DEFAULT '' CHECK (length(payer_name) <= 200),
      payer_iban      text CHECK (payer_iban IS NULL OR length(payer_iban) <= 34),
      reference       text NOT NULL DEFAULT '' CHECK (length(reference) <= 1000),
      bank_ref        text CHECK (bank_ref IS NULL OR length(bank_ref) <= 200),
      status          text NOT NULL CHECK (status IN ('matched', 'unmatched', 'rejected')),
      reject_reason   text CHECK (reject_reason IS NULL OR reject_reason IN ('FOREIGN_CURRENCY', 'NOT_A_CREDIT', 'NOT_BOOKED')),
      invoice_id      uuid REFERENCES invoices (id),
      matched_by      text CHECK (matched_by IS NULL OR matched_by IN ('reference', 'manual')),
      matched_at      timestamptz,
      created_at      timestamptz NOT NULL,
      created_by      uuid NOT NULL,
      FOREIGN KEY (tenant_id, statement_id) REFERENCES bank_statements (tenant_id, id),
      CHECK ((status = 'matched') = (invoice_id IS NOT NULL)),
      CHECK ((status = 'matched') = (matched_by IS NOT NULL AND matched_at IS NOT NULL)),
      CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
      CHECK (status = 'rejected' OR (amount_cents > 0 AND currency = 'EUR')),
      CHECK ((source = 'manual') = (statement_id IS NULL))
    )
  `);
  await knex.raw('CREATE INDEX escrow_transactions_invoice ON escrow_transactions (invoice_id)');
  await knex.raw('CREATE INDEX escrow_transactions_open ON escrow_transactions (tenant_id) WHERE status = \'unmatched\'');
  // A booked transfer is never deleted; the only change is its assignment to an invoice.
  await knex.raw(`
    CREATE FUNCTION escrow_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR OLD.status <> 'unmatched'
         OR (to_jsonb(NEW) - ARRAY['status', 'invoice_id', 'matched_by', 'matched_at']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'invoice_id', 'matched_by', 'matched_at']) THEN
        RAISE EXCEPTION 'a booked escrow transaction cannot be changed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw(`
    CREATE TRIGGER escrow_transactions_immutable BEFORE UPDATE OR DELETE ON escrow_transactions
      FOR EACH ROW EXECUTE FUNCTION escrow_transactions_refuse_change()
  `);
  await knex.raw('GRANT SELECT, INSERT ON bank_statements TO boxoffice_app');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON escrow_transactions TO boxoffice_app');
  for (const table of ['bank_statements', 'escrow_transactions']) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE escrow_transactions');
  await knex.raw('DROP TABLE bank_statements');
  await knex.raw('DROP FUNCTION escrow_transactions_refuse_change()');
}
