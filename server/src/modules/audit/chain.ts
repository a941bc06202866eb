import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  tenantId: string;
  seq: number;
  at: Date;
  actorUserId: string | null;
  workstationId: string | null;
  sourceIp: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  details: unknown;
}

/**
 * Canonical JSON: object keys sorted, no whitespace, dates as ISO strings. The same row always
 * serialises to the same bytes, whichever driver read it back, so `audit verify` can recompute hashes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in audit data');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash = SHA-256(prev_hash || canonical row), hex. */
export function chainHash(prevHash: string, record: AuditRecord): string {
  const canonical = canonicalJson({
    tenant_id: record.tenantId,
    seq: record.seq,
    at: record.at.toISOString(),
    actor_user_id: record.actorUserId,
    workstation_id: record.workstationId,
    source_ip: record.sourceIp,
    action: record.action,
    entity: record.entity,
    entity_id: record.entityId,
    details: record.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
