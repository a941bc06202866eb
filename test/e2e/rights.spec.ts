/**
 * A user without rights: the navigation offers no screen that needs one, and the API refuses the same
 * requests when they are sent directly with the workstation's certificate and the user's own session.
 */
import { STRONG_PASSWORD } from '../support/identity.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

test('a user without rights sees no protected screen and the API refuses them too', async ({ station, state }, testInfo) => {
  const { page } = await station('buero-1');
  const nobody = state.users['nobody']!;
  await signIn(page, nobody.login, STRONG_PASSWORD);
  const navigation = page.getByRole('navigation', { name: 'Bereiche' });
  await expect(navigation).toBeVisible();
  // Only the system status needs no right.
  await expect(navigation.getByRole('button')).toHaveText([/Systemstatus/]);
  for (const digit of ['1', '2', '3', '4', '5', '6', '7', '8']) {
    await page.keyboard.press(`Alt+${digit}`);
    await expect(page.getByRole('heading', { name: 'Systemstatus', level: 2 })).toBeVisible();
  }
  // Asked for by address, the sales screen does not open either.
  await page.goto('/app/#/sales');
  await signIn(page, nobody.login, STRONG_PASSWORD);
  await expect(navigation.getByRole('button')).toHaveText([/Systemstatus/]);
  await expect(page.getByRole('heading', { name: 'Systemstatus', level: 2 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Veranstaltung suchen' })).toHaveCount(0);
  await shot(page, testInfo, 'no-rights');
  await expectAccessible(page, 'shell without rights');

  // Directly, with the same client certificate (the context's) and the user's own session.
  const api = page.request;
  expect((await api.get('/api/v1/orders')).status()).toBe(401);
  const login = await api.post('/api/v1/auth/login', { data: { login: nobody.login, password: STRONG_PASSWORD } });
  expect(login.status()).toBe(200);
  const auth = { authorization: `Bearer ${(await login.json()).token as string}` };
  const refused = async (method: 'GET' | 'POST', path: string, data?: unknown) => {
    const response = method === 'GET' ? await api.get(path, { headers: auth }) : await api.post(path, { headers: { ...auth, 'idempotency-key': crypto.randomUUID() }, data });
    return [response.status(), ((await response.json()) as { code: string }).code];
  };
  expect(await refused('GET', '/api/v1/orders')).toEqual([403, 'FORBIDDEN']);
  expect(await refused('GET', '/api/v1/till/current')).toEqual([403, 'FORBIDDEN']);
  expect(await refused('GET', '/api/v1/users')).toEqual([403, 'FORBIDDEN']);
  expect(await refused('GET', '/api/v1/audit')).toEqual([403, 'FORBIDDEN']);
  expect(await refused('GET', '/api/v1/invoices')).toEqual([403, 'FORBIDDEN']);
  expect(await refused('POST', '/api/v1/orders', { eventId: state.event.eventId, channel: 'counter', items: [{ categoryId: state.event.gaCategoryId, quantity: 1 }], payment: { method: 'cash', givenCents: 3500 } })).toEqual([
    403,
    'FORBIDDEN',
  ]);
  // Without the certificate nothing reaches the API at all (the TLS handshake fails).
});
