import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { TransportErrorCode } from './transport.js';

/**
 * Codes the client produces itself, next to the server's problem codes (src/shared/api/problem.ts and
 * the modules' own) and the transport codes. The renderer maps every code to a German message.
 */
export const ClientErrorCode = {
  ...TransportErrorCode,
  /** The answer was not the JSON the contract promises (proxy error page, truncated body, wrong shape). */
  badResponse: 'BAD_RESPONSE',
  /** A 5xx without a usable code. 5xx texts are never passed on. */
  serverError: 'SERVER_ERROR',
  /** Our own certificate is past its end date; checked before sending so the clerk learns why at once. */
  clientCertExpired: 'CLIENT_CERT_EXPIRED',
  /** A call that needs a session was made without one (never sent to the server). */
  sessionRequired: 'SESSION_REQUIRED',
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/**
 * Problem codes that mean "the session is gone": the client forgets its token and reports the end, so
 * the station can return to the login screen and say why (`reason` with SESSION_ENDED).
 */
export const SESSION_END_CODES: ReadonlySet<string> = new Set([
  'SESSION_ENDED',
  'SESSION_EXPIRED',
  'SESSION_IDLE',
  'SESSION_CERT_MISMATCH',
  'SESSION_REQUIRED',
  'WORKSTATION_REVOKED',
  'WORKSTATION_UNKNOWN',
  'CLIENT_CERT_UNTRUSTED',
]);

export interface ApiError {
  /** Stable code: a server problem code, a transport code or a ClientErrorCode. */
  readonly code: string;
  /** HTTP status when the server answered; undefined for transport and local failures. */
  readonly status: number | undefined;
  /** Technical English for logs; never shown to people (the renderer shows texts by code). */
  readonly message: string;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;
  readonly failedRules?: readonly string[];
  readonly requestId?: string;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = <T = never>(error: ApiError): ApiResult<T> => ({ ok: false, error });

/** The fields of a problem body the client uses; everything else in it is ignored. */
const ProblemBody = Type.Object({
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$' }),
  detail: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })),
  retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  failedRules: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  requestId: Type.Optional(Type.String({ maxLength: 100 })),
});

/**
 * Turns an error response into an ApiError. The code and the structured fields are kept; the detail
 * text only for 4xx (for logs) — a 5xx text may carry internals and is replaced.
 */
export function problemToError(status: number, body: unknown): ApiError {
  if (!Value.Check(ProblemBody, body)) {
    return { code: status >= 500 ? ClientErrorCode.serverError : ClientErrorCode.badResponse, status, message: `HTTP ${status} without a problem body` };
  }
  const serverSide = status >= 500;
  return {
    code: body.code,
    status,
    message: serverSide ? `server error ${status}` : (body.detail ?? `HTTP ${status}`),
    ...(body.reason === undefined ? {} : { reason: body.reason }),
    ...(body.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: body.retryAfterSeconds }),
    ...(body.failedRules === undefined ? {} : { failedRules: body.failedRules }),
    ...(body.requestId === undefined ? {} : { requestId: body.requestId }),
  };
}
