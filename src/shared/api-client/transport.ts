/**
 * The one thing the API client needs from its runtime: a `fetch`-shaped function. The station's main
 * process passes a node:https transport that presents the workstation certificate
 * (src/main/services/https-transport.ts); the web UI passes the browser's `window.fetch`, whose own client
 * certificate authenticates. The types are structural subsets of the Fetch API, so `window.fetch` fits
 * as it is, without DOM types in src/shared.
 */

export interface FetchLikeInit {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface FetchLikeResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type FetchLike = (url: string, init: FetchLikeInit) => Promise<FetchLikeResponse>;

/**
 * Why a request got no HTTP answer. Codes, not texts: the renderer turns them into German messages.
 * Only the first three may be temporary; the others need a person to act.
 */
export const TransportErrorCode = {
  /** Nothing answered (refused, no route, DNS): the request never reached the server. */
  unreachable: 'SERVER_UNREACHABLE',
  /** No answer in time; the server may or may not have processed the request. */
  timeout: 'SERVER_TIMEOUT',
  /** The connection broke after the request was sent; the server may or may not have processed it. */
  connectionLost: 'CONNECTION_LOST',
  /** Handshake failed on protocol version or cipher suites: one side does not meet the TLS policy. */
  tlsMismatch: 'TLS_MISMATCH',
  /** The server's certificate is not from the platform CA, has expired or names another host. */
  serverUntrusted: 'SERVER_CERT_UNTRUSTED',
  /** The server (or a balancer in front of it) refused our client certificate during the handshake. */
  clientCertRejected: 'CLIENT_CERT_REJECTED',
  /** The answer exceeded the transport's size limit and was dropped. */
  responseTooLarge: 'RESPONSE_TOO_LARGE',
} as const;

export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

const TRANSIENT: ReadonlySet<string> = new Set([TransportErrorCode.unreachable, TransportErrorCode.timeout, TransportErrorCode.connectionLost]);

/** True for failures that may go away by themselves (network, restart); false for TLS and certificates. */
export function isTransientTransportCode(code: string): boolean {
  return TRANSIENT.has(code);
}

/** Thrown by transports; any other thrown value is treated as `SERVER_UNREACHABLE`. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
