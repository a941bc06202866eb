import { describe, expect, it } from 'vitest';
import { maintenanceApi } from '../../../../src/renderer/app/maintenance.js';
import { adminApi } from '../../../../src/renderer/features/admin/api.js';
import { auditApi } from '../../../../src/renderer/features/audit/api.js';
import { intrusionApi } from '../../../../src/renderer/features/intrusion/api.js';
import { invoicingApi } from '../../../../src/renderer/features/invoicing/api.js';
import { ordersApi } from '../../../../src/renderer/features/orders/api.js';
import { salesApi } from '../../../../src/renderer/features/sales/api.js';
import { createStockBackend } from '../../../../src/renderer/features/stock/backend.js';
import { createTillBackend } from '../../../../src/renderer/features/till/backend.js';
import type { Backend } from '../../../../src/renderer/lib/backend.js';
import { isAllowedApiRoute, type ApiMethod } from '../../../../src/shared/ipc/api.js';

/**
 * At the station every screen request goes through main's allow-list (src/shared/ipc/api.ts). A route a
 * screen uses but the list lacks works in the browser and fails only at the counter, so every request
 * function of every screen API is called here and its method and path checked against the list.
 */
const UUID = '0b7c4a52-3f0e-4a8e-9c41-2d3b5e6f7a80';

interface Seen {
  readonly method: ApiMethod;
  readonly path: string;
}

function recordingBackend(seen: Seen[]): Backend {
  const request = (async (spec: { method: ApiMethod; path: string }) => {
    seen.push({ method: spec.method, path: spec.path });
    return { ok: false, error: { code: 'NOT_FOUND', status: 404, message: 'recorded' } };
  }) as unknown as Backend['request'];
  return { request, fetchDocument: undefined } as unknown as Backend;
}

/**
 * Calls every function of an API object with UUIDs for its arguments (bodies do not matter here), or
 * with a date first where it wants one; returns the names of request functions that sent nothing.
 */
async function callAll(api: object, seen: Seen[]): Promise<string[]> {
  const silent: string[] = [];
  for (const [name, value] of Object.entries(api)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => Promise<unknown>;
    const before = seen.length;
    let result: unknown;
    try {
      result = await fn(UUID, UUID, UUID);
    } catch {
      result = await fn(new Date('2026-12-04T12:00:00Z'), UUID, UUID);
    }
    // Path builders for documents (PDF, XML, CSV) are fetched in the browser only.
    if (typeof result === 'string') continue;
    if (seen.length === before) silent.push(name);
  }
  return silent;
}

describe('station route allow-list', () => {
  it('allows every request the screens send', async () => {
    const seen: Seen[] = [];
    const backend = recordingBackend(seen);
    const apis = [adminApi(backend), auditApi(backend), intrusionApi(backend), invoicingApi(backend), ordersApi(backend), salesApi(backend), createStockBackend(backend), createTillBackend(backend), maintenanceApi(backend)];
    const silent: string[] = [];
    for (const api of apis) silent.push(...(await callAll(api, seen)));
    expect(silent).toEqual([]);
    expect(seen.length).toBeGreaterThan(50);
    const refused = seen.filter((request) => !isAllowedApiRoute(request.method, request.path));
    // Routes the station reaches through its own IPC areas instead (printing, entry, auth) are listed here.
    const throughIpc = [/^POST \/api\/v1\/orders\/[^/]+\/print-jobs$/, /^POST \/api\/v1\/tickets\/[^/]+\/reprint$/, /^POST \/api\/v1\/print-jobs\/[^/]+\/confirm$/];
    const unexpected = refused.map((r) => `${r.method} ${r.path}`).filter((line) => !throughIpc.some((pattern) => pattern.test(line)));
    expect(unexpected).toEqual([]);
  });

  it('still refuses what no screen uses', () => {
    expect(isAllowedApiRoute('POST', `/api/v1/workstations/${UUID}/revoke`)).toBe(true);
    expect(isAllowedApiRoute('DELETE', '/api/v1/audit')).toBe(false);
    expect(isAllowedApiRoute('POST', '/api/v1/intrusion/blocks')).toBe(false);
    expect(isAllowedApiRoute('GET', '/api/v1/users/not-a-uuid/permissions')).toBe(false);
  });
});
