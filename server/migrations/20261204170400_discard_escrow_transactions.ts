import type { Knex } from 'knex';

// An unmatched transfer that belongs to no invoice (a bank fee refund, a misdirected payment sent back) is
// discarded by a person with a reason; it stays on the statement as discarded and is never booked.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE escrow_transactions ADD COLUMN discard_reason text CHECK (discard_reason IS NULL OR length(discard_reason) BETWEEN 3 AND 500)');
  await knex.raw('ALTER TABLE escrow_transactions ADD COLUMN discarded_at timestamptz');
  await knex.raw('ALTER TABLE escrow_transactions ADD COLUMN discarded_by uuid');
  await knex.raw('ALTER TABLE escrow_transactions DROP CONSTRAINT escrow_transactions_status_check');
  await knex.raw(`ALTER TABLE escrow_transactions ADD CONSTRAINT escrow_transactions_status_check CHECK (status IN ('matched', 'unmatched', 'rejected', 'discarded'))`);
  await knex.raw(`
    ALTER TABLE escrow_transactions ADD CONSTRAINT escrow_transactions_discarded_check
      CHECK ((status = 'discarded') = (discard_reason IS NOT NULL AND discarded_at IS NOT NULL AND discarded_by IS NOT NULL))
  `);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION escrow_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      mutable text[] := ARRAY['status', 'invoice_id', 'matched_by', 'matched_at', 'discard_reason', 'discarded_at', 'discarded_by'];
    BEGIN
      IF TG_OP = 'DELETE' OR OLD.status <> 'unmatched' OR NEW.status NOT IN ('matched', 'discarded')
         OR (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
        RAISE EXCEPTION 'a booked escrow transaction cannot be changed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION escrow_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR OLD.status <> 'unmatched'
         OR (to_jsonb(NEW) - ARRAY['status', 'invoice_id', 'matched_by', 'matched_at']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'invoice_id', 'matched_by', 'matched_at']) THEN
        RAISE EXCEPTION 'a booked escrow transaction cannot be changed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$
  `);
  await knex.raw('ALTER TABLE escrow_transactions DROP CONSTRAINT escrow_transactions_discarded_check');
  await knex.raw('ALTER TABLE escrow_transactions DROP CONSTRAINT escrow_transactions_status_check');
  await knex.raw(`ALTER TABLE escrow_transactions ADD CONSTRAINT escrow_transactions_status_check CHECK (status IN ('matched', 'unmatched', 'rejected'))`);
  await knex.raw('ALTER TABLE escrow_transactions DROP COLUMN discarded_by');
  await knex.raw('ALTER TABLE escrow_transactions DROP COLUMN discarded_at');
  await knex.raw('ALTER TABLE escrow_transactions DROP COLUMN discard_reason');
}
