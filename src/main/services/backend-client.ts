/**
 * The station's client for the central backend: the shared typed API client on a node:https transport
 * with the workstation certificate. The session token lives in here and nowhere else; IPC handlers get
 * session facts (user, rights, expiry) but never the token.
 */
import { createApiClient, type ApiClient } from '../../shared/api-client/api-client.js';
import { ClientErrorCode, type ApiError } from '../../shared/api-client/errors.js';
import type { ApiClientObserver } from '../../shared/api-client/http-client.js';
import type { RetryPolicy } from '../../shared/api-client/retry.js';
import type { FetchLike } from '../../shared/api-client/transport.js';
import { StationErrorCode } from '../../shared/ipc/result.js';
import type { Clock } from '../ports/clock.js';
import { createHttpsTransport, type HttpsTransport } from './https-transport.js';
import type { LeafCertificate, WorkstationCertificate } from './pkcs12.js';

export interface BackendClient extends ApiClient {
  /** Closes the connection pool; the client is unusable afterwards. */
  close(): void;
}

export interface BackendClientDeps {
  /** https origin of the backend. */
  readonly serverUrl: string;
  readonly certificate: WorkstationCertificate;
  readonly clock: Clock;
  readonly newIdempotencyKey: () => string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly observer?: ApiClientObserver;
  readonly retry?: Partial<RetryPolicy>;
  readonly random?: () => number;
  readonly timeoutMs?: number;
  /** Tests may pass their own transport; by default node:https with the certificate's TLS context. */
  readonly transport?: { readonly fetch: FetchLike; close(): void };
}

/** Refuses to send with a certificate outside its validity, so the clerk learns the real reason. */
export function certificateValidityError(leaf: LeafCertificate, now: Date): ApiError | undefined {
  if (now.getTime() >= leaf.notAfter.getTime()) {
    return { code: ClientErrorCode.clientCertExpired, status: undefined, message: `workstation certificate expired at ${leaf.notAfter.toISOString()}` };
  }
  if (now.getTime() < leaf.notBefore.getTime()) {
    return { code: StationErrorCode.clientCertNotYetValid, status: undefined, message: `workstation certificate valid from ${leaf.notBefore.toISOString()}` };
  }
  return undefined;
}

export function createBackendClient(deps: BackendClientDeps): BackendClient {
  const transport: HttpsTransport | NonNullable<BackendClientDeps['transport']> =
    deps.transport ?? createHttpsTransport({ secureContext: deps.certificate.secureContext, ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }) });
  const api = createApiClient({
    baseUrl: deps.serverUrl,
    fetch: transport.fetch,
    newIdempotencyKey: deps.newIdempotencyKey,
    sleep: deps.sleep,
    preflight: () => certificateValidityError(deps.certificate.leaf, deps.clock.now()),
    ...(deps.observer === undefined ? {} : { observer: deps.observer }),
    ...(deps.retry === undefined ? {} : { retry: deps.retry }),
    ...(deps.random === undefined ? {} : { random: deps.random }),
  });
  return {
    ...api,
    close: () => {
      transport.close();
    },
  };
}
