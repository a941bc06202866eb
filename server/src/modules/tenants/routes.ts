import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError } from '../../errors.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { appendAudit } from '../audit/repository.js';
import { createTenantRepository } from './repository.js';

const TenantView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('operator'), Type.Literal('promoter'), Type.Literal('outlet')]),
  code: Type.String(),
  name: Type.String(),
  parentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
const CreateTenantRequest = Type.Object(
  {
    kind: Type.Union([Type.Literal('promoter'), Type.Literal('outlet')]),
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const problems = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };

/**
 * Operator staff manage tenants. Only the operator holds tenants.manage (it cannot be granted elsewhere),
 * and new tenants always hang directly below the operator. The first manager of a new tenant is created
 * through POST /v1/users with the new tenant's id.
 */
export const tenantRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  const tenants = createTenantRepository();
  const view = (t: Awaited<ReturnType<typeof tenants.list>>[number]) => ({
    id: t.id,
    kind: t.kind,
    code: t.code,
    name: t.name,
    parentId: t.parent_id,
    createdAt: t.created_at.toISOString(),
  });

  app.get('/v1/tenants', { config: loggedIn('tenants.manage'), schema: { tags: ['tenants'], response: { 200: Type.Array(TenantView), ...problems } } }, async (request) => {
    const { scope } = actorOf(request);
    const rows = await inTenant(knex, scope, (trx) => tenants.list(trx));
    return rows.filter((t) => t.id === scope.tenantId || t.parent_id === scope.tenantId).map(view);
  });

  app.post('/v1/tenants', { config: loggedIn('tenants.manage'), schema: { tags: ['tenants'], body: CreateTenantRequest, response: { 201: TenantView, ...problems } } }, async (request, reply) => {
    const { actor, scope } = actorOf(request);
    if (request.workstation?.tenant.kind !== 'operator') throw new AppError(403, 'FORBIDDEN', 'Only the operator manages tenants.');
    const now = clock.now();
    const created = await inTenant(knex, scope, async (trx) => {
      const exists = await trx.raw<{ rows: Array<{ taken: boolean }> }>('SELECT EXISTS (SELECT 1 FROM tenants WHERE code = ?) AS taken', [request.body.code]);
      if (exists.rows[0]?.taken === true) throw new AppError(409, 'TENANT_CODE_TAKEN', `The tenant code "${request.body.code}" is already in use.`);
      const tenant = await tenants.insert(trx, { kind: request.body.kind, code: request.body.code, name: request.body.name.trim(), parentId: actor.tenantId });
      await appendAudit(trx, {
        tenantId: tenant.id,
        at: now,
        actorUserId: actor.userId,
        workstationId: actor.workstation.id,
        sourceIp: actor.workstation.sourceIp,
        action: 'tenant.create',
        entity: 'tenant',
        entityId: tenant.id,
        details: { code: tenant.code, kind: tenant.kind, name: tenant.name },
      });
      return tenant;
    });
    return reply.code(201).send(view(created));
  });
};
