import type { Knex } from 'knex';

// The seller's contact for e-invoices: XRechnung (the German CIUS of EN 16931) requires a contact name,
// telephone and e-mail of the seller (BR-DE-2, -5, -6, -7).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE tenant_billing_profiles ADD COLUMN contact_name text CHECK (contact_name IS NULL OR length(btrim(contact_name)) BETWEEN 1 AND 200)');
  await knex.raw(`ALTER TABLE tenant_billing_profiles ADD COLUMN phone text CHECK (phone IS NULL OR phone ~ '^[+]{0,1}[0-9 ()/-]{3,30}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE tenant_billing_profiles DROP COLUMN phone');
  await knex.raw('ALTER TABLE tenant_billing_profiles DROP COLUMN contact_name');
}
