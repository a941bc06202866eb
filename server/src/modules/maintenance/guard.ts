import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import { retryAfterSeconds, type MaintenanceService } from './service.js';

/**
 * The routes a maintenance window stops: everything that makes or changes a sale or books money. Entry
 * (check-ins, scan lists, offline uploads), logins, reads, administration, releasing holds, finishing print
 * jobs already issued (confirm/spoil, so every blank at the printer is accounted for) and closing the till
 * keep working. Listed here in one place (and in docs/operations.md); a test checks that each one exists.
 */
export const MAINTENANCE_STOPPED_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/v1/holds',
  'POST /api/v1/orders',
  'POST /api/v1/orders/:orderId/cancel',
  'POST /api/v1/orders/:orderId/print-jobs',
  'POST /api/v1/tickets/:ticketId/reprint',
  'POST /api/v1/till/open',
  'POST /api/v1/payments',
  'POST /api/v1/payments/imports',
  'POST /api/v1/payments/:transactionId/assign',
]);

export const MAINTENANCE_CODE = 'MAINTENANCE';

/**
 * onRequest hook after authentication: a stopped route inside the window answers 503 MAINTENANCE with the
 * operator's message as detail, the announced end (`until`) and Retry-After. Other routes never read the
 * switch, so entry does not even depend on it.
 */
export function maintenanceGuard(maintenance: MaintenanceService, clock: Clock) {
  return async function refuseDuringMaintenance(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const key = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (!MAINTENANCE_STOPPED_ROUTES.has(key)) return;
    const state = await maintenance.current();
    if (!state.active || state.window === null) return;
    const window = state.window;
    throw new AppError(503, MAINTENANCE_CODE, window.message, {
      retryAfterSeconds: retryAfterSeconds(window, clock.now()),
      ...(window.endsAt === null ? {} : { until: window.endsAt.toISOString() }),
    });
  };
}
