import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ChangePasswordRequest, ChangePasswordResponse, LoginRequest, LoginResponse, MeResponse, PermissionCatalog } from '../../../../src/shared/api/auth.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import { PERMISSIONS, ROLE_TEMPLATES } from '../../../../src/shared/domain/permissions.js';
import { callerWorkstation, loggedIn, requireAuth, workstationOnly } from '../../plugins/session-auth.js';
import type { AuthService } from './auth-service.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 422: Problem, 429: Problem };

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/v1/auth/login',
    { config: workstationOnly(), schema: { tags: ['auth'], summary: 'Log in with login name and password', body: LoginRequest, response: { 200: LoginResponse, ...problems } } },
    async (request) => {
      const result = await auth.login(callerWorkstation(request), request.body.login, request.body.password);
      return {
        token: result.token,
        expiresAt: result.session.expires_at.toISOString(),
        mustChangePassword: result.user.must_change_password,
        user: { id: result.user.id, tenantId: result.user.tenant_id, login: result.user.login, displayName: result.user.display_name },
        permissions: result.permissions,
      };
    },
  );

  app.post(
    '/v1/auth/logout',
    { config: loggedIn(undefined, { allowPendingPasswordChange: true }), schema: { tags: ['auth'], response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      await auth.logout(callerWorkstation(request), requireAuth(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/auth/me',
    { config: loggedIn(undefined, { allowPendingPasswordChange: true }), schema: { tags: ['auth'], response: { 200: MeResponse, ...problems } } },
    async (request) => {
      const me = requireAuth(request);
      return {
        user: { id: me.userId, tenantId: me.tenantId, login: me.login, displayName: me.displayName },
        permissions: [...me.permissions].sort(),
        mustChangePassword: me.mustChangePassword,
        expiresAt: me.expiresAt.toISOString(),
      };
    },
  );

  app.get(
    '/v1/permissions',
    {
      config: loggedIn(undefined, { allowPendingPasswordChange: true }),
      schema: { tags: ['auth'], summary: 'Every right and the role templates (presets) for the user administration', response: { 200: PermissionCatalog, 401: Problem } },
    },
    async () => ({ permissions: [...PERMISSIONS], roleTemplates: Object.fromEntries(Object.entries(ROLE_TEMPLATES).map(([name, rights]) => [name, [...rights]])) }),
  );

  app.post(
    '/v1/auth/password',
    {
      config: loggedIn(undefined, { allowPendingPasswordChange: true }),
      schema: { tags: ['auth'], summary: 'Change the own password; ends every session and returns a fresh one', body: ChangePasswordRequest, response: { 200: ChangePasswordResponse, ...problems } },
    },
    async (request) => {
      const result = await auth.changePassword(callerWorkstation(request), requireAuth(request), request.body.currentPassword, request.body.newPassword);
      return { token: result.token, expiresAt: result.session.expires_at.toISOString() };
    },
  );
};
