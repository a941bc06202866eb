import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { notFound } from '../../errors.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { createSignInRuleRepository, setSignInRules, signInRulesView } from './sign-in-rules.js';

const Params = Type.Object({ workstationId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const RulesRequest = Type.Object(
  {
    /** Users of the workstation's tenant who may sign in with it. */
    userIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500, uniqueItems: true }),
    /** Directory groups (DNs) whose members may sign in with it. */
    groupDns: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
const RulesView = Type.Object({
  restricted: Type.Boolean(),
  userIds: Type.Array(Type.String()),
  groupDns: Type.Array(Type.String()),
});
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** Who may sign in with a workstation certificate (both lists empty: everybody of its tenant). */
export const signInRuleRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  const rules = createSignInRuleRepository();
  const config = loggedIn('workstations.manage');

  app.get('/v1/workstations/:workstationId/sign-in-rules', { config, schema: { tags: ['workstations'], params: Params, response: { 200: RulesView, ...problems } } }, async (request) => {
    const { scope } = actorOf(request);
    return inTenant(knex, scope, async (trx) => {
      const ws = await trx('workstations').where({ id: request.params.workstationId }).first<{ id: string } | undefined>('id');
      if (ws === undefined) throw notFound('Workstation');
      return signInRulesView(await rules.list(trx, ws.id));
    });
  });

  app.put(
    '/v1/workstations/:workstationId/sign-in-rules',
    { config, schema: { tags: ['workstations'], summary: 'Name the users and directory groups who may sign in with this workstation', params: Params, body: RulesRequest, response: { 200: RulesView, ...problems } } },
    async (request) => {
      const { actor, scope } = actorOf(request);
      return inTenant(knex, scope, (trx) =>
        setSignInRules(trx, { workstationId: request.params.workstationId, userIds: request.body.userIds, groupDns: request.body.groupDns, actor, now: clock.now() }),
      );
    },
  );
};
