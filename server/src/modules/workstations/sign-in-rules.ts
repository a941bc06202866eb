import type { Knex } from 'knex';
import { ErrorCode } from '../../../../src/shared/api/problem.js';
import { AppError, notFound } from '../../errors.js';
import { appendAudit, type AuditActor } from '../audit/repository.js';
import { DnSyntaxError, normalizeDn } from '../directory/dn.js';

/**
 * Certificates bound to people. Checked at sign-in, after the credentials are proven (so a refusal tells
 * nothing to somebody without the password):
 * - a user certificate (workstations.kind = 'user') signs in its owner and nobody else;
 * - a person who holds a live user certificate signs in only with it, never at a shared workstation;
 * - a workstation with sign-in rules admits only the users and directory groups they name.
 */
export type BindingVerdict =
  | { allowed: true }
  | { allowed: false; code: typeof ErrorCode.certificateNotForUser | typeof ErrorCode.userCertificateRequired; reason: 'user_certificate_of_another_user' | 'user_certificate_required' | 'workstation_bound_to_others' };

export interface SignInRuleRow {
  id: string;
  tenant_id: string;
  workstation_id: string;
  user_id: string | null;
  group_dn: string | null;
  created_at: Date;
  created_by: string | null;
}

export async function checkCertificateBinding(
  trx: Knex.Transaction,
  input: { workstationId: string; userId: string; groups: readonly string[]; now: Date },
): Promise<BindingVerdict> {
  const ws = await trx('workstations').where({ id: input.workstationId }).first<{ kind: 'workstation' | 'user'; user_id: string | null } | undefined>('kind', 'user_id');
  if (ws?.kind === 'user') {
    return ws.user_id === input.userId ? { allowed: true } : { allowed: false, code: ErrorCode.certificateNotForUser, reason: 'user_certificate_of_another_user' };
  }
  const own = await trx('workstations')
    .where({ kind: 'user', user_id: input.userId })
    .whereNull('revoked_at')
    .where('cert_not_after', '>', input.now)
    .first<{ id: string } | undefined>('id');
  if (own !== undefined) return { allowed: false, code: ErrorCode.userCertificateRequired, reason: 'user_certificate_required' };
  const rules = await trx('workstation_sign_in_rules').where({ workstation_id: input.workstationId }).select<Array<Pick<SignInRuleRow, 'user_id' | 'group_dn'>>>('user_id', 'group_dn');
  if (rules.length === 0) return { allowed: true };
  const admitted = rules.some((r) => r.user_id === input.userId || (r.group_dn !== null && input.groups.includes(r.group_dn)));
  return admitted ? { allowed: true } : { allowed: false, code: ErrorCode.certificateNotForUser, reason: 'workstation_bound_to_others' };
}

export const BINDING_TEXT: Record<Extract<BindingVerdict, { allowed: false }>['reason'], string> = {
  user_certificate_of_another_user: 'This certificate belongs to another person. Sign in with your own certificate.',
  user_certificate_required: 'You have a personal certificate; sign in only with it.',
  workstation_bound_to_others: 'You are not allowed to sign in at this workstation.',
};

export function createSignInRuleRepository() {
  return {
    list(db: Knex.Transaction, workstationId: string): Promise<SignInRuleRow[]> {
      return db('workstation_sign_in_rules').where({ workstation_id: workstationId }).orderBy([{ column: 'group_dn' }, { column: 'user_id' }]).select<SignInRuleRow[]>('*');
    },
    async replace(
      db: Knex.Transaction,
      input: { tenantId: string; workstationId: string; userIds: readonly string[]; groupDns: readonly string[]; createdBy: string | null; now: Date },
    ): Promise<{ before: SignInRuleRow[]; after: SignInRuleRow[] }> {
      const before = await this.list(db, input.workstationId);
      await db('workstation_sign_in_rules').where({ workstation_id: input.workstationId }).delete();
      const rows = [
        ...input.userIds.map((userId) => ({ user_id: userId, group_dn: null })),
        ...input.groupDns.map((groupDn) => ({ user_id: null, group_dn: groupDn })),
      ].map((r) => ({ ...r, tenant_id: input.tenantId, workstation_id: input.workstationId, created_at: input.now, created_by: input.createdBy }));
      if (rows.length > 0) await db('workstation_sign_in_rules').insert(rows);
      return { before, after: await this.list(db, input.workstationId) };
    },
  };
}

export interface SignInRulesView {
  /** false: no rules, every user of the tenant may sign in with this workstation certificate. */
  restricted: boolean;
  userIds: string[];
  groupDns: string[];
}

export function signInRulesView(rows: readonly SignInRuleRow[]): SignInRulesView {
  return {
    restricted: rows.length > 0,
    userIds: rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id])).sort(),
    groupDns: rows.flatMap((r) => (r.group_dn === null ? [] : [r.group_dn])).sort(),
  };
}

/** Group DNs in their stored (normalised) form; a malformed DN is a 400. */
export function normalizeGroupDns(dns: readonly string[]): string[] {
  try {
    return [...new Set(dns.map((dn) => normalizeDn(dn)))].sort();
  } catch (error) {
    if (error instanceof DnSyntaxError) throw new AppError(400, ErrorCode.validationFailed, `group DN: ${error.message}`);
    throw error;
  }
}

/**
 * Replaces who may sign in with a workstation certificate, with its audit row, on the caller's
 * transaction. User certificates take no rules (they sign in only their owner); the users must belong to
 * the workstation's tenant.
 */
export async function setSignInRules(
  trx: Knex.Transaction,
  input: { workstationId: string; userIds: readonly string[]; groupDns: readonly string[]; actor: AuditActor | null; now: Date },
): Promise<SignInRulesView> {
  const ws = await trx('workstations').where({ id: input.workstationId }).first<{ id: string; tenant_id: string; kind: string; name: string } | undefined>('id', 'tenant_id', 'kind', 'name');
  if (ws === undefined) throw notFound('Workstation');
  if (ws.kind === 'user') throw new AppError(409, 'WORKSTATION_IS_USER_CERTIFICATE', 'A user certificate signs in only its owner; it takes no sign-in rules.');
  const userIds = [...new Set(input.userIds)];
  const known = await trx('users').where({ tenant_id: ws.tenant_id }).whereIn('id', userIds).pluck<string[]>('id');
  if (known.length !== userIds.length) throw notFound('User');
  const { before, after } = await createSignInRuleRepository().replace(trx, {
    tenantId: ws.tenant_id,
    workstationId: ws.id,
    userIds,
    groupDns: normalizeGroupDns(input.groupDns),
    createdBy: input.actor?.userId ?? null,
    now: input.now,
  });
  await appendAudit(trx, {
    tenantId: ws.tenant_id,
    at: input.now,
    actorUserId: input.actor?.userId ?? null,
    workstationId: input.actor?.workstation.id ?? null,
    sourceIp: input.actor?.workstation.sourceIp ?? null,
    action: 'workstation.sign_in_rules_set',
    entity: 'workstation',
    entityId: ws.id,
    details: { name: ws.name, before: signInRulesView(before), after: signInRulesView(after) },
  });
  return signInRulesView(after);
}
