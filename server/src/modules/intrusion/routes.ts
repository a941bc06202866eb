import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BlockDetail, BlockIdParams, BlockListQuery, BlockView, LiftBlockRequest } from '../../../../src/shared/api/intrusion.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf } from '../identity/actor.js';
import { loggedIn } from '../../plugins/session-auth.js';
import type { BlockRow } from './repository.js';
import type { IntrusionService } from './service.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

function view(row: BlockRow, now: Date): BlockView {
  return {
    id: row.id,
    source: row.source,
    trigger: row.trigger,
    level: row.level,
    blockedAt: row.blocked_at.toISOString(),
    blockedUntil: row.blocked_until.toISOString(),
    active: row.lifted_at === null && row.blocked_until.getTime() > now.getTime(),
    liftedAt: row.lifted_at?.toISOString() ?? null,
    liftedBy: row.lifted_by,
    liftReason: row.lift_reason,
    signals: { windowSeconds: row.signals.windowSeconds, threshold: row.signals.threshold, counts: { ...row.signals.counts }, samples: row.signals.samples },
  };
}

/**
 * Blocks are platform-wide, so only operator staff (right intrusion.manage, which only the operator's
 * users can be granted) see and lift them. Anyone else gets 403 for the list and, for a block id, the
 * same 404 as for a missing one.
 */
function isOperator(request: FastifyRequest): boolean {
  return request.workstation?.tenant.kind === 'operator';
}

export const intrusionRoutes: FastifyPluginAsyncTypebox<{ intrusion: IntrusionService; clock: Clock }> = async (app, { intrusion, clock }) => {
  app.get(
    '/v1/intrusion/blocks',
    { config: loggedIn('intrusion.manage'), schema: { tags: ['intrusion'], querystring: BlockListQuery, response: { 200: Type.Array(BlockView), ...problems } } },
    async (request) => {
      if (!isOperator(request)) throw new AppError(403, 'FORBIDDEN', 'Blocked sources are managed by the platform operator.');
      const rows = await intrusion.listBlocks({
        active: (request.query.state ?? 'active') === 'active',
        ...(request.query.source === undefined ? {} : { source: request.query.source }),
        limit: request.query.limit ?? 200,
      });
      const now = clock.now();
      return rows.map((r) => view(r, now));
    },
  );

  app.get(
    '/v1/intrusion/blocks/:blockId',
    { config: loggedIn('intrusion.manage'), schema: { tags: ['intrusion'], params: BlockIdParams, response: { 200: BlockDetail, ...problems } } },
    async (request) => {
      if (!isOperator(request)) throw notFound('Block');
      const { block, recentSignals } = await intrusion.getBlock(request.params.blockId);
      return { block: view(block, clock.now()), recentSignals: recentSignals.map((s) => ({ at: s.at.toISOString(), kind: s.kind, detail: s.detail })) };
    },
  );

  app.post(
    '/v1/intrusion/blocks/:blockId/lift',
    { config: loggedIn('intrusion.manage'), schema: { tags: ['intrusion'], params: BlockIdParams, body: LiftBlockRequest, response: { 200: BlockView, ...problems } } },
    async (request) => {
      if (!isOperator(request)) throw notFound('Block');
      const { actor } = actorOf(request);
      const row = await intrusion.lift({ kind: 'user', actor }, request.params.blockId, request.body.reason);
      return view(row, clock.now());
    },
  );
};
