import { expect } from 'vitest';
import type { Permission } from '../../../src/shared/domain/permissions.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { newKey, openTill } from '../../support/sales-fixtures.js';
import type { TestServer } from '../../support/test-server.js';

/** Noon (German time) of tomorrow: a fixed "now" that is always inside the test certificates' validity. */
export function tomorrowNoon(): Date {
  const d = new Date(Date.now() + 86_400_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 11, 0, 0));
}

export const days = (n: number) => n * 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const UNKNOWN_ID = '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c';

export interface Promoter {
  id: string;
  client: ApiClient;
}

/** A promoter tenant below the operator, with a workstation and a logged-in manager holding events.manage. */
export async function createPromoter(server: TestServer, code: string, permissions: readonly Permission[] = ['events.manage']): Promise<Promoter> {
  const id = await server.tdb.asAdmin(async (admin) => {
    const [row] = await admin('tenants').insert({ kind: 'promoter', code, name: `Veranstalter ${code}`, parent_id: server.tenants.operator }).returning<Array<{ id: string }>>('id');
    return row!.id;
  });
  const ws = await server.registerWorkstation(id, `${code}-buero`);
  const client = await loginAs(server, ws, await createUser(server, id, `${code}.chef`, permissions));
  return { id, client };
}

export interface Seller {
  client: ApiClient;
  sell(body: Record<string, unknown>): ReturnType<ApiClient['request']>;
}

/** A clerk of an outlet on a fresh workstation with an open till. */
export async function createSeller(server: TestServer, outletId: string, login: string, permissions: readonly Permission[] = ['sales.sell', 'sales.cancel']): Promise<Seller> {
  const ws = await server.registerWorkstation(outletId, `${login}-kasse`);
  const user = await createUser(server, outletId, login, permissions);
  await openTill(server, outletId, ws.id, user.id);
  const client = await loginAs(server, ws, user);
  return { client, sell: (body) => client.request('POST', '/api/v1/orders', body, { 'idempotency-key': newKey() }) };
}

/** A venue and a draft event 30 days ahead (sales from now on), through the API. */
export async function createDraftEvent(promoter: Promoter, now: Date, name = 'Sommerkonzert', venueName = 'Stadthalle'): Promise<{ eventId: string; venueId: string }> {
  const venue = await promoter.client.request('POST', '/api/v1/venues', { name: venueName, city: 'Hamburg' });
  expect(venue.status, venue.body).toBe(201);
  const event = await promoter.client.request('POST', '/api/v1/events', { venueId: venue.json.id, name, startsAt: iso(now.getTime() + days(30)) });
  expect(event.status, event.body).toBe(201);
  return { eventId: event.json.id, venueId: venue.json.id };
}

export async function auditActions(server: TestServer, tenantId: string, entityId: string): Promise<string[]> {
  return server.tdb.asAdmin((db) => db('audit_log').where({ tenant_id: tenantId, entity_id: entityId }).orderBy('seq').pluck('action'));
}
