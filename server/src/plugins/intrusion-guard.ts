import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../../src/shared/api/problem.js';
import type { SignalKind } from '../modules/intrusion/config.js';
import { inspectPath, inspectValues, type InjectionHit } from '../modules/intrusion/signatures.js';
import { canonicalSource, type IntrusionService } from '../modules/intrusion/service.js';
import { installConnectionGuard } from '../modules/network/guard.js';
import { sendProblem } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the intrusion guard: an injection payload seen in the URL or body. */
    intrusionHit?: InjectionHit;
    /** Set when the intrusion guard refused the request itself (no signals for it). */
    intrusionRefused?: boolean;
  }
}

/** Routes whose 401/429 answers are failed logins (the spray signal counts distinct login names). */
const LOGIN_ROUTES: ReadonlySet<string> = new Set(['/api/v1/auth/login']);

// Answers that a route scanner without a registered workstation certificate produces (an unknown route
// answers 404, or 401 under /api, where even unknown paths demand the client certificate first).
const SCAN_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

// TLS failures that say the peer spoke something other than our TLS policy. Alerts the peer sent (its
// own refusal, e.g. a browser that does not trust our CA yet) and resets (load-balancer TCP probes) do
// not count.
function isHostileTlsError(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return code.startsWith('ERR_SSL_') && !code.includes('_ALERT_');
}

// Verification errors that mean "not issued by the platform CA"; an expired or revoked station of our
// own is no attacker (and often sits behind the same NAT address as its colleagues).
const FOREIGN_CERT_ERRORS: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/**
 * Wires intrusion prevention into the app (register it on the root instance, after the network guard,
 * before any route):
 * - connections from blocked addresses are reset before TLS (installConnectionGuard);
 * - a request from a blocked client (behind a trusted proxy, or on a connection opened before the
 *   block) gets 403 SOURCE_BLOCKED with Retry-After and the connection closes;
 * - signals: failed TLS handshakes ('tlsClientError'), client certificates of a foreign CA, 400/404/405
 *   answers and requests to unknown routes from clients without a registered workstation certificate,
 *   failed logins, injection payloads in path, query or JSON body. Requests of a logged-in session
 *   produce no signals: the person is known and audited, and blocking the address would stop every
 *   station behind the same NAT address.
 * A signal is recorded before the answer leaves (onSend), so the request that reaches a threshold
 * blocks the next one; a database failure while recording is logged and never changes the answer.
 */
export function registerIntrusionGuard(app: FastifyInstance, service: IntrusionService): void {
  app.addHook('onReady', async () => {
    await service.start();
  });
  app.addHook('onClose', async () => {
    service.stop();
  });
  if (!service.settings.enabled) return;

  const record = (address: string | undefined, kind: SignalKind, detail: string) =>
    service.recordSignal(address, kind, detail).catch((error: unknown) => {
      app.log.error({ err: error, kind }, 'intrusion prevention: recording a signal failed');
      return undefined;
    });

  installConnectionGuard(
    app.server,
    {
      decide: (address) => {
        const source = canonicalSource(address);
        return source !== undefined && service.blockedUntil(source) !== undefined ? { allowed: false, reason: 'source is blocked' } : { allowed: true };
      },
    },
    // Debug only: a blocked source that keeps trying would otherwise flood the log (its block was logged).
    (address) => app.log.debug({ remoteAddress: address }, 'connection of a blocked source closed'),
  );

  app.server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    if (!isHostileTlsError(error)) return;
    const address = socket.remoteAddress ?? (socket as TLSSocket & { _parent?: Socket })._parent?.remoteAddress;
    void record(address, 'tls', error.code ?? 'tls');
  });

  const certCounted = new WeakSet<object>();

  app.addHook('onRequest', async (request, reply) => {
    const source = sourceOf(request);
    const remaining = source === undefined ? undefined : service.secondsBlocked(source);
    if (remaining !== undefined) {
      request.intrusionRefused = true;
      void reply.header('connection', 'close');
      return sendProblem(reply, request, {
        status: 403,
        code: ErrorCode.sourceBlocked,
        detail: 'Requests from this address are blocked for a while after suspicious activity.',
        retryAfterSeconds: remaining,
      });
    }
    const hit = inspectPath(request.url) ?? inspectValues(request.query, 'query');
    if (hit !== undefined) request.intrusionHit = hit;
    return undefined;
  });

  // The body is parsed by now, and the session (if any) is known: only anonymous bodies are inspected.
  app.addHook('preValidation', async (request) => {
    if (request.intrusionHit !== undefined || request.auth !== undefined || request.body === undefined) return;
    const hit = inspectValues(request.body, 'body');
    if (hit !== undefined) request.intrusionHit = hit;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.intrusionRefused === true || request.auth !== undefined) return payload;
    const address = sourceOf(request);
    if (address === undefined || service.isExempt(address)) return payload;
    const status = reply.statusCode;
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    if (request.intrusionHit !== undefined) {
      const hit = request.intrusionHit;
      await record(address, 'injection', `${hit.signature} ${hit.where}: ${hit.sample}`);
    }
    // A registered workstation calling a route this server lacks is version skew, not a scan.
    if ((SCAN_STATUSES.has(status) || request.is404) && request.workstation === undefined) {
      await record(address, 'scan', `${status} ${request.method} ${path}`);
    }
    if ((status === 401 || status === 429) && LOGIN_ROUTES.has(request.routeOptions.url ?? '')) {
      const login = (request.body as { login?: unknown } | undefined)?.login;
      if (typeof login === 'string') await record(address, 'login_failure', login.trim().toLowerCase().slice(0, 200));
    }
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (socket.encrypted === true && socket.authorized === false && !certCounted.has(socket) && presentsCertificate(socket)) {
      const why = String(socket.authorizationError ?? '');
      if (FOREIGN_CERT_ERRORS.has(why)) {
        certCounted.add(socket);
        await record(address, 'tls', `certificate ${why}`);
      }
    }
    return payload;
  });
}

/** OpenSSL reports a missing client certificate as an issuer error too; only a presented one counts. */
function presentsCertificate(socket: Partial<TLSSocket>): boolean {
  if (typeof socket.getPeerCertificate !== 'function') return false;
  const cert = socket.getPeerCertificate();
  return cert !== null && cert !== undefined && Object.keys(cert).length > 0;
}

/** The client address as the network guard resolved it (trusted proxies honoured), canonical. */
function sourceOf(request: FastifyRequest): string | undefined {
  return canonicalSource(request.clientAddress ?? request.socket.remoteAddress);
}
