import { ChangePasswordResponse, LoginResponse, MeResponse, type ChangePasswordRequest, type LoginRequest } from '../api/auth.js';
import { HealthStatus, WhoAmI } from '../api/system.js';
import { ok, type ApiResult } from './errors.js';
import type { HttpClient } from './http-client.js';
import type { SessionTokenStore } from './session-store.js';
import type { PasswordChanged, SessionInfo } from './session-info.js';

/**
 * Identity endpoints. Login and password change are never retried automatically: neither carries an
 * idempotency key, and a repeated login would end the session the first one opened.
 */
export function createAuthApi(http: HttpClient, session: SessionTokenStore) {
  return {
    async login(credentials: LoginRequest): Promise<ApiResult<SessionInfo>> {
      const result = await http.request({ method: 'POST', path: '/api/v1/auth/login', body: credentials, response: LoginResponse, auth: 'workstation' });
      if (!result.ok) return result;
      const { token, ...info } = result.value;
      session.set(token);
      return ok(info);
    },

    me(): Promise<ApiResult<SessionInfo>> {
      return http.request({ method: 'GET', path: '/api/v1/auth/me', response: MeResponse, auth: 'session' });
    },

    /** Forgets the token whatever the server says: the person at the till has asked to leave. */
    async logout(): Promise<ApiResult<null>> {
      const result = await http.request({ method: 'POST', path: '/api/v1/auth/logout', response: null, auth: 'session' });
      session.clear();
      return result;
    },

    /** The server ends every session of the user and returns a fresh token, which replaces ours. */
    async changePassword(request: ChangePasswordRequest): Promise<ApiResult<PasswordChanged>> {
      const result = await http.request({ method: 'POST', path: '/api/v1/auth/password', body: request, response: ChangePasswordResponse, auth: 'session' });
      if (!result.ok) return result;
      session.set(result.value.token);
      return ok({ expiresAt: result.value.expiresAt });
    },

    hasSession(): boolean {
      return session.get() !== undefined;
    },
  };
}

export type AuthApi = ReturnType<typeof createAuthApi>;

export function createSystemApi(http: HttpClient) {
  return {
    /** The workstation and tenant the server sees behind our client certificate. */
    whoami(): Promise<ApiResult<WhoAmI>> {
      return http.request({ method: 'GET', path: '/api/v1/whoami', response: WhoAmI, auth: 'workstation' });
    },
    /** Readiness of the backend, asked once (the caller repeats it on its own schedule). */
    ready(): Promise<ApiResult<HealthStatus>> {
      return http.request({ method: 'GET', path: '/health/ready', response: HealthStatus, auth: 'workstation', attempts: 1 });
    },
  };
}

export type SystemApi = ReturnType<typeof createSystemApi>;
