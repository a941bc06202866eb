import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { EventIdParams } from '../../../../src/shared/api/events.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import { EventSalesStats } from '../../../../src/shared/api/reports.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { BOX_OFFICE_TIME_ZONE } from './local-day.js';

/**
 * Sales figures of one event for the charts: valid tickets per German sales day and per price
 * category. Row-level security decides which tickets count: a promoter sees every outlet's sales of
 * its own events, an outlet only its own sales. Promoter staff need events.manage, others reports.view.
 */
export const eventStatsRoutes: FastifyPluginAsyncTypebox<{ knex: Knex }> = async (app, { knex }) => {
  app.get(
    '/v1/events/:eventId/sales-stats',
    { config: loggedIn(), schema: { tags: ['events'], params: EventIdParams, response: { 200: EventSalesStats, 401: Problem, 403: Problem, 404: Problem } } },
    async (request) => {
      const { actor, scope } = actorOf(request);
      if (!actor.permissions.has('reports.view') && !actor.permissions.has('events.manage')) {
        throw new AppError(403, 'FORBIDDEN', 'This needs the right reports.view or events.manage.');
      }
      const { eventId } = request.params;
      return inTenant(knex, scope, async (trx) => {
        const event = await trx('events').where({ id: eventId }).first<{ id: string; name: string } | undefined>('id', 'name');
        if (event === undefined) throw notFound('Event');
        const days = await trx('tickets')
          .where({ event_id: eventId, status: 'valid' })
          .groupByRaw('1')
          .orderByRaw('1')
          .select<Array<{ day: string; tickets: number; gross: string | number }>>(
            trx.raw("to_char(created_at AT TIME ZONE ?, 'YYYY-MM-DD') AS day", [BOX_OFFICE_TIME_ZONE]),
            trx.raw('count(*)::int AS tickets'),
            trx.raw('COALESCE(SUM(price_cents), 0)::bigint AS gross'),
          );
        const categories = await trx('price_categories as c')
          .leftJoin('tickets as t', function joinValid() {
            this.on('t.category_id', 'c.id').andOnVal('t.status', 'valid');
          })
          .where('c.event_id', eventId)
          .groupBy('c.id', 'c.name', 'c.capacity', 'c.sort_order')
          .orderBy([{ column: 'c.sort_order' }, { column: 'c.name' }])
          .select<Array<{ id: string; name: string; capacity: number; tickets: number; gross: string | number }>>(
            'c.id',
            'c.name',
            'c.capacity',
            trx.raw('count(t.id)::int AS tickets'),
            trx.raw('COALESCE(SUM(t.price_cents), 0)::bigint AS gross'),
          );
        const dayRows = days.map((d) => ({ day: d.day, tickets: d.tickets, grossCents: Number(d.gross) }));
        return {
          eventId: event.id,
          eventName: event.name,
          days: dayRows,
          categories: categories.map((c) => ({ categoryId: c.id, name: c.name, capacity: c.capacity, tickets: c.tickets, grossCents: Number(c.gross) })),
          totalTickets: dayRows.reduce((sum, d) => sum + d.tickets, 0),
          totalGrossCents: dayRows.reduce((sum, d) => sum + d.grossCents, 0),
        };
      });
    },
  );
};
