import type { Knex } from 'knex';
import type { TenantKind } from '../../../../src/shared/api/system.js';
import { setTenantScope } from '../../db/tenant-scope.js';

export interface WorkstationRow {
  id: string;
  tenant_id: string;
  name: string;
  cert_serial: string;
  cert_fingerprint: string;
  cert_not_after: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  created_at: Date;
  /** 'user': a person's certificate (user_id is its owner). */
  kind: 'workstation' | 'user';
  user_id: string | null;
}

export interface WorkstationWithTenant extends WorkstationRow {
  tenant_code: string;
  tenant_name: string;
  tenant_kind: TenantKind;
}

export interface NewWorkstation {
  tenantId: string;
  name: string;
  certSerial: string;
  certFingerprint: string;
  certNotAfter: Date;
  /** A person's certificate: its owner. */
  userId?: string;
}

/** knex only; every method takes the connection or transaction to run on. */
export function createWorkstationRepository() {
  return {
    /**
     * The workstation whose certificate the peer presented, before any tenant is known: row-level
     * security lets this transaction see exactly the row with that fingerprint, then its tenant.
     */
    async findByFingerprint(knex: Knex, fingerprint: string): Promise<WorkstationWithTenant | undefined> {
      return knex.transaction(async (trx) => {
        await trx.raw(`SELECT set_config('app.auth_fingerprint', ?, true)`, [fingerprint]);
        const ws = await trx('workstations').where('cert_fingerprint', fingerprint).first<WorkstationRow | undefined>('*');
        if (ws === undefined) return undefined;
        await setTenantScope(trx, { tenantId: ws.tenant_id });
        const tenant = await trx('tenants').where('id', ws.tenant_id).first<{ code: string; name: string; kind: TenantKind } | undefined>('code', 'name', 'kind');
        if (tenant === undefined) return undefined;
        return { ...ws, tenant_code: tenant.code, tenant_name: tenant.name, tenant_kind: tenant.kind };
      });
    },

    async insert(db: Knex | Knex.Transaction, input: NewWorkstation): Promise<WorkstationRow> {
      const [row] = await db('workstations')
        .insert({
          tenant_id: input.tenantId,
          name: input.name,
          cert_serial: input.certSerial,
          cert_fingerprint: input.certFingerprint,
          cert_not_after: input.certNotAfter,
          ...(input.userId === undefined ? {} : { kind: 'user', user_id: input.userId }),
        })
        .returning<WorkstationRow[]>('*');
      if (row === undefined) throw new Error('insert returned no row');
      return row;
    },

    async list(db: Knex | Knex.Transaction, filter: { tenantId?: string } = {}): Promise<WorkstationWithTenant[]> {
      const query = db('workstations as w')
        .join('tenants as t', 't.id', 'w.tenant_id')
        .select<WorkstationWithTenant[]>('w.*', 't.code as tenant_code', 't.name as tenant_name', 't.kind as tenant_kind')
        .orderBy([{ column: 't.code' }, { column: 'w.name' }, { column: 'w.created_at' }]);
      if (filter.tenantId !== undefined) void query.where('w.tenant_id', filter.tenantId);
      return query;
    },

    async findBySerialOrId(db: Knex | Knex.Transaction, key: string): Promise<WorkstationRow | undefined> {
      const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
      const query = db('workstations').first<WorkstationRow | undefined>('*');
      return isUuid ? query.where('id', key.toLowerCase()) : query.where('cert_serial', key.toLowerCase());
    },

    /** Marks the certificate revoked; returns false when it already was. */
    async revoke(db: Knex | Knex.Transaction, id: string, reason: string, at: Date): Promise<boolean> {
      const count = await db('workstations').where({ id }).whereNull('revoked_at').update({ revoked_at: at, revoked_reason: reason });
      return count === 1;
    },
  };
}

export type WorkstationRepository = ReturnType<typeof createWorkstationRepository>;
