import type { Knex } from 'knex';
import { inTenant, type TenantScope } from '../../db/tenant-scope.js';
import { chainHash, GENESIS_HASH } from './chain.js';
import { recordOfRow, type AuditRow } from './repository.js';

export interface ChainReport {
  tenantId: string;
  tenantCode: string;
  rows: number;
  headHash: string;
  ok: boolean;
  /** The first row that does not fit the chain, and why. */
  firstBroken?: { seq: number; reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' };
}

const BATCH = 1000;

/** Streams a tenant's audit rows in sequence order, in batches, inside the given scope. */
export async function* auditRows(knex: Knex, scope: TenantScope, tenantId: string): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const batch = await inTenant(knex, scope, (trx) =>
      trx('audit_log').where('tenant_id', tenantId).where('seq', '>', after).orderBy('seq').limit(BATCH).select<AuditRow[]>('*'),
    );
    for (const row of batch) yield row;
    if (batch.length < BATCH) return;
    after = batch[batch.length - 1]?.seq ?? after;
  }
}

/** Recomputes one tenant's chain from the stored rows and reports the first row that breaks it. */
export async function verifyChain(knex: Knex, scope: TenantScope, tenant: { id: string; code: string }): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  for await (const r of auditRows(knex, scope, tenant.id)) {
    rows += 1;
    const broken = (reason: NonNullable<ChainReport['firstBroken']>['reason']): ChainReport => ({
      tenantId: tenant.id,
      tenantCode: tenant.code,
      rows,
      headHash: prev,
      ok: false,
      firstBroken: { seq: r.seq, reason },
    });
    if (r.seq !== expectedSeq) return broken('sequence_gap');
    if (r.prev_hash !== prev) return broken('prev_hash_mismatch');
    const recomputed = chainHash(prev, recordOfRow(r));
    if (recomputed !== r.hash) return broken('hash_mismatch');
    prev = r.hash;
    expectedSeq += 1;
  }
  return { tenantId: tenant.id, tenantCode: tenant.code, rows, headHash: prev, ok: true };
}

/** Every chain visible in the scope (the operator's scope covers the platform). */
export async function verifyAllChains(knex: Knex, scope: TenantScope, onlyTenantCode?: string): Promise<ChainReport[]> {
  const tenants = await inTenant(knex, scope, (trx) => trx('tenants').orderBy('code').select<Array<{ id: string; code: string }>>('id', 'code'));
  const selected = onlyTenantCode === undefined ? tenants : tenants.filter((t) => t.code === onlyTenantCode);
  const reports: ChainReport[] = [];
  for (const tenant of selected) reports.push(await verifyChain(knex, scope, tenant));
  return reports;
}
