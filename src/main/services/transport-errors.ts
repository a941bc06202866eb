import { TransportError, TransportErrorCode } from '../../shared/api-client/transport.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** OpenSSL's verdicts on the server's certificate (Node passes them on as `code`). */
const SERVER_CERT = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** TLS alerts the peer sends when it does not accept our client certificate. */
const CLIENT_CERT_ALERTS = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

/** The same alerts as OpenSSL words them; with TLS 1.2 Node reports them as EPROTO with this text. */
const CLIENT_CERT_ALERT_TEXT = /alert (?:unknown ca|bad certificate|certificate required|certificate expired|certificate revoked|certificate unknown|access denied)/i;

/**
 * Maps a Node network or TLS error to a transport code. `requestSent` tells a connection that broke
 * before the request was written (the server never saw it) from one that broke afterwards (it may
 * have acted) — the difference between "unreachable" and "connection lost" for the person at the till.
 */
export function classifyNodeError(error: unknown, requestSent: boolean): TransportError {
  if (error instanceof TransportError) return error;
  const rawCode = (error as { code?: unknown } | undefined)?.code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  const message = `${code === '' ? 'network error' : code}: ${String((error as Error | undefined)?.message ?? error).slice(0, 200)}`;
  const as = (kind: TransportErrorCode) => new TransportError(kind, message);
  if (UNREACHABLE.has(code)) return as(TransportErrorCode.unreachable);
  if (code === 'ETIMEDOUT') return as(TransportErrorCode.timeout);
  if (SERVER_CERT.has(code)) return as(TransportErrorCode.serverUntrusted);
  if (CLIENT_CERT_ALERTS.has(code) || (code === 'EPROTO' && CLIENT_CERT_ALERT_TEXT.test(message))) return as(TransportErrorCode.clientCertRejected);
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') return as(TransportErrorCode.tlsMismatch);
  if (BROKEN.has(code)) return as(requestSent ? TransportErrorCode.connectionLost : TransportErrorCode.unreachable);
  return as(requestSent ? TransportErrorCode.connectionLost : TransportErrorCode.unreachable);
}
