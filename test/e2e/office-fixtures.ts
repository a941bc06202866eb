/**
 * Seeds for the back-office specs (invoicing, admin, audit): their own workstations and users, the
 * outlet's billing data and unpaid business orders, inserted as the database owner like test/support.
 */
import type { Permission } from '../../src/shared/domain/permissions.js';
import { insertBusinessOrder, profileOf } from '../support/invoicing-fixtures.js';
import type { World } from './support/world.js';

export interface Desk {
  readonly workstation: string;
  readonly workstationId: string;
  readonly id: string;
  readonly login: string;
  readonly password: string;
}

/** A workstation and a user with exactly these rights in the tenant. */
export async function desk(world: World, tenantId: string, name: string, login: string, permissions: readonly Permission[], displayName: string): Promise<Desk> {
  const station = await world.workstation(tenantId, name);
  const user = await world.user(tenantId, login, permissions, { displayName });
  return { workstation: name, workstationId: station.id, ...user };
}

/** The outlet's billing data (needed to issue), kept if a spec before entered it already. */
export async function billingProfile(world: World, tenantId: string, userId: string): Promise<void> {
  const p = profileOf('VVK Nord GmbH');
  await world
    .admin('tenant_billing_profiles')
    .insert({
      tenant_id: tenantId,
      legal_name: p.legalName,
      street: p.street,
      postal_code: p.postalCode,
      city: p.city,
      country: p.country,
      tax_number: p.taxNumber,
      vat_id: p.vatId,
      email: p.email,
      iban: p.iban,
      bank_name: p.bankName,
      updated_at: new Date(),
      updated_by: userId,
    })
    .onConflict('tenant_id')
    .ignore();
}

/** An unpaid business order of the outlet for the shared event: `quantity` general-admission tickets at 35 €. */
export async function businessOrder(world: World, by: Desk, quantity: number): Promise<{ id: string; orderNumber: number; totalCents: number }> {
  return insertBusinessOrder({ tdb: { asAdmin: <T>(fn: (knex: typeof world.admin) => Promise<T>) => fn(world.admin) } } as never, {
    tenantId: world.state.tenants.outlet,
    userId: by.id,
    workstationId: by.workstationId,
    fx: world.state.event,
    tickets: [{ categoryId: world.state.event.gaCategoryId, priceCents: 3500, vatRateBp: 700, quantity }],
  });
}
