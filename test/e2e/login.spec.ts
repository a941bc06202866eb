/**
 * First sign-in: the initial password must be changed before any screen opens, with the rules checked
 * live; a second sign-in elsewhere ends the first session, and the first station says why.
 */
import { INITIAL_PASSWORD } from './global-setup.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

const NEW_PASSWORD = 'Nordlicht über Kiel 2026!';

test('a clerk signs in for the first time and changes the password', async ({ station, state }, testInfo) => {
  const { page } = await station('kasse-1');
  const newcomer = state.users['newcomer']!;
  await page.goto('/app/');
  await expect(page.getByTestId('certificate-status')).toContainText('Arbeitsplatz erkannt: kasse-1 (VVK Nord)');
  await shot(page, testInfo, 'login');
  await expectAccessible(page, 'login screen');

  await signIn(page, newcomer.login, INITIAL_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Neues Passwort festlegen' })).toBeVisible();
  // No screen before the change.
  await expect(page.getByRole('navigation')).toHaveCount(0);
  const rule = (id: string) => page.locator(`[data-rule="${id}"]`);
  await page.getByLabel('Bisheriges Passwort').fill(INITIAL_PASSWORD);
  await page.getByLabel('Neues Passwort', { exact: true }).fill('neumann');
  await expect(rule('not_login')).toHaveAttribute('data-passed', 'false');
  await expect(rule('upper')).toHaveAttribute('data-passed', 'false');
  await expect(page.getByRole('button', { name: 'Passwort ändern' })).toBeDisabled();
  await shot(page, testInfo, 'password-rules-open');
  await expectAccessible(page, 'password change');

  await page.getByLabel('Neues Passwort', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Neues Passwort wiederholen').fill(NEW_PASSWORD);
  for (const id of ['min_length', 'upper', 'lower', 'digit', 'special', 'not_login', 'match']) await expect(rule(id)).toHaveAttribute('data-passed', 'true');
  await shot(page, testInfo, 'password-rules-met');
  await page.getByRole('button', { name: 'Passwort ändern' }).click();

  await expect(page.getByRole('navigation', { name: 'Bereiche' })).toBeVisible();
  await expect(page.getByText('Angemeldet: Nina Neumann')).toBeVisible();
  await expect(page.getByTestId('session-left')).toContainText(/Sitzung endet in 7:5\d h/);
  await shot(page, testInfo, 'first-screen');

  // The same person signs in at another workstation: this station's session ends, and it says why.
  const other = await station('buero-1');
  await signIn(other.page, newcomer.login, NEW_PASSWORD);
  await expect(other.page.getByRole('navigation', { name: 'Bereiche' })).toBeVisible();
  // The next request of the first station (opening the orders screen lists today's orders) learns it.
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('session-notice')).toHaveText('Sie wurden abgemeldet, weil Sie sich an einem anderen Arbeitsplatz angemeldet haben.');
  await shot(page, testInfo, 'superseded-notice');
});
