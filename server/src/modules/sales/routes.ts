import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import {
  CancelOrderRequest,
  CreateHoldRequest,
  CreateOrderRequest,
  HoldIdParams,
  HoldView,
  OrderIdParams,
  OrderSearchQuery,
  OrderSummary,
  OrderView,
} from '../../../../src/shared/api/sales.js';
import { inTenant } from '../../db/tenant-scope.js';
import { notFound } from '../../errors.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { requestHash, requireIdempotencyKey } from '../idempotency/idempotency.js';
import type { SalesService } from './service.js';
import { loadOrderView } from './views.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 503: Problem };

export const salesRoutes: FastifyPluginAsyncTypebox<{ sales: SalesService; knex: Knex }> = async (app, { sales, knex }) => {
  app.post(
    '/v1/orders',
    {
      config: loggedIn('sales.sell'),
      schema: { tags: ['sales'], summary: 'Sell tickets (needs an Idempotency-Key header)', body: CreateOrderRequest, response: { 200: OrderView, 201: OrderView, ...problems } },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const { actor } = actorOf(request);
      const result = await sales.createOrder(actor, request.body, { key, hash: requestHash({ route: 'orders.create', body: request.body }) });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    },
  );

  app.post(
    '/v1/orders/:orderId/cancel',
    {
      config: loggedIn('sales.cancel'),
      schema: { tags: ['sales'], summary: 'Cancel the order or single tickets (needs an Idempotency-Key header)', params: OrderIdParams, body: CancelOrderRequest, response: { 200: OrderView, ...problems } },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const { actor } = actorOf(request);
      const result = await sales.cancel(actor, request.params.orderId, request.body, {
        key,
        hash: requestHash({ route: 'orders.cancel', orderId: request.params.orderId, body: request.body }),
      });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    },
  );

  app.get(
    '/v1/orders/:orderId',
    { config: loggedIn('sales.sell'), schema: { tags: ['sales'], params: OrderIdParams, response: { 200: OrderView, ...problems } } },
    async (request) => {
      const { actor } = actorOf(request);
      return inTenant(knex, { tenantId: actor.tenantId }, async (trx) => {
        const own = await trx('orders')
          .where({ id: request.params.orderId })
          .andWhere((q) => void q.where('tenant_id', actor.tenantId).orWhere('promoter_id', actor.tenantId))
          .first<{ id: string } | undefined>('id');
        if (own === undefined) throw notFound('Order');
        return loadOrderView(trx, request.params.orderId);
      });
    },
  );

  app.get(
    '/v1/orders',
    { config: loggedIn('sales.sell'), schema: { tags: ['sales'], summary: 'Find orders by number, customer, ticket barcode (also a voided one), event, date', querystring: OrderSearchQuery, response: { 200: Type.Array(OrderSummary), ...problems } } },
    async (request) => {
      const { actor } = actorOf(request);
      const q = request.query;
      const rows = await inTenant(knex, { tenantId: actor.tenantId }, (trx) => {
        const query = trx('orders')
          .where((w) => void w.where('tenant_id', actor.tenantId).orWhere('promoter_id', actor.tenantId))
          .orderBy('created_at', 'desc')
          .limit(q.limit ?? 50);
        if (q.number !== undefined) void query.where('order_number', q.number);
        if (q.customer !== undefined) void query.whereRaw('lower(customer_name) LIKE ?', [`${q.customer.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
        if (q.barcode !== undefined) {
          const barcode = q.barcode;
          void query.whereExists((sub) => void sub.select(trx.raw('1')).from('ticket_prints as tp').join('tickets as t', 't.id', 'tp.ticket_id').whereRaw('t.order_id = orders.id').where('tp.barcode', barcode));
        }
        if (q.eventId !== undefined) void query.where('event_id', q.eventId);
        if (q.from !== undefined) void query.where('created_at', '>=', new Date(q.from));
        if (q.to !== undefined) void query.where('created_at', '<', new Date(q.to));
        return query.select<Array<{ id: string; order_number: number; event_id: string; status: string; customer_name: string; total_cents: number; created_at: Date }>>(
          'id',
          'order_number',
          'event_id',
          'status',
          'customer_name',
          'total_cents',
          'created_at',
        );
      });
      return rows.map((o) => ({
        id: o.id,
        orderNumber: o.order_number,
        eventId: o.event_id,
        status: o.status,
        customerName: o.customer_name,
        totalCents: o.total_cents,
        createdAt: o.created_at.toISOString(),
      }));
    },
  );

  app.post(
    '/v1/holds',
    { config: loggedIn('sales.sell'), schema: { tags: ['sales'], summary: 'Reserve seats for a few minutes', body: CreateHoldRequest, response: { 201: HoldView, ...problems } } },
    async (request, reply) => {
      const { actor } = actorOf(request);
      return reply.code(201).send(await sales.createHold(actor, request.body));
    },
  );

  app.delete(
    '/v1/holds/:holdId',
    { config: loggedIn('sales.sell'), schema: { tags: ['sales'], params: HoldIdParams, response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      const { actor } = actorOf(request);
      await sales.releaseHold(actor, request.params.holdId);
      return reply.code(204).send(null);
    },
  );
};
