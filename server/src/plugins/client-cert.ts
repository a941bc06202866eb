import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { ErrorCode } from '../../../src/shared/api/problem.js';
import type { TenantKind } from '../../../src/shared/api/system.js';
import type { Clock } from '../clock.js';
import type { WorkstationRepository } from '../modules/workstations/repository.js';
import { normalizeFingerprint } from '../pki/x509.js';
import { sendProblem } from './errors.js';

export interface RequestWorkstation {
  id: string;
  name: string;
  fingerprint: string;
  certificateNotAfter: Date;
  tenant: { id: string; code: string; name: string; kind: TenantKind };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every /api request by the client-certificate check; absent on health routes. */
    workstation?: RequestWorkstation;
  }
}

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';

export interface ClientCertDeps {
  knex: Knex;
  workstations: WorkstationRepository;
  clock: Clock;
}

/**
 * onRequest hook for the API scope: the connection must carry a certificate issued by the platform CA
 * (verified by OpenSSL during the handshake), meant for client authentication, that belongs to a known
 * workstation that is neither revoked nor expired. Looked up on every request, so a revocation takes
 * effect on the next request, on every server instance.
 */
export function requireWorkstation(deps: ClientCertDeps) {
  return async function clientCertHook(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const socket = request.raw.socket as Partial<TLSSocket>;
    // The reply is returned, so that Fastify stops here: a refused request must never reach the session
    // check or the route (with a slow onSend hook, a later hook's error could otherwise answer instead).
    const refuse = (status: number, code: string, detail: string) => {
      request.log.warn({ code }, 'client certificate refused');
      return sendProblem(reply, request, { status, code, detail });
    };
    if (socket.encrypted !== true || typeof socket.getPeerCertificate !== 'function') {
      return refuse(401, ErrorCode.clientCertRequired, 'This API requires a workstation client certificate.');
    }
    const cert = socket.getPeerCertificate();
    if (cert === null || cert === undefined || Object.keys(cert).length === 0 || cert.fingerprint256 === undefined) {
      return refuse(401, ErrorCode.clientCertRequired, 'This API requires a workstation client certificate.');
    }
    if (socket.authorized !== true) {
      return refuse(401, ErrorCode.clientCertUntrusted, 'The client certificate was not issued by the platform CA or is not valid now.');
    }
    if (!(cert.ext_key_usage ?? []).includes(CLIENT_AUTH_EKU)) {
      return refuse(403, ErrorCode.clientCertWrongUsage, 'The certificate is not meant for client authentication.');
    }
    const fingerprint = normalizeFingerprint(cert.fingerprint256);
    const row = await deps.workstations.findByFingerprint(deps.knex, fingerprint);
    if (row === undefined) {
      return refuse(403, ErrorCode.workstationUnknown, 'The certificate belongs to no registered workstation.');
    }
    if (row.revoked_at !== null || row.cert_not_after.getTime() <= deps.clock.now().getTime()) {
      return refuse(403, ErrorCode.workstationRevoked, 'The certificate of this workstation has been revoked or has expired.');
    }
    request.workstation = {
      id: row.id,
      name: row.name,
      fingerprint,
      certificateNotAfter: row.cert_not_after,
      tenant: { id: row.tenant_id, code: row.tenant_code, name: row.tenant_name, kind: row.tenant_kind },
    };
    return undefined;
  };
}
