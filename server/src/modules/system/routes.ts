import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import { HealthStatus, WhoAmI } from '../../../../src/shared/api/system.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { workstationOnly } from '../../plugins/session-auth.js';

/** Probes for load balancers: no client certificate needed, and nothing revealed but up or down. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Database; isShuttingDown: () => boolean }> = async (app, { db, isShuttingDown }) => {
  app.get('/health/live', { schema: { hide: true, response: { 200: HealthStatus } } }, async () => ({ status: 'ok' as const }));

  app.get('/health/ready', { schema: { hide: true, response: { 200: HealthStatus, 503: HealthStatus } } }, async (request, reply) => {
    if (isShuttingDown()) return reply.code(503).send({ status: 'unavailable' });
    try {
      await db.ping(2000);
      return { status: 'ok' as const };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: database not reachable');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
};

export const whoAmIRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/whoami',
    {
      config: workstationOnly(),
      schema: {
        summary: 'The workstation and tenant identified by the client certificate',
        tags: ['system'],
        response: { 200: WhoAmI, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const ws = request.workstation;
      if (ws === undefined) throw new AppError(401, 'CLIENT_CERT_REQUIRED', 'No workstation on this request.');
      return {
        workstation: { id: ws.id, name: ws.name, certificateNotAfter: ws.certificateNotAfter.toISOString() },
        tenant: ws.tenant,
      };
    },
  );
};
