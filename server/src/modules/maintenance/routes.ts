import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClearMaintenanceResult, MaintenanceView, SetMaintenanceRequest, SystemStatus } from '../../../../src/shared/api/maintenance.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { loggedIn, workstationOnly } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import type { MaintenanceService, MaintenanceState } from './service.js';

export function maintenanceView(state: MaintenanceState): MaintenanceView {
  const w = state.window;
  return { active: state.active, from: w?.startsAt.toISOString() ?? null, until: w?.endsAt?.toISOString() ?? null, message: w?.message ?? null };
}

const problems = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };

/**
 * The platform's state for every workstation (GET /v1/system/status), and the maintenance switch for
 * operator staff. The switch is platform-wide, so it needs the operator-only right tenants.manage.
 */
export const maintenanceRoutes: FastifyPluginAsyncTypebox<{ maintenance: MaintenanceService; clock: Clock }> = async (app, { maintenance, clock }) => {
  app.get(
    '/v1/system/status',
    { config: workstationOnly(), schema: { summary: 'Maintenance window and server time, for the station banner', tags: ['system'], response: { 200: SystemStatus, 401: Problem, 403: Problem } } },
    async () => ({ maintenance: maintenanceView(await maintenance.current()), serverTime: clock.now().toISOString() }),
  );

  app.put(
    '/v1/system/maintenance',
    { config: loggedIn('tenants.manage'), schema: { summary: 'Switch maintenance on now or schedule a window', tags: ['system'], body: SetMaintenanceRequest, response: { 200: MaintenanceView, ...problems } } },
    async (request) => {
      const { actor } = actorOf(request);
      if (request.workstation?.tenant.kind !== 'operator') throw new AppError(403, 'FORBIDDEN', 'Only the operator switches maintenance mode.');
      const state = await maintenance.set(
        {
          from: request.body.from === undefined ? undefined : new Date(request.body.from),
          until: request.body.until === undefined ? undefined : new Date(request.body.until),
          message: request.body.message,
        },
        { kind: 'user', userId: actor.userId, tenantId: actor.tenantId, workstationId: actor.workstation.id, sourceIp: actor.workstation.sourceIp },
      );
      return maintenanceView(state);
    },
  );

  app.delete(
    '/v1/system/maintenance',
    { config: loggedIn('tenants.manage'), schema: { summary: 'Switch maintenance off (or cancel a scheduled window)', tags: ['system'], response: { 200: ClearMaintenanceResult, ...problems } } },
    async (request) => {
      const { actor } = actorOf(request);
      if (request.workstation?.tenant.kind !== 'operator') throw new AppError(403, 'FORBIDDEN', 'Only the operator switches maintenance mode.');
      const result = await maintenance.clear({ kind: 'user', userId: actor.userId, tenantId: actor.tenantId, workstationId: actor.workstation.id, sourceIp: actor.workstation.sourceIp });
      return { cleared: result.cleared, maintenance: maintenanceView(result.state) };
    },
  );
};
