import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import { CreateUserRequest, CreateUserResponse, InitialPasswordResponse, SessionIdParams, SessionView, SetPermissionsRequest, UserIdParams, UserView } from '../../../../src/shared/api/users.js';
import { inTenant } from '../../db/tenant-scope.js';
import { notFound } from '../../errors.js';
import { loggedIn } from '../../plugins/session-auth.js';
import type { AuthService } from './auth-service.js';
import { actorOf } from './actor.js';
import { createSessionRepository } from './sessions-repository.js';
import type { UsersService } from './users-service.js';
import type { Knex } from 'knex';
import type { Clock } from '../../clock.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const manage = loggedIn('users.manage');

export const usersRoutes: FastifyPluginAsyncTypebox<{ users: UsersService; auth: AuthService; knex: Knex; clock: Clock }> = async (app, deps) => {
  const { users } = deps;

  app.get('/v1/users', { config: manage, schema: { tags: ['users'], response: { 200: Type.Array(UserView), ...problems } } }, async (request) => {
    const { actor, scope } = actorOf(request);
    return users.list(actor, scope);
  });

  app.post('/v1/users', { config: manage, schema: { tags: ['users'], body: CreateUserRequest, response: { 201: CreateUserResponse, ...problems } } }, async (request, reply) => {
    const { actor, scope } = actorOf(request);
    const created = await users.create(actor, scope, { ...request.body, permissions: request.body.permissions });
    return reply.code(201).send({ user: created.user, initialPassword: created.initialPassword, initialPasswordExpiresAt: created.initialPasswordExpiresAt.toISOString() });
  });

  app.get('/v1/users/:userId', { config: manage, schema: { tags: ['users'], params: UserIdParams, response: { 200: UserView, ...problems } } }, async (request) => {
    const { scope } = actorOf(request);
    return users.get(scope, request.params.userId);
  });

  app.put(
    '/v1/users/:userId/permissions',
    { config: manage, schema: { tags: ['users'], params: UserIdParams, body: SetPermissionsRequest, response: { 200: UserView, ...problems } } },
    async (request) => {
      const { actor, scope } = actorOf(request);
      return users.setPermissions(actor, scope, request.params.userId, request.body.permissions);
    },
  );

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/v1/users/:userId/${path}`, { config: manage, schema: { tags: ['users'], params: UserIdParams, response: { 200: UserView, ...problems } } }, async (request) => {
      const { actor, scope } = actorOf(request);
      return users.setDisabled(actor, scope, request.params.userId, disabled);
    });
  }

  app.post('/v1/users/:userId/unlock', { config: manage, schema: { tags: ['users'], params: UserIdParams, response: { 204: Type.Null(), ...problems } } }, async (request, reply) => {
    const { actor, scope } = actorOf(request);
    await users.unlock(actor, scope, request.params.userId);
    return reply.code(204).send(null);
  });

  app.post(
    '/v1/users/:userId/reset-password',
    { config: manage, schema: { tags: ['users'], params: UserIdParams, response: { 200: InitialPasswordResponse, ...problems } } },
    async (request) => {
      const { actor, scope } = actorOf(request);
      const result = await users.resetPassword(actor, scope, request.params.userId);
      return { initialPassword: result.initialPassword, initialPasswordExpiresAt: result.initialPasswordExpiresAt.toISOString() };
    },
  );

  const sessions = createSessionRepository();

  app.get('/v1/sessions', { config: manage, schema: { tags: ['sessions'], response: { 200: Type.Array(SessionView), ...problems } } }, async (request) => {
    const { scope } = actorOf(request);
    const rows = await inTenant(deps.knex, scope, (trx) => sessions.listActive(trx, deps.clock.now()));
    return rows.map((s) => ({
      id: s.id,
      userId: s.user_id,
      login: s.login,
      displayName: s.display_name,
      workstationId: s.workstation_id,
      workstationName: s.workstation_name,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      expiresAt: s.expires_at.toISOString(),
    }));
  });

  app.post(
    '/v1/sessions/:sessionId/end',
    { config: manage, schema: { tags: ['sessions'], params: SessionIdParams, response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      const { actor, scope } = actorOf(request);
      const now = deps.clock.now();
      await inTenant(deps.knex, scope, async (trx) => {
        const session = await sessions.findById(trx, request.params.sessionId);
        if (session === undefined) throw notFound('Session');
        return deps.auth.endSessions(trx, { sessionId: session.id }, 'ended_by_admin', { userId: actor.userId, workstation: actor.workstation }, now);
      });
      return reply.code(204).send(null);
    },
  );
};
