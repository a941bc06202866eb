import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Permission } from '../../../src/shared/domain/permissions.js';
import { AppError } from '../errors.js';
import { AuthErrorCode, type AuthService, type AuthenticatedUser, type CallerWorkstation } from '../modules/identity/auth-service.js';
import { bearerToken } from '../modules/identity/session-token.js';

/**
 * Every API route declares who may call it, in its `config.auth`; a route without a declaration is
 * refused at start-up, so no route can be forgotten:
 *   { kind: 'workstation' }                  any registered workstation (login, whoami)
 *   { kind: 'session' }                      a logged-in user
 *   { kind: 'session', permission: 'x.y' }   a logged-in user holding that right
 * `allowPendingPasswordChange` lets a user whose first-login password change is still due call the
 * route (the change itself, logout, me); everything else is refused until the password is changed.
 */
export type RouteAuth =
  | { kind: 'workstation' }
  | { kind: 'session'; permission?: Permission; allowPendingPasswordChange?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    auth?: AuthenticatedUser;
  }
}

export const workstationOnly = (): { auth: RouteAuth } => ({ auth: { kind: 'workstation' } });
export const loggedIn = (permission?: Permission, options: { allowPendingPasswordChange?: boolean } = {}): { auth: RouteAuth } => ({
  auth: { kind: 'session', ...(permission === undefined ? {} : { permission }), ...options },
});

/** Refuses to register an API route that does not say who may call it. */
export function requireAuthDeclaration(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config as { auth?: RouteAuth } | undefined;
    if (config?.auth === undefined) throw new Error(`API route ${String(route.method)} ${route.url} declares no config.auth`);
  });
}

export function callerWorkstation(request: FastifyRequest): CallerWorkstation {
  const ws = request.workstation;
  if (ws === undefined) throw new AppError(401, 'CLIENT_CERT_REQUIRED', 'This API requires a workstation client certificate.');
  return { id: ws.id, tenantId: ws.tenant.id, fingerprint: ws.fingerprint, sourceIp: request.clientAddress ?? request.ip };
}

export function requireAuth(request: FastifyRequest): AuthenticatedUser {
  if (request.auth === undefined) throw new AppError(401, AuthErrorCode.sessionRequired, 'Please log in.');
  return request.auth;
}

/** onRequest hook (after the client-certificate check): resolves the session and checks the right. */
export function sessionAuthHook(auth: AuthService) {
  return async function sessionAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const declared = request.routeOptions.config.auth;
    if (declared === undefined || declared.kind === 'workstation') return;
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new AppError(401, AuthErrorCode.sessionRequired, 'Please log in.');
    const user = await auth.authenticate(callerWorkstation(request), token);
    request.auth = user;
    if (user.mustChangePassword && declared.allowPendingPasswordChange !== true) {
      throw new AppError(403, AuthErrorCode.passwordChangeRequired, 'Please change your initial password first.');
    }
    if (declared.permission !== undefined && !user.permissions.has(declared.permission)) {
      throw new AppError(403, AuthErrorCode.forbidden, `This needs the right ${declared.permission}.`);
    }
  };
}
