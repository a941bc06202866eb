import type { FastifyRequest } from 'fastify';
import type { TenantScope } from '../../db/tenant-scope.js';
import { callerWorkstation, requireAuth } from '../../plugins/session-auth.js';
import { actorScope, type Actor } from './users-service.js';

/** The logged-in user behind a request, and the tenant scope its rights cover. */
export function actorOf(request: FastifyRequest): { actor: Actor; scope: TenantScope } {
  const auth = requireAuth(request);
  const actor: Actor = { userId: auth.userId, tenantId: auth.tenantId, permissions: auth.permissions, workstation: callerWorkstation(request) };
  return { actor, scope: actorScope(actor, request.workstation?.tenant.kind ?? 'outlet') };
}
