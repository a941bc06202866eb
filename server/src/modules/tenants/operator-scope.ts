import type { Knex } from 'knex';
import type { TenantScope } from '../../db/tenant-scope.js';
import { createTenantRepository } from './repository.js';

export class NoOperatorError extends Error {
  readonly code = 'NO_OPERATOR';
  constructor() {
    super('no operator tenant exists yet; run "npm run cli -- demo" or create the operator first');
    this.name = 'NoOperatorError';
  }
}

/**
 * The scope of the platform operator over its sub-tenants. Used by the command line, which runs on
 * the server with the operator's authority.
 */
export async function operatorScope(knex: Knex): Promise<TenantScope> {
  const operator = await createTenantRepository().findOperator(knex);
  if (operator === undefined) throw new NoOperatorError();
  return { tenantId: operator.id, includeChildren: true };
}
