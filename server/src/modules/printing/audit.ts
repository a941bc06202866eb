import type { Knex } from 'knex';
import { appendAudit } from '../audit/repository.js';
import type { Actor } from '../identity/users-service.js';

/**
 * Records a printing action in the audit chain of `tenantId` (the acting tenant unless given: the operator
 * registers stock in the outlet's chain), inside the action's transaction.
 */
export function auditPrinting(
  trx: Knex.Transaction,
  actor: Actor,
  now: Date,
  entry: { action: string; entity: string; entityId: string; details: Record<string, unknown>; tenantId?: string },
) {
  return appendAudit(trx, {
    tenantId: entry.tenantId ?? actor.tenantId,
    at: now,
    actorUserId: actor.userId,
    workstationId: actor.workstation.id,
    sourceIp: actor.workstation.sourceIp,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    details: entry.details,
  });
}
