import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { inTenant } from '../../db/tenant-scope.js';
import type { TenantKind } from '../../../../src/shared/api/system.js';
import { PERMISSIONS, ROLE_TEMPLATES, type Permission } from '../../../../src/shared/domain/permissions.js';
import { appendAudit } from '../audit/repository.js';
import type { CaMaterialPair } from '../ca/store.js';
import { generateInitialPassword, INITIAL_PASSWORD_VALIDITY_MS } from '../identity/initial-password.js';
import { hashPassword } from '../identity/password-hash.js';
import { createPermissionRepository } from '../identity/permissions-repository.js';
import { createUserRepository } from '../identity/users-repository.js';
import { createTenantRepository } from '../tenants/repository.js';
import { issueWorkstation, type IssuedWorkstation } from '../workstations/service.js';

interface DemoTenant {
  kind: TenantKind;
  code: string;
  name: string;
  users: Array<{ login: string; displayName: string; permissions: readonly Permission[] }>;
  workstations: string[];
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    kind: 'operator',
    code: 'plattform',
    name: 'Ticketplattform Betreiber GmbH',
    users: [
      { login: 'admin', displayName: 'Plattform-Administration', permissions: PERMISSIONS },
      { login: 'buchhaltung', displayName: 'Buchhaltung Plattform', permissions: ROLE_TEMPLATES.accountant },
    ],
    workstations: ['backoffice-1'],
  },
  {
    kind: 'promoter',
    code: 'konzertbuero-nord',
    name: 'Konzertbüro Nord GmbH',
    users: [
      { login: 'nord.leitung', displayName: 'Leitung Konzertbüro Nord', permissions: ROLE_TEMPLATES.manager },
      { login: 'nord.einlass', displayName: 'Einlass Konzertbüro Nord', permissions: ROLE_TEMPLATES.entry },
    ],
    workstations: ['einlass-1'],
  },
  {
    kind: 'outlet',
    code: 'vvk-hauptbahnhof',
    name: 'Vorverkauf am Hauptbahnhof',
    users: [
      { login: 'hbf.leitung', displayName: 'Leitung VVK Hauptbahnhof', permissions: ROLE_TEMPLATES.manager },
      { login: 'hbf.kasse', displayName: 'Kasse VVK Hauptbahnhof', permissions: ROLE_TEMPLATES.clerk },
    ],
    workstations: ['kasse-1'],
  },
  {
    kind: 'outlet',
    code: 'vvk-altstadt',
    name: 'Ticketshop Altstadt',
    users: [
      { login: 'alt.leitung', displayName: 'Leitung Ticketshop Altstadt', permissions: ROLE_TEMPLATES.manager },
      { login: 'alt.kasse', displayName: 'Kasse Ticketshop Altstadt', permissions: ROLE_TEMPLATES.clerk },
    ],
    workstations: ['kasse-1'],
  },
];

export interface DemoResult {
  created: boolean;
  users: Array<{ tenant: string; login: string; initialPassword: string }>;
  workstations: IssuedWorkstation[];
}

/**
 * Demo data for trying the product: tenants, users with printed one-time passwords (valid 72 hours,
 * first login forces a change) and one workstation certificate per tenant. Does nothing when the demo
 * operator exists already. Callers refuse this in production mode.
 */
export async function seedDemo(knex: Knex, ca: CaMaterialPair, now: Date): Promise<DemoResult> {
  const tenants = createTenantRepository();
  const users = createUserRepository();
  if ((await tenants.findOperator(knex)) !== undefined) return { created: false, users: [], workstations: [] };

  const plan = await Promise.all(
    DEMO_TENANTS.flatMap((t) =>
      t.users.map(async (u) => {
        const initialPassword = generateInitialPassword();
        return { tenant: t.code, ...u, initialPassword, hash: await hashPassword(initialPassword) };
      }),
    ),
  );

  // One transaction: a failure half-way leaves no partial demo behind that the next run would skip.
  // It acts as the (new) operator over its sub-tenants.
  const operatorId = randomUUID();
  const scope = { tenantId: operatorId, includeChildren: true };
  const workstations: IssuedWorkstation[] = [];
  await inTenant(knex, scope, async (trx) => {
    for (const t of DEMO_TENANTS) {
      const operator = t.kind === 'operator';
      const tenant = await tenants.insert(trx, { ...(operator ? { id: operatorId } : {}), kind: t.kind, code: t.code, name: t.name, parentId: operator ? null : operatorId });
      await appendAudit(trx, { tenantId: tenant.id, at: now, action: 'tenant.create', entity: 'tenant', entityId: tenant.id, details: { code: t.code, kind: t.kind, source: 'demo' } });
      for (const u of plan.filter((p) => p.tenant === t.code)) {
        const user = await users.insert(trx, {
          tenantId: tenant.id,
          login: u.login,
          displayName: u.displayName,
          passwordHash: u.hash,
          initialPasswordExpiresAt: new Date(now.getTime() + INITIAL_PASSWORD_VALIDITY_MS),
          createdBy: null,
          now,
        });
        await createPermissionRepository().replace(trx, { tenantId: tenant.id, userId: user.id, permissions: u.permissions, grantedBy: null, now });
        await appendAudit(trx, { tenantId: tenant.id, at: now, action: 'user.create', entity: 'user', entityId: user.id, details: { login: u.login, permissions: [...u.permissions], source: 'demo' } });
      }
      for (const name of t.workstations) workstations.push(await issueWorkstation(trx, ca, scope, { tenantCode: t.code, name, now }));
    }
  });
  return { created: true, users: plan.map(({ tenant, login, initialPassword }) => ({ tenant, login, initialPassword })), workstations };
}
