import type { Knex } from 'knex';
import { onceEvaluated } from './lib/policy-sql.js';

// Row-level security policies that call app_visible_tenant() or app_may_sell() run that SQL function for
// every row a query reads: the functions contain sub-selects, so PostgreSQL cannot inline them, and a
// function call with a sub-select costs about 80 µs a row (a 20 000-seat category: 1.7 s to count what
// is free, against 3 ms without the policy). Spelled out with uncorrelated sub-selects instead, the same
// rules are evaluated once per statement (an InitPlan for the tenant, a hashed SubPlan for the child
// tenants and for the sellable events) and each row costs a hash probe.
//
// This rewrites every policy that exists at this point, whatever migration created it; the originals are
// kept in rls_policy_originals so that `down` restores them exactly. Policies created later must use the
// spelled-out form from ./lib/policy-sql.ts (a test refuses any policy that calls the functions per row).

interface PolicyRow {
  tablename: string;
  policyname: string;
  qual: string | null;
  with_check: string | null;
}

export async function up(knex: Knex): Promise<void> {
  const policies = (
    await knex.raw<{ rows: PolicyRow[] }>(
      `SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = current_schema() ORDER BY tablename, policyname`,
    )
  ).rows;
  await knex.raw(`
    CREATE TABLE rls_policy_originals (
      tablename  text NOT NULL,
      policyname text NOT NULL,
      qual       text,
      with_check text,
      PRIMARY KEY (tablename, policyname)
    )
  `);
  for (const p of policies) {
    const qual = p.qual === null ? null : onceEvaluated(p.qual);
    const check = p.with_check === null ? null : onceEvaluated(p.with_check);
    if (qual === p.qual && check === p.with_check) continue;
    await knex('rls_policy_originals').insert(p);
    await knex.raw(alterPolicy(p.tablename, p.policyname, qual, check));
  }
}

export async function down(knex: Knex): Promise<void> {
  const originals = await knex('rls_policy_originals').select<PolicyRow[]>('*');
  for (const p of originals) await knex.raw(alterPolicy(p.tablename, p.policyname, p.qual, p.with_check));
  await knex.raw('DROP TABLE rls_policy_originals');
}

function alterPolicy(table: string, policy: string, qual: string | null, check: string | null): string {
  const id = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return [`ALTER POLICY ${id(policy)} ON ${id(table)}`, qual === null ? '' : `USING (${qual})`, check === null ? '' : `WITH CHECK (${check})`].join(' ');
}
