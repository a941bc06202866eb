import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { AuditChainStatus, AuditPage, AuditQuery } from '../../../../src/shared/api/audit.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import { inTenant } from '../../db/tenant-scope.js';
import { loggedIn, requireAuth } from '../../plugins/session-auth.js';
import type { Clock } from '../../clock.js';
import type { AuditRow } from './repository.js';
import { verifyChain } from './verify.js';

/** Reading the audit trail: the caller's own tenant only, newest first, filtered, keyset-paged. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  app.get(
    '/v1/audit',
    { config: loggedIn('audit.view'), schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditPage, 400: Problem, 401: Problem, 403: Problem } } },
    async (request) => {
      const { tenantId } = requireAuth(request);
      const q = request.query;
      const limit = q.limit ?? 100;
      const rows = await inTenant(knex, { tenantId }, (trx) => {
        const query = trx('audit_log').where('tenant_id', tenantId).orderBy('seq', 'desc').limit(limit + 1);
        if (q.from !== undefined) void query.where('at', '>=', new Date(q.from));
        if (q.to !== undefined) void query.where('at', '<', new Date(q.to));
        if (q.userId !== undefined) void query.where('actor_user_id', q.userId);
        if (q.action !== undefined) {
          if (q.action.endsWith('*')) void query.where('action', 'like', `${q.action.slice(0, -1)}%`);
          else void query.where('action', q.action);
        }
        if (q.entity !== undefined) void query.where('entity', q.entity);
        if (q.entityId !== undefined) void query.where('entity_id', q.entityId);
        if (q.beforeSeq !== undefined) void query.where('seq', '<', q.beforeSeq);
        return query.select<AuditRow[]>('*');
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          seq: r.seq,
          at: r.at.toISOString(),
          actorUserId: r.actor_user_id,
          workstationId: r.workstation_id,
          sourceIp: r.source_ip,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          details: r.details,
          hash: r.hash,
        })),
        nextBeforeSeq: rows.length > limit ? (page[page.length - 1]?.seq ?? null) : null,
      };
    },
  );

  /**
   * Read-only: recomputes the caller's own tenant chain, like `audit verify` on the command line, so the
   * audit screen can show whether the trail is intact. It reads every row of the tenant in batches.
   */
  app.get(
    '/v1/audit/verify',
    { config: loggedIn('audit.view'), schema: { tags: ['audit'], response: { 200: AuditChainStatus, 401: Problem, 403: Problem } } },
    async (request) => {
      const { tenantId } = requireAuth(request);
      const report = await verifyChain(knex, { tenantId }, { id: tenantId, code: '' });
      return { ok: report.ok, rows: report.rows, headHash: report.headHash, firstBroken: report.firstBroken ?? null, checkedAt: clock.now().toISOString() };
    },
  );
};
