import type { Knex } from 'knex';

export interface TenantScope {
  /** The acting tenant: rows of other tenants are invisible (row-level security). */
  tenantId: string;
  /** Also see the acting tenant's direct sub-tenants (operator staff with a right that covers them). */
  includeChildren?: boolean;
}

/**
 * Runs `fn` in one transaction scoped to a tenant. Every multi-step write goes through here, so the
 * tenant setting and the work commit or roll back together; the setting ends with the transaction
 * (set_config(..., true)) and never leaks to the next user of a pooled connection.
 */
export async function inTenant<T>(knex: Knex, scope: TenantScope, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    await setTenantScope(trx, scope);
    return fn(trx);
  });
}

export async function setTenantScope(trx: Knex.Transaction, scope: TenantScope): Promise<void> {
  await trx.raw(`SELECT set_config('app.tenant_id', ?, true), set_config('app.include_children', ?, true)`, [
    scope.tenantId,
    scope.includeChildren === true ? 'on' : 'off',
  ]);
}
