import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ClientErrorCode, fail, ok, problemToError, SESSION_END_CODES, type ApiError, type ApiResult } from './errors.js';
import { DEFAULT_RETRY_POLICY, isRepeatable, nextDelay, type Outcome, type RetryPolicy } from './retry.js';
import type { SessionTokenStore } from './session-store.js';
import { isTransientTransportCode, TransportError, TransportErrorCode, type FetchLike, type FetchLikeResponse } from './transport.js';

export type Connectivity = 'online' | 'offline';

export interface SessionEnd {
  /** SESSION_ENDED, SESSION_EXPIRED, SESSION_IDLE, WORKSTATION_REVOKED, … */
  readonly code: string;
  /** With SESSION_ENDED: superseded, logout, password_changed, user_disabled, rights_changed, … */
  readonly reason?: string;
}

/** Told about what the UI should show beyond one request's result. */
export interface ApiClientObserver {
  connectivity?(state: Connectivity): void;
  sessionEnded?(end: SessionEnd): void;
}

export interface HttpClientDeps {
  /** Origin of the backend (`https://host:port`); '' in the browser for the page's own origin. */
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly session: SessionTokenStore;
  /** 16–100 characters of [A-Za-z0-9_-]; a UUID fits. */
  readonly newIdempotencyKey: () => string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  readonly observer?: ApiClientObserver;
  /** Checked before each request; an error returned here is the result, nothing is sent. */
  readonly preflight?: () => ApiError | undefined;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec<S extends TSchema | null> {
  readonly method: HttpMethod;
  /** Absolute path below the origin, e.g. `/api/v1/auth/me`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Schema of the success body, checked before it is handed out; null for answers without a body. */
  readonly response: S;
  /** 'session' sends the bearer token and needs one; 'workstation' sends none (login, whoami). */
  readonly auth: 'session' | 'workstation';
  /** Writes only: send an Idempotency-Key (the same on every retry), which makes the write retryable. */
  readonly idempotent?: boolean;
  /** A key chosen by the caller, e.g. stored with a queued offline write; implies `idempotent`. */
  readonly idempotencyKey?: string;
  /** Overrides the policy's number of attempts, e.g. 1 for a probe that is repeated on its own schedule. */
  readonly attempts?: number;
}

export type ResponseValue<S extends TSchema | null> = S extends TSchema ? Static<S> : null;

export interface HttpClient {
  request<S extends TSchema | null>(spec: RequestSpec<S>): Promise<ApiResult<ResponseValue<S>>>;
}

type Attempt = { kind: 'response'; status: number; contentType: string; text: string } | { kind: 'transport'; code: string; message: string };

const MAX_ERROR_LOG_LENGTH = 200;

function queryString(query: RequestSpec<TSchema | null>['query']): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * The transport-independent core of the API client: JSON in and out, bearer token, idempotency keys,
 * retries, response validation, session-end and connectivity reporting. Every outcome is a coded
 * ApiResult; nothing throws for network or server failures.
 */
export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const random = deps.random ?? Math.random;

  async function attempt(url: string, init: Parameters<FetchLike>[1]): Promise<Attempt> {
    let response: FetchLikeResponse;
    try {
      response = await deps.fetch(url, init);
    } catch (error) {
      if (error instanceof TransportError) return { kind: 'transport', code: error.code, message: error.message };
      // Browsers throw a bare TypeError for every network failure and say nothing more.
      return { kind: 'transport', code: TransportErrorCode.unreachable, message: String(error).slice(0, MAX_ERROR_LOG_LENGTH) };
    }
    try {
      const text = await response.text();
      return { kind: 'response', status: response.status, contentType: response.headers.get('content-type') ?? '', text };
    } catch (error) {
      const code = error instanceof TransportError ? error.code : TransportErrorCode.connectionLost;
      return { kind: 'transport', code, message: `reading the response failed: ${String(error).slice(0, MAX_ERROR_LOG_LENGTH)}` };
    }
  }

  function reportSessionEnd(sentToken: string | undefined, error: ApiError): void {
    if (sentToken === undefined || (error.status !== 401 && error.status !== 403) || !SESSION_END_CODES.has(error.code)) return;
    // A login that happened meanwhile has already replaced the token; that new session is not over.
    if (deps.session.get() !== sentToken) return;
    deps.session.clear();
    deps.observer?.sessionEnded?.({ code: error.code, ...(error.reason === undefined ? {} : { reason: error.reason }) });
  }

  async function request<S extends TSchema | null>(spec: RequestSpec<S>): Promise<ApiResult<ResponseValue<S>>> {
    const refused = deps.preflight?.();
    if (refused !== undefined) return fail(refused);
    const token = spec.auth === 'session' ? deps.session.get() : undefined;
    if (spec.auth === 'session' && token === undefined) {
      return fail({ code: ClientErrorCode.sessionRequired, status: undefined, message: 'no session: log in first' });
    }
    const isWrite = spec.method !== 'GET';
    const idempotencyKey = isWrite ? (spec.idempotencyKey ?? (spec.idempotent === true ? deps.newIdempotencyKey() : undefined)) : undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const init = { method: spec.method, headers, ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }) };
    const url = `${deps.baseUrl}${spec.path}${queryString(spec.query)}`;
    const repeatable = isRepeatable(spec.method, idempotencyKey !== undefined);
    const requestPolicy = spec.attempts === undefined ? policy : { ...policy, attempts: spec.attempts };

    for (let number = 1; ; number += 1) {
      const result = await attempt(url, init);
      let outcome: Outcome;
      let error: ApiError;
      if (result.kind === 'transport') {
        if (isTransientTransportCode(result.code)) deps.observer?.connectivity?.('offline');
        outcome = { kind: 'transport', code: result.code };
        error = { code: result.code, status: undefined, message: result.message };
      } else {
        // A gateway error means the backend behind it is gone; anything else proves it answers.
        deps.observer?.connectivity?.(result.status === 502 || result.status === 504 ? 'offline' : 'online');
        const json = parseJson(result.text);
        if (result.status >= 200 && result.status < 300) {
          if (spec.response === null) return ok(null as ResponseValue<S>);
          if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(result.contentType) || !Value.Check(spec.response, json)) {
            return fail({ code: ClientErrorCode.badResponse, status: result.status, message: `${spec.method} ${spec.path}: the answer does not match the contract` });
          }
          return ok(json as ResponseValue<S>);
        }
        error = problemToError(result.status, json);
        outcome = {
          kind: 'http',
          status: result.status,
          code: error.code,
          ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
        };
      }
      const delay = nextDelay(requestPolicy, number, repeatable, outcome, random);
      if (delay === undefined) {
        reportSessionEnd(token, error);
        return fail(error);
      }
      await deps.sleep(delay);
    }
  }

  return { request };
}
