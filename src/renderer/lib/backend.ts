/**
 * The renderer's one port to the backend. Screens call typed requests over the shared contract
 * (src/shared/api/*.ts) and never learn how they travel:
 * - web mode: the shared ApiClient over window.fetch, same origin, the browser's client certificate;
 *   the session token stays in this module's memory store;
 * - desktop station: the preload bridge; main holds certificate and token and sends only allow-listed
 *   routes (src/shared/ipc/api.ts).
 * Every answer is checked against the schema the screen asked with, on both paths.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { ChangePasswordRequest, LoginRequest } from '../../shared/api/auth.js';
import type { WhoAmI } from '../../shared/api/system.js';
import { createApiClient } from '../../shared/api-client/api-client.js';
import { ClientErrorCode, fail, ok, type ApiError, type ApiResult } from '../../shared/api-client/errors.js';
import type { HttpMethod, ResponseValue, SessionEnd } from '../../shared/api-client/http-client.js';
import type { PasswordChanged, SessionInfo } from '../../shared/api-client/session-info.js';
import { createMemorySessionStore } from '../../shared/api-client/session-store.js';
import type { IpcResult } from '../../shared/ipc/result.js';
import type { BoxofficeApi } from '../app/bridge.js';
import { createBrowserTransport } from './web-api.js';

export interface BackendRequest<S extends TSchema | null> {
  readonly method: HttpMethod;
  /** Below the origin, e.g. `/api/v1/orders`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Schema of the success body from src/shared/api; null for answers without a body. */
  readonly response: S;
  /** Writes that may be retried: sent with an Idempotency-Key. */
  readonly idempotent?: boolean;
}

export type Unsubscribe = () => void;

export interface Backend {
  readonly mode: 'web' | 'desktop';
  login(credentials: LoginRequest): Promise<ApiResult<SessionInfo>>;
  me(): Promise<ApiResult<SessionInfo>>;
  logout(): Promise<ApiResult<null>>;
  changePassword(request: ChangePasswordRequest): Promise<ApiResult<PasswordChanged>>;
  /** Workstation and tenant behind the client certificate; also the certificate check before login. */
  whoami(): Promise<ApiResult<WhoAmI>>;
  request<S extends TSchema | null>(spec: BackendRequest<S>): Promise<ApiResult<ResponseValue<S>>>;
  /**
   * A document (PDF) by GET with the session, web mode only: the station prints through main and
   * never downloads (undefined there).
   */
  readonly fetchDocument?: (path: string) => Promise<ApiResult<Blob>>;
  /** The server ended the session (another login, expiry, revocation …). */
  onSessionEnded(listener: (end: SessionEnd) => void): Unsubscribe;
}

function checked<S extends TSchema | null>(spec: BackendRequest<S>, value: unknown): ApiResult<ResponseValue<S>> {
  if (spec.response === null) return ok(null as ResponseValue<S>);
  if (!Value.Check(spec.response, value)) {
    return fail({ code: ClientErrorCode.badResponse, status: undefined, message: `${spec.method} ${spec.path}: the answer does not match the contract` });
  }
  return ok(value as ResponseValue<S>);
}

type WebWindow = Pick<Window, 'fetch' | 'location' | 'crypto' | 'setTimeout'>;

/** Web mode: the shared ApiClient with the page's origin; the token only in memory. */
export function createWebBackend(win: WebWindow): Backend {
  const listeners = new Set<(end: SessionEnd) => void>();
  const session = createMemorySessionStore();
  const fetchLike = createBrowserTransport((input, init) => win.fetch(input, init));
  const client = createApiClient({
    baseUrl: win.location.origin,
    fetch: fetchLike,
    session,
    newIdempotencyKey: () => win.crypto.randomUUID(),
    sleep: (ms) =>
      new Promise((resolve) => {
        win.setTimeout(resolve, ms);
      }),
    observer: {
      sessionEnded: (end) => {
        for (const listener of listeners) listener(end);
      },
    },
  });
  return {
    mode: 'web',
    login: (credentials) => client.auth.login(credentials),
    me: () => client.auth.me(),
    logout: () => client.auth.logout(),
    changePassword: (request) => client.auth.changePassword(request),
    whoami: () => client.system.whoami(),
    request: (spec) =>
      client.http.request({
        method: spec.method,
        path: spec.path,
        ...(spec.query === undefined ? {} : { query: spec.query }),
        ...(spec.body === undefined ? {} : { body: spec.body }),
        response: spec.response,
        auth: 'session',
        ...(spec.idempotent === true ? { idempotent: true } : {}),
      }),
    fetchDocument: async (path) => {
      const token = session.get();
      if (token === undefined) return fail({ code: ClientErrorCode.sessionRequired, status: undefined, message: 'no session: log in first' });
      try {
        const response = await win.fetch(`${win.location.origin}${path}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/pdf, application/problem+json' },
          credentials: 'same-origin',
          cache: 'no-store',
        });
        if (!response.ok) {
          const error: ApiError = await response
            .json()
            .then((body: unknown) => {
              const code = typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string' ? body.code : ClientErrorCode.badResponse;
              return { code, status: response.status, message: `HTTP ${response.status}` };
            })
            .catch(() => ({ code: ClientErrorCode.badResponse, status: response.status, message: `HTTP ${response.status}` }));
          return fail(error);
        }
        return ok(await response.blob());
      } catch (error) {
        return fail({ code: ClientErrorCode.unreachable, status: undefined, message: String(error) });
      }
    },
    onSessionEnded: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function fromIpc<T>(result: IpcResult<T>): ApiResult<T> {
  if (result.ok) return ok(result.value);
  const { code, message, reason, retryAfterSeconds, failedRules } = result.error;
  return fail({
    code,
    status: undefined,
    message,
    ...(reason === undefined ? {} : { reason }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    ...(failedRules === undefined ? {} : { failedRules }),
  });
}

/** Desktop station: everything through the bridge; main keeps certificate and token. */
export function createDesktopBackend(bridge: BoxofficeApi): Backend {
  return {
    mode: 'desktop',
    login: async (credentials) => fromIpc(await bridge.auth.login(credentials)),
    me: async () => fromIpc(await bridge.auth.me()),
    logout: async () => fromIpc(await bridge.auth.logout()),
    changePassword: async (request) => fromIpc(await bridge.auth.changePassword(request)),
    whoami: async () => fromIpc(await bridge.system.whoami()),
    request: async (spec) => {
      const query: Record<string, string | number | boolean> = {};
      for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) query[name] = value;
      const result = fromIpc(
        await bridge.api.request({
          method: spec.method,
          path: spec.path,
          ...(Object.keys(query).length === 0 ? {} : { query }),
          ...(spec.body === undefined ? {} : { body: spec.body }),
          ...(spec.idempotent === true ? { idempotent: true } : {}),
          expectBody: spec.response !== null,
        }),
      );
      return result.ok ? checked(spec, result.value) : result;
    },
    onSessionEnded: (listener) => bridge.events.sessionEnded((end) => listener(end.reason === undefined ? { code: end.code } : { code: end.code, reason: end.reason })),
  };
}

export function createBackend(win: WebWindow, bridge: BoxofficeApi | undefined): Backend {
  return bridge === undefined ? createWebBackend(win) : createDesktopBackend(bridge);
}
