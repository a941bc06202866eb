/**
 * Administration in Chromium against the real server: a manager creates a user and sees the initial
 * password once (and the new user can sign in with it, straight into the forced change), ends and
 * lists sessions, revokes a workstation; a promoter sees the sales chart of its event and lays out a
 * new seated event with a seat plan.
 */
import { businessOrder, desk } from './office-fixtures.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

test('an admin creates a user and sees the one-time password; revokes a workstation', async ({ world, station }, testInfo) => {
  const outlet = world.state.tenants.outlet;
  const manager = await desk(world, outlet, 'verwaltung-1', 'office.leitung', ['users.manage', 'workstations.manage', 'sales.sell', 'entry.scan'], 'Lena Leitung');
  await world.workstation(outlet, 'alt-kasse-7');

  const { page } = await station(manager.workstation);
  await signIn(page, manager.login, manager.password);
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.keyboard.press('Alt+7');
  await expect(page.getByRole('heading', { name: 'Verwaltung', level: 2 })).toBeVisible();
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Neuen Benutzer anlegen' }) });
  // Only the manager's own rights are offered (never tenants.manage or invoicing rights).
  await expect(form.getByRole('checkbox')).toHaveCount(4);
  await expect(form.getByRole('checkbox', { name: /Rechnungen/ })).toHaveCount(0);
  await shot(page, testInfo, 'admin-users');
  await expectAccessible(page, 'admin users');

  await form.getByLabel(/Anmeldename/).fill('office.neu');
  await form.getByLabel('Vollständiger Name').fill('Nils Neu');
  await form.getByRole('button', { name: 'Einlass' }).click();
  await expect(form.getByRole('checkbox', { name: /Einlass scannen/ })).toBeChecked();
  await form.getByRole('button', { name: 'Benutzer anlegen' }).click();
  const secret = page.getByTestId('one-time-password');
  await expect(secret).toBeFocused();
  const password = ((await secret.textContent()) ?? '').trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  await expect(page.getByRole('heading', { name: 'Startpasswort für office.neu' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Benutzer des Mandanten' })).toContainText('office.neu');
  await shot(page, testInfo, 'admin-one-time-password');
  await expectAccessible(page, 'one-time password');
  await page.getByRole('button', { name: /Passwort übergeben/ }).click();
  await expect(secret).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(password);
  await expect(form.getByLabel(/Anmeldename/)).toBeFocused();

  // Sessions: the manager's own is listed with an end button.
  await page.keyboard.press('Alt+i');
  await expect(page.getByRole('button', { name: 'Sitzung beenden: office.leitung an verwaltung-1' })).toBeVisible();
  await shot(page, testInfo, 'admin-sessions');
  await expectAccessible(page, 'admin sessions');

  // Workstations: revoking needs a reason and ends every session there.
  await page.keyboard.press('Alt+a');
  await page.getByRole('combobox', { name: /^Arbeitsplatz/ }).selectOption({ label: 'alt-kasse-7' });
  await page.getByLabel('Grund (Pflicht)').fill('Gerät ausgemustert');
  await page.getByRole('button', { name: /Zertifikat sperren/ }).click();
  await expect(page.getByText('Arbeitsplatz alt-kasse-7 gesperrt.')).toBeVisible();
  await expect(page.getByRole('row', { name: /alt-kasse-7/ })).toContainText('Gerät ausgemustert');
  await shot(page, testInfo, 'admin-workstations');
  await expectAccessible(page, 'admin workstations');

  // The new user signs in with the initial password and must set an own one first.
  const second = await station(manager.workstation);
  await signIn(second.page, 'office.neu', password);
  await expect(second.page.getByRole('heading', { name: 'Neues Passwort festlegen' })).toBeVisible();
  await shot(second.page, testInfo, 'admin-new-user-first-login');
});

test('a promoter sees the sales chart of its event and lays out a seated event', async ({ world, station }, testInfo) => {
  const promoter = await desk(world, world.state.event.promoterId, 'veranstalter-1', 'office.veranstalter', ['events.manage'], 'Paula Promo');
  const seller = await desk(world, world.state.tenants.outlet, 'verkauf-2', 'office.verkauf', ['sales.sell'], 'Vera Verkauf');
  await businessOrder(world, seller, 3);

  const { page } = await station(promoter.workstation);
  await signIn(page, promoter.login, promoter.password);
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.keyboard.press('Alt+7');
  await expect(page.getByRole('tab', { name: /Veranstaltungen/ })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('table', { name: 'Ihre Veranstaltungen' }).getByRole('button', { name: 'Sommerkonzert' }).click();
  await expect(page.getByRole('heading', { name: 'Sommerkonzert', exact: true })).toBeFocused();
  await expect(page.getByRole('img', { name: 'Verkaufte Tickets pro Tag' })).toBeVisible();
  await expect(page.getByTestId('category-bar').filter({ hasText: 'Stehplatz' })).toContainText(/\d+\/200/);
  await shot(page, testInfo, 'admin-event-sales-chart');
  await expectAccessible(page, 'event with chart');

  await page.getByRole('button', { name: 'Schließen' }).click();
  await page.getByLabel('Neuer Ort: Name').fill('Kulturhalle');
  await page.getByLabel('Stadt', { exact: true }).fill('Lübeck');
  await page.getByRole('button', { name: 'Ort anlegen' }).click();
  await expect(page.getByText('Ort Kulturhalle angelegt.')).toBeVisible();
  await page.getByLabel('Veranstaltung', { exact: true }).fill('Jazznacht');
  const start = new Date(Date.now() + 60 * 86_400_000);
  await page.getByLabel('Beginn').fill(`${start.toISOString().slice(0, 10)}T20:00`);
  await page.getByRole('button', { name: 'Veranstaltung anlegen (als Entwurf)' }).click();
  await expect(page.getByRole('heading', { name: 'Jazznacht', exact: true })).toBeFocused();
  await page.getByLabel('Name', { exact: true }).fill('Parkett');
  await page.getByLabel('Preis', { exact: true }).fill('42,00');
  await page.getByLabel(/Sitzplätze \(Kapazität aus dem Saalplan\)/).check();
  await page.getByRole('button', { name: 'Kategorie hinzufügen' }).click();
  await expect(page.getByText('Kategorie Parkett hinzugefügt.')).toBeVisible();
  await page.getByLabel('Saalplan-Definition').fill('Block A Reihe 1-2 Platz 1-10 Kategorie Parkett');
  await page.getByRole('button', { name: 'Plätze anlegen' }).click();
  await expect(page.getByText('20 Plätze angelegt.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Preiskategorien' }).getByRole('row', { name: /Parkett/ })).toContainText('20');
  await shot(page, testInfo, 'admin-event-seat-plan');
  await expectAccessible(page, 'event editor');
});
