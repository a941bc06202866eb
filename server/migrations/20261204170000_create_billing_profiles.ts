import type { Knex } from 'knex';

// What an invoice must name about its issuer and recipient (§14 UStG): legal name, address, tax number or
// VAT id; plus the tenant's numbering pattern and, for outlets and promoters, the commercial terms the
// operator sets (outlet commission, platform fee), both in basis points. One row per tenant, kept by the
// tenant's management; the terms by the operator.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE tenant_billing_profiles (
      tenant_id            uuid PRIMARY KEY REFERENCES tenants (id),
      legal_name           text NOT NULL CHECK (length(btrim(legal_name)) BETWEEN 1 AND 200),
      street               text NOT NULL CHECK (length(btrim(street)) BETWEEN 1 AND 200),
      postal_code          text NOT NULL CHECK (length(btrim(postal_code)) BETWEEN 1 AND 20),
      city                 text NOT NULL CHECK (length(btrim(city)) BETWEEN 1 AND 100),
      country              text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
      tax_number           text CHECK (tax_number IS NULL OR length(tax_number) BETWEEN 1 AND 30),
      vat_id               text CHECK (vat_id IS NULL OR vat_id ~ '^[A-Z]{2}[A-Za-z0-9+*.]{2,13}$'),
      email                text CHECK (email IS NULL OR length(email) <= 200),
      iban                 text CHECK (iban IS NULL OR iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'),
      bank_name            text CHECK (bank_name IS NULL OR length(bank_name) <= 100),
      invoice_prefix       text NOT NULL DEFAULT 'RE' CHECK (invoice_prefix ~ '^[A-Z0-9]{1,10}$'),
      cancellation_prefix  text NOT NULL DEFAULT 'ST' CHECK (cancellation_prefix ~ '^[A-Z0-9]{1,10}$'),
      number_digits        integer NOT NULL DEFAULT 6 CHECK (number_digits BETWEEN 1 AND 10),
      commission_bp        integer NOT NULL DEFAULT 0 CHECK (commission_bp BETWEEN 0 AND 10000),
      platform_fee_bp      integer NOT NULL DEFAULT 0 CHECK (platform_fee_bp BETWEEN 0 AND 10000),
      updated_at           timestamptz NOT NULL,
      updated_by           uuid NOT NULL,
      CHECK (invoice_prefix <> cancellation_prefix)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON tenant_billing_profiles TO boxoffice_app');
  await knex.raw('ALTER TABLE tenant_billing_profiles ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE tenant_billing_profiles FORCE ROW LEVEL SECURITY');
  await knex.raw(
    'CREATE POLICY tenant_isolation ON tenant_billing_profiles USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))',
  );
  // Every tenant addresses its settlements to the operator, so the operator's billing data is readable
  // within any tenant scope (it is printed on every ticket and invoice anyway).
  await knex.raw(`
    CREATE POLICY operator_profile_read ON tenant_billing_profiles FOR SELECT
      USING (app_tenant() IS NOT NULL AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = tenant_id AND t.kind = 'operator'))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE tenant_billing_profiles');
}
