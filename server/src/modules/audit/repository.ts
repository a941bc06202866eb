import type { Knex } from 'knex';
import { chainHash, GENESIS_HASH, type AuditRecord } from './chain.js';

export interface AuditEntry {
  tenantId: string;
  at: Date;
  actorUserId?: string | null;
  workstationId?: string | null;
  sourceIp?: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  /** Never secrets: callers pass what an auditor may read. */
  details?: Record<string, unknown>;
}

export interface AuditRow {
  tenant_id: string;
  seq: number;
  at: Date;
  actor_user_id: string | null;
  workstation_id: string | null;
  source_ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

// Namespace for the two-key advisory lock, so audit locks never collide with other advisory locks.
const AUDIT_LOCK_CLASS = 0x4155_4449; // 'AUDI'

/** Who acted, as the authenticated request knows it (structurally an identity Actor). */
export interface AuditActor {
  userId: string;
  tenantId: string;
  workstation: { id: string; sourceIp: string };
}

/**
 * appendAudit for an action of a logged-in user at a workstation: user, workstation and source address
 * come from the actor, the chain is the actor's tenant unless `entry.tenantId` names another.
 */
export function appendActorAudit(
  trx: Knex.Transaction,
  actor: AuditActor,
  at: Date,
  entry: Omit<AuditEntry, 'tenantId' | 'at' | 'actorUserId' | 'workstationId' | 'sourceIp'> & { tenantId?: string },
): Promise<AuditRow> {
  return appendAudit(trx, {
    ...entry,
    tenantId: entry.tenantId ?? actor.tenantId,
    at,
    actorUserId: actor.userId,
    workstationId: actor.workstation.id,
    sourceIp: actor.workstation.sourceIp,
  });
}

/**
 * Appends one row to the tenant's hash chain. Must run inside the transaction of the action it records,
 * so both commit or neither does. Appends of one tenant are serialised by a transaction-scoped advisory
 * lock; different tenants do not wait for each other.
 */
export async function appendAudit(trx: Knex.Transaction, entry: AuditEntry): Promise<AuditRow> {
  await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [AUDIT_LOCK_CLASS, entry.tenantId]);
  const last = await trx('audit_log')
    .where('tenant_id', entry.tenantId)
    .orderBy('seq', 'desc')
    .first<{ seq: number; hash: string } | undefined>('seq', 'hash');
  // Stored timestamps have microsecond precision and Dates millisecond: truncate first so the stored
  // value and the hashed value are identical.
  const at = new Date(Math.floor(entry.at.getTime()));
  const record: AuditRecord = {
    tenantId: entry.tenantId,
    seq: (last?.seq ?? 0) + 1,
    at,
    actorUserId: entry.actorUserId ?? null,
    workstationId: entry.workstationId ?? null,
    sourceIp: entry.sourceIp ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as unknown,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row: AuditRow = {
    tenant_id: record.tenantId,
    seq: record.seq,
    at: record.at,
    actor_user_id: record.actorUserId,
    workstation_id: record.workstationId,
    source_ip: record.sourceIp,
    action: record.action,
    entity: record.entity,
    entity_id: record.entityId,
    details: record.details,
    prev_hash: prevHash,
    hash: chainHash(prevHash, record),
  };
  await trx('audit_log').insert({ ...row, details: JSON.stringify(row.details) });
  return row;
}

/** The hashed fields of a stored row, as chainHash expects them. */
export function recordOfRow(row: AuditRow): AuditRecord {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    at: row.at,
    actorUserId: row.actor_user_id,
    workstationId: row.workstation_id,
    sourceIp: row.source_ip,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    details: row.details,
  };
}
