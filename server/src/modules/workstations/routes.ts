import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import { RevokeWorkstationRequest, WorkstationView } from '../../../../src/shared/api/workstations.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf } from '../identity/actor.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { createWorkstationRepository } from './repository.js';
import { revokeWorkstation, WorkstationError } from './service.js';

const WorkstationIdParams = Type.Object({ workstationId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** Listing and revoking workstation certificates (issuing needs the CA key and stays on the command line). */
export const workstationRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  const repo = createWorkstationRepository();

  app.get('/v1/workstations', { config: loggedIn('workstations.manage'), schema: { tags: ['workstations'], response: { 200: Type.Array(WorkstationView), ...problems } } }, async (request) => {
    const { scope } = actorOf(request);
    const rows = await inTenant(knex, scope, (trx) => repo.list(trx));
    return rows.map((w) => ({
      id: w.id,
      tenantId: w.tenant_id,
      name: w.name,
      certSerial: w.cert_serial,
      certNotAfter: w.cert_not_after.toISOString(),
      revokedAt: w.revoked_at?.toISOString() ?? null,
      revokedReason: w.revoked_reason,
    }));
  });

  app.post(
    '/v1/workstations/:workstationId/revoke',
    { config: loggedIn('workstations.manage'), schema: { tags: ['workstations'], params: WorkstationIdParams, body: RevokeWorkstationRequest, response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      const { actor, scope } = actorOf(request);
      try {
        await revokeWorkstation(knex, scope, {
          key: request.params.workstationId,
          reason: request.body.reason,
          now: clock.now(),
          actor: { userId: actor.userId, workstationId: actor.workstation.id, sourceIp: actor.workstation.sourceIp },
        });
      } catch (error) {
        if (error instanceof WorkstationError && error.code === 'WORKSTATION_NOT_FOUND') throw notFound('Workstation');
        if (error instanceof WorkstationError) throw new AppError(409, error.code, error.message);
        throw error;
      }
      return reply.code(204).send(null);
    },
  );
};
