/**
 * Which rights a granter may hand out: only those it holds itself, and the operator-only rights only to
 * operator staff — the same rule the server enforces (assertGrantable); the picker offers nothing more.
 */
import type { TenantKind } from '../../../shared/api/system.js';
import { OPERATOR_ONLY_PERMISSIONS, PERMISSIONS, ROLE_TEMPLATES, type Permission, type RoleTemplate } from '../../../shared/domain/permissions.js';

export function grantableRights(own: readonly string[], targetTenantKind: TenantKind): Permission[] {
  return PERMISSIONS.filter((p) => own.includes(p) && (targetTenantKind === 'operator' || !OPERATOR_ONLY_PERMISSIONS.has(p)));
}

/**
 * The server checks the whole new list (and what is removed) against the granter's rights, so a user
 * holding a right the granter lacks cannot be edited by that granter at all. These are those rights.
 */
export function lockedRights(targetHolds: readonly string[], grantable: readonly Permission[]): string[] {
  return targetHolds.filter((p) => !(grantable as readonly string[]).includes(p));
}

/** A role template cut down to what the granter may give; `complete` says whether nothing was cut. */
export function templateRights(template: RoleTemplate, grantable: readonly Permission[]): { rights: Permission[]; complete: boolean } {
  const wanted: readonly Permission[] = ROLE_TEMPLATES[template];
  const rights = wanted.filter((p) => grantable.includes(p));
  return { rights, complete: rights.length === wanted.length };
}

export const ROLE_TEMPLATE_NAMES = Object.keys(ROLE_TEMPLATES) as RoleTemplate[];
