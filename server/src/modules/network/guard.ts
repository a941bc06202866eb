import type { Server as NetServer, Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../../plugins/errors.js';
import type { NetworkDecision, NetworkPolicy } from './policy.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Client address after the trusted-proxy walk (see network/policy.ts); set by forwardedSourceHook. */
    clientAddress?: string;
  }
}

export const SOURCE_DENIED = 'SOURCE_DENIED';

export type DeniedListener = (address: string, reason: string) => void;

type ConnectionListener = (this: unknown, socket: Socket) => void;

/**
 * Closes connections from denied peers the moment TCP accepts them.
 *
 * A TLS server turns each accepted socket into a TLS socket in its own 'connection' listener. Merely
 * adding a listener would run after (or, prepended, before) that one, but the TLS socket would still be
 * created and would report the reset as a client error. So the listeners present at install time (the
 * TLS wrapper of a tls/https server, the HTTP parser of a plain one) are moved behind a gate: a denied
 * socket never reaches them, and no TLS object, handshake or HTTP parser exists for it. Listeners added
 * later run after the gate and see a denied socket already destroyed.
 *
 * Only the socket's peer address counts here; clients behind a trusted proxy are judged per request by
 * forwardedSourceHook. Returns a function that removes the gate and restores the listeners.
 */
export function installConnectionGuard(server: NetServer | TlsServer, policy: Pick<NetworkPolicy, 'decide'>, onDenied?: DeniedListener): () => void {
  const downstream = server.rawListeners('connection') as ConnectionListener[];
  for (const listener of downstream) server.removeListener('connection', listener);

  const gate = (socket: Socket): void => {
    const address = socket.remoteAddress ?? '';
    const decision = decideSafely(policy, address);
    if (!decision.allowed) {
      refuse(socket);
      if (onDenied !== undefined) {
        try {
          onDenied(address, decision.reason ?? 'denied');
        } catch {
          // Reporting is best effort; the socket is closed either way.
        }
      }
      return;
    }
    for (const listener of downstream) listener.call(server, socket);
  };
  server.on('connection', gate);

  return () => {
    server.removeListener('connection', gate);
    for (const listener of downstream) server.on('connection', listener);
  };
}

function decideSafely(policy: Pick<NetworkPolicy, 'decide'>, address: string): NetworkDecision {
  try {
    return policy.decide(address);
  } catch {
    // A failing policy must neither crash the accept loop nor let the peer in.
    return { allowed: false, reason: 'network policy failed' };
  }
}

/** Sends a TCP reset (no FIN handshake, no TIME_WAIT on our side) and drops the socket. */
function refuse(socket: Socket): void {
  // The peer's reset or our own may surface as an error on the dying socket; nobody else listens to it.
  socket.on('error', () => undefined);
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/**
 * onRequest hook: sets request.clientAddress from the socket peer and, from trusted proxies only,
 * X-Forwarded-For; refuses a denied client with 403 SOURCE_DENIED. Direct peers were already judged at
 * the connection; judging them again costs a lookup and also covers servers without the guard (and
 * app.inject). Register it on the root instance so it runs before certificate checks and routing.
 */
export function forwardedSourceHook(policy: Pick<NetworkPolicy, 'clientAddress' | 'decideForwarded'>): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    const socketAddress = request.socket.remoteAddress ?? '';
    const client = policy.clientAddress(socketAddress, request.headers['x-forwarded-for']);
    request.clientAddress = client;
    const decision = policy.decideForwarded(client);
    if (decision.allowed) return undefined;
    request.log.warn({ clientAddress: client, socketAddress, reason: decision.reason }, 'request refused by network policy');
    return sendProblem(reply, request, { status: 403, code: SOURCE_DENIED, detail: 'Requests from this network are not accepted.' });
  };
}

/**
 * Wires the policy into a Fastify app: the connection guard on app.server (before listen) and
 * forwardedSourceHook as a root onRequest hook. Denied connections are logged at warn level.
 */
export function registerNetworkProtection(app: FastifyInstance, policy: NetworkPolicy): void {
  if (policy.active) {
    installConnectionGuard(app.server, policy, (address, reason) => {
      app.log.warn({ remoteAddress: address, reason }, 'connection refused by network policy');
    });
  }
  app.addHook('onRequest', forwardedSourceHook(policy));
}
