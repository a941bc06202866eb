import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { InvoiceableOrder } from '../../../../src/shared/api/invoicing.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import { inTenant } from '../../db/tenant-scope.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';

const LIMIT = 200;

/**
 * The business orders waiting for an invoice: unpaid, on invoice, and without an invoice that is not
 * cancelled (the same condition as the unique index invoices_one_per_order). Read-only; drafting one
 * stays POST /invoices/business-orders with its own checks.
 */
export const invoiceableOrderRoutes: FastifyPluginAsyncTypebox<{ knex: Knex }> = async (app, { knex }) => {
  app.get(
    '/v1/invoices/invoiceable-orders',
    { config: loggedIn('invoices.issue'), schema: { tags: ['invoicing'], summary: 'Unpaid business orders without a live invoice, oldest first', response: { 200: Type.Array(InvoiceableOrder), 401: Problem, 403: Problem } } },
    async (request) => {
      const { actor } = actorOf(request);
      const scope = { tenantId: actor.tenantId, includeChildren: request.workstation?.tenant.kind === 'operator' };
      const rows = await inTenant(knex, scope, (trx) =>
        trx('orders as o')
          .leftJoin('events as e', 'e.id', 'o.event_id')
          .where({ 'o.channel': 'business', 'o.status': 'unpaid' })
          .whereNotNull('o.business_customer')
          .whereNotExists(trx('invoices as i').whereRaw('i.order_id = o.id').where('i.kind', 'business_order').whereNot('i.status', 'cancelled').select(trx.raw('1')))
          .orderBy('o.created_at')
          .limit(LIMIT)
          .select<Array<{ id: string; order_number: string | number; customer_name: string; event_name: string | null; total_cents: string | number; created_at: Date }>>(
            'o.id',
            'o.order_number',
            'o.customer_name',
            'e.name as event_name',
            'o.total_cents',
            'o.created_at',
          ),
      );
      return rows.map((r) => ({
        orderId: r.id,
        orderNumber: Number(r.order_number),
        customerName: r.customer_name,
        eventName: r.event_name,
        totalCents: Number(r.total_cents),
        createdAt: r.created_at.toISOString(),
      }));
    },
  );
};
