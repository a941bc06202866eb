/** An event name with markup and script is shown as text everywhere the sales screen shows it. */
import { STRONG_PASSWORD } from '../support/identity.js';
import { expect, shot, signIn, test } from './support/fixtures.js';

const PAYLOAD = 'Gala <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> & "Freunde"';

test('an XSS payload in an event name renders as text', async ({ station, state, world }, testInfo) => {
  const event = await world.salesEvent({ sellers: [state.tenants.outlet], rows: 1, seatsPerRow: 4 });
  await world.admin('events').where({ id: event.eventId }).update({ name: PAYLOAD });
  const { page } = await station('kasse-1');
  await signIn(page, state.users['clerk']!.login, STRONG_PASSWORD);
  const search = page.getByRole('combobox', { name: 'Veranstaltung suchen' });
  await search.fill('Gala');
  const option = page.getByRole('option', { name: /Gala/ });
  await expect(option).toContainText(PAYLOAD);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: PAYLOAD })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('main img, main script').count()).toBe(0);
  await shot(page, testInfo, 'xss-as-text');
});
