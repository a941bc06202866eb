import { describe, expect, it } from 'vitest';
import { ok } from '../../../src/shared/api-client/errors.js';
import { isAllowedApiRoute } from '../../../src/shared/ipc/api.js';
import { apiHandlers } from '../../../src/main/ipc/handlers/api.js';
import type { Station } from '../../../src/main/services/station.js';

const ORDER_ID = '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1a';

function fakeStation() {
  const sent: unknown[] = [];
  const backend = {
    http: {
      request: async (spec: unknown) => {
        sent.push(spec);
        return ok({ answered: true });
      },
    },
  };
  const station = { ready: async () => undefined, backend: () => backend } as unknown as Station;
  return { station, sent };
}

describe('the station API channel', () => {
  it('allows the screens’ routes with UUID parameters only', () => {
    expect(isAllowedApiRoute('GET', '/api/v1/events')).toBe(true);
    expect(isAllowedApiRoute('GET', `/api/v1/orders/${ORDER_ID}`)).toBe(true);
    expect(isAllowedApiRoute('POST', `/api/v1/orders/${ORDER_ID}/cancel`)).toBe(true);
    expect(isAllowedApiRoute('DELETE', `/api/v1/orders/${ORDER_ID}`)).toBe(false);
    expect(isAllowedApiRoute('GET', '/api/v1/orders/../users')).toBe(false);
    expect(isAllowedApiRoute('GET', '/api/v1/orders/not-a-uuid')).toBe(false);
    expect(isAllowedApiRoute('DELETE', '/api/v1/users')).toBe(false);
    expect(isAllowedApiRoute('GET', '/api/v1/directory/config')).toBe(false);
    expect(isAllowedApiRoute('POST', '/api/v1/ca/workstations')).toBe(false);
  });

  it('forwards an allowed request with the session and no token from the renderer', async () => {
    const { station, sent } = fakeStation();
    const result = await apiHandlers(station).request({ method: 'POST', path: '/api/v1/orders', body: { a: 1 }, idempotent: true, expectBody: true });
    expect(result).toEqual({ ok: true, value: { answered: true } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v1/orders', body: { a: 1 }, auth: 'session', idempotent: true });
  });

  it('refuses a route outside the list without sending anything', async () => {
    const { station, sent } = fakeStation();
    const result = await apiHandlers(station).request({ method: 'GET', path: '/api/v1/directory/config', expectBody: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'API_ROUTE_NOT_ALLOWED' } });
    expect(sent).toEqual([]);
  });
});
