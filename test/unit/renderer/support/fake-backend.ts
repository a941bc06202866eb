/**
 * A Backend (src/renderer/lib/backend.ts) for component tests: answers per "METHOD path" from a table
 * the test fills, records every request, and lets the test end the session as the server would.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { WhoAmI } from '../../../../src/shared/api/system.js';
import { fail, ok, type ApiError, type ApiResult } from '../../../../src/shared/api-client/errors.js';
import type { ResponseValue, SessionEnd } from '../../../../src/shared/api-client/http-client.js';
import type { SessionInfo } from '../../../../src/shared/api-client/session-info.js';
import type { Backend, BackendRequest } from '../../../../src/renderer/lib/backend.js';

export const WHOAMI: WhoAmI = {
  workstation: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Kasse 1', certificateNotAfter: '2027-12-31T00:00:00.000Z' },
  tenant: { id: '00000000-0000-4000-8000-0000000000b1', code: 'vvk-nord', name: 'VVK Nord', kind: 'outlet' },
};

export function sessionInfo(permissions: string[], overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    user: { id: '00000000-0000-4000-8000-0000000000c1', tenantId: WHOAMI.tenant.id, login: 'k.schmidt', displayName: 'Karin Schmidt' },
    permissions,
    mustChangePassword: false,
    expiresAt: '2026-12-04T20:00:00.000Z',
    ...overrides,
  };
}

export type Answer = ApiResult<unknown> | ((request: BackendRequest<TSchema | null>) => ApiResult<unknown> | Promise<ApiResult<unknown>>);

export interface FakeBackend extends Backend {
  readonly requests: Array<BackendRequest<TSchema | null>>;
  readonly answers: Map<string, Answer>;
  loginAs: SessionInfo | ApiError;
  endSession(end: SessionEnd): void;
  /** Writable here so that a test can hand out the document it needs. */
  fetchDocument: NonNullable<Backend['fetchDocument']>;
}

export function apiError(code: string, status = 409): ApiError {
  return { code, status, message: code };
}

export function createFakeBackend(initial: Partial<Pick<FakeBackend, 'loginAs'>> = {}): FakeBackend {
  const listeners = new Set<(end: SessionEnd) => void>();
  const requests: Array<BackendRequest<TSchema | null>> = [];
  const answers = new Map<string, Answer>();
  const backend: FakeBackend = {
    mode: 'web',
    requests,
    answers,
    loginAs: initial.loginAs ?? sessionInfo(['sales.sell']),
    login: async () => ('user' in backend.loginAs ? ok(backend.loginAs) : fail(backend.loginAs)),
    me: async () => ('user' in backend.loginAs ? ok({ ...backend.loginAs, mustChangePassword: false }) : fail(backend.loginAs)),
    logout: async () => ok(null),
    changePassword: async () => ok({ expiresAt: '2026-12-04T20:00:00.000Z' }),
    whoami: async () => ok(WHOAMI),
    async request<S extends TSchema | null>(spec: BackendRequest<S>): Promise<ApiResult<ResponseValue<S>>> {
      requests.push(spec);
      const key = `${spec.method} ${spec.path}`;
      const answer = answers.get(key);
      if (answer === undefined) return fail({ code: 'NOT_FOUND', status: 404, message: `no fake answer for ${key}` });
      const result = typeof answer === 'function' ? await answer(spec) : answer;
      if (result.ok && spec.response !== null && !Value.Check(spec.response, result.value)) {
        throw new Error(`fake answer for ${key} does not match the contract: ${JSON.stringify([...Value.Errors(spec.response, result.value)].slice(0, 3))}`);
      }
      return result as ApiResult<ResponseValue<S>>;
    },
    onSessionEnded: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    endSession: (end) => {
      for (const listener of listeners) listener(end);
    },
    fetchDocument: async (path) => fail({ code: 'NOT_FOUND', status: 404, message: `no fake document for ${path}` }),
  };
  return backend;
}
