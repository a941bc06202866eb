import type { Knex } from 'knex';
import { CURRENT_TENANT } from './lib/policy-sql.js';

// Every printed ticket names its promoter, so the outlet that prints it must read the promoter's name.
// Like the outlet directory (20261204150000), promoters (id, code, name) become readable within any tenant
// scope: promoter names are no secret among the platform's tenants (they are on every ticket and poster),
// and writes stay as they were. Narrowing it to "promoters whose events the outlet may sell" would need a
// policy on tenants that reads sales_rights, whose own policy reads tenants: a cycle PostgreSQL refuses or
// must evaluate recursively.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE POLICY promoter_directory ON tenants FOR SELECT USING (kind = 'promoter' AND ${CURRENT_TENANT} IS NOT NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP POLICY promoter_directory ON tenants');
}
