import type { Knex } from 'knex';
import type { TenantKind } from '../../../../src/shared/api/system.js';

export interface TenantRow {
  id: string;
  kind: TenantKind;
  code: string;
  name: string;
  parent_id: string | null;
  created_at: Date;
}

export function createTenantRepository() {
  return {
    findByCode(db: Knex | Knex.Transaction, code: string): Promise<TenantRow | undefined> {
      return db('tenants').where({ code }).first<TenantRow | undefined>('*');
    },
    /** Visible without a tenant scope: the operator is the platform itself. */
    findOperator(db: Knex | Knex.Transaction): Promise<TenantRow | undefined> {
      return db('tenants').where({ kind: 'operator' }).first<TenantRow | undefined>('*');
    },
    async insert(db: Knex | Knex.Transaction, input: { id?: string; kind: TenantKind; code: string; name: string; parentId: string | null }): Promise<TenantRow> {
      const [row] = await db('tenants')
        .insert({ ...(input.id === undefined ? {} : { id: input.id }), kind: input.kind, code: input.code, name: input.name, parent_id: input.parentId })
        .returning<TenantRow[]>('*');
      if (row === undefined) throw new Error('insert returned no row');
      return row;
    },
    list(db: Knex | Knex.Transaction): Promise<TenantRow[]> {
      return db('tenants').select<TenantRow[]>('*').orderBy([{ column: 'kind' }, { column: 'code' }]);
    },
  };
}

export type TenantRepository = ReturnType<typeof createTenantRepository>;
