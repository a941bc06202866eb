import type { Knex } from 'knex';
import { buildPkcs12, generatePassphrase } from '../../pki/pkcs12.js';
import { encryptPrivateKey } from '../../pki/pkcs8.js';
import { issueClientCertificate } from '../../pki/x509.js';
import { appendAudit } from '../audit/repository.js';
import type { CaMaterialPair } from '../ca/store.js';
import { createTenantRepository } from '../tenants/repository.js';
import { inTenant, type TenantScope } from '../../db/tenant-scope.js';
import { createWorkstationRepository, type WorkstationRow } from './repository.js';

export const WORKSTATION_CERT_VALIDITY_DAYS = 825;

export class WorkstationError extends Error {
  constructor(
    readonly code: 'TENANT_NOT_FOUND' | 'USER_NOT_FOUND' | 'WORKSTATION_NAME_TAKEN' | 'WORKSTATION_NOT_FOUND' | 'WORKSTATION_ALREADY_REVOKED',
    message: string,
  ) {
    super(message);
    this.name = 'WorkstationError';
  }
}

export interface IssuedWorkstation {
  workstation: WorkstationRow;
  tenantCode: string;
  certPem: string;
  /** PKCS#8, encrypted with the passphrase. */
  encryptedKeyPem: string;
  caCertPem: string;
  p12: Buffer;
  passphrase: string;
}

export interface Actor {
  userId?: string | null;
  workstationId?: string | null;
  sourceIp?: string | null;
}

/** The name under which a person's certificate is listed (one live certificate per person). */
export const userCertificateName = (login: string): string => `user:${login}`;

/**
 * Issues a workstation certificate for a tenant and registers it, with its audit row, in one
 * transaction. The key pair is made here and leaves only inside the passphrase-protected .p12/PEM.
 * With `userLogin` it is a person's certificate instead (kind 'user', the person's login as its name):
 * that person may then sign in only with it, and it signs in nobody else.
 */
export async function issueWorkstation(
  knex: Knex,
  ca: CaMaterialPair,
  scope: TenantScope,
  input: { tenantCode: string; name: string; now: Date; validityDays?: number; passphrase?: string; actor?: Actor; userLogin?: string },
): Promise<IssuedWorkstation> {
  const tenants = createTenantRepository();
  const workstations = createWorkstationRepository();
  const tenant = await inTenant(knex, scope, (trx) => tenants.findByCode(trx, input.tenantCode));
  if (tenant === undefined) throw new WorkstationError('TENANT_NOT_FOUND', `no tenant with code "${input.tenantCode}"`);
  let owner: { id: string; login: string } | undefined;
  if (input.userLogin !== undefined) {
    const login = input.userLogin.trim().toLowerCase();
    owner = await inTenant(knex, scope, (trx) => trx('users').where({ tenant_id: tenant.id, login }).first<{ id: string; login: string } | undefined>('id', 'login'));
    if (owner === undefined) throw new WorkstationError('USER_NOT_FOUND', `tenant ${tenant.code} has no user "${login}"`);
  }
  const name = owner === undefined ? input.name.trim() : userCertificateName(owner.login);

  const cert = await issueClientCertificate(ca, {
    commonName: name,
    organization: tenant.name,
    organizationalUnit: tenant.code,
    validityDays: input.validityDays ?? WORKSTATION_CERT_VALIDITY_DAYS,
    now: input.now,
    kind: owner === undefined ? 'workstation' : 'user',
  });
  const passphrase = input.passphrase ?? generatePassphrase();
  const p12 = buildPkcs12({ keyPem: cert.keyPem, certPem: cert.certPem, chainPems: [ca.certPem], passphrase, friendlyName: `${tenant.code}/${name}` });
  const encryptedKeyPem = encryptPrivateKey(cert.keyPem, passphrase).pem;

  const workstation = await inTenant(knex, scope, async (trx) => {
    const live = await trx('workstations').where({ tenant_id: tenant.id, name }).whereNull('revoked_at').first<{ id: string } | undefined>('id');
    if (live !== undefined) throw new WorkstationError('WORKSTATION_NAME_TAKEN', `tenant ${tenant.code} already has a live ${owner === undefined ? 'workstation' : 'user certificate'} "${name}"; revoke it first`);
    const row = await workstations.insert(trx, {
      tenantId: tenant.id,
      name,
      certSerial: cert.serialHex,
      certFingerprint: cert.fingerprint256,
      certNotAfter: cert.notAfter,
      ...(owner === undefined ? {} : { userId: owner.id }),
    });
    await appendAudit(trx, {
      tenantId: tenant.id,
      at: input.now,
      actorUserId: input.actor?.userId ?? null,
      workstationId: input.actor?.workstationId ?? null,
      sourceIp: input.actor?.sourceIp ?? null,
      action: owner === undefined ? 'workstation.issue' : 'workstation.issue_user',
      entity: 'workstation',
      entityId: row.id,
      details: { name, serial: cert.serialHex, fingerprint: cert.fingerprint256, notAfter: cert.notAfter.toISOString(), ...(owner === undefined ? {} : { userId: owner.id }) },
    });
    return row;
  });
  return { workstation, tenantCode: tenant.code, certPem: cert.certPem, encryptedKeyPem, caCertPem: ca.certPem, p12, passphrase };
}

/**
 * Revokes a workstation certificate (by id or serial) and ends its open sessions at once, with the
 * audit row, in one transaction. The next request with that certificate is refused on every instance.
 */
export async function revokeWorkstation(
  knex: Knex,
  scope: TenantScope,
  input: { key: string; reason: string; now: Date; actor?: Actor },
): Promise<{ workstation: WorkstationRow; endedSessions: number }> {
  const workstations = createWorkstationRepository();
  return inTenant(knex, scope, async (trx) => {
    const row = await workstations.findBySerialOrId(trx, input.key);
    if (row === undefined) throw new WorkstationError('WORKSTATION_NOT_FOUND', `no workstation with id or serial "${input.key}"`);
    const revoked = await workstations.revoke(trx, row.id, input.reason, input.now);
    if (!revoked) throw new WorkstationError('WORKSTATION_ALREADY_REVOKED', `workstation ${row.name} (${row.cert_serial}) is already revoked`);
    const endedSessions = await trx('sessions')
      .where({ workstation_id: row.id })
      .whereNull('ended_at')
      .update({ ended_at: input.now, end_reason: 'workstation_revoked' });
    await appendAudit(trx, {
      tenantId: row.tenant_id,
      at: input.now,
      actorUserId: input.actor?.userId ?? null,
      workstationId: input.actor?.workstationId ?? null,
      sourceIp: input.actor?.sourceIp ?? null,
      action: 'workstation.revoke',
      entity: 'workstation',
      entityId: row.id,
      details: { name: row.name, serial: row.cert_serial, reason: input.reason, endedSessions },
    });
    return { workstation: { ...row, revoked_at: input.now, revoked_reason: input.reason }, endedSessions };
  });
}
