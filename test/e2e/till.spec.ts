/**
 * A clerk's till in Chromium against the real server: open with a float, the interim report on request,
 * the blind closing count (no expected amount on screen while counting) with a reason for the difference,
 * the numbered closing report and its PDF.
 */
import { readFile } from 'node:fs/promises';
import { tillScenario } from './floor-fixtures.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

test('opens the till with a float and closes it with a blind count, a reason for the difference and a numbered Z report', async ({ world, station }, testInfo) => {
  const clerk = await tillScenario(world);
  const { page } = await station(clerk.workstation);
  await signIn(page, clerk.login, clerk.password);
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.keyboard.press('Alt+3');
  const float = page.getByLabel('Wechselgeld (Anfangsbestand) in €');
  await expect(float).toBeFocused();
  await shot(page, testInfo, 'till-closed');
  await expectAccessible(page, 'till closed');
  await float.fill('150');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Kasse geöffnet' })).toBeVisible();

  // Running totals only on request (Alt+X): the float is the expected cash so far.
  await expect(page.getByTestId('till-totals')).toHaveCount(0);
  await page.keyboard.press('Alt+x');
  await expect(page.getByTestId('till-totals')).toContainText('150,00');
  await shot(page, testInfo, 'till-interim-report');
  await expectAccessible(page, 'till open');

  // Blind count: the interim report and every expected amount leave the screen.
  await page.keyboard.press('Alt+z');
  const counted = page.getByLabel('Gezähltes Bargeld in €');
  await expect(counted).toBeFocused();
  await expect(page.getByTestId('till-totals')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('150,00');
  await counted.fill('145,50');
  await shot(page, testInfo, 'till-blind-count');
  await page.keyboard.press('Enter');
  const reason = page.getByLabel('Grund der Differenz');
  await expect(reason).toBeFocused();
  await expect(page.locator('body')).not.toContainText('150,00');
  await reason.fill('Wechselgeld falsch herausgegeben');
  await shot(page, testInfo, 'till-difference-reason');
  await expectAccessible(page, 'till reason');
  await page.keyboard.press('Enter');

  const closing = page.getByTestId('till-closing');
  await expect(closing.getByRole('heading')).toHaveText(/Kassenabschluss Z-\d{4}-1/);
  await expect(page.getByTestId('till-difference')).toHaveText(/-4,50\s€ \(Fehlbetrag\)/);
  await expect(closing).toContainText('Wechselgeld falsch herausgegeben');
  const closings = page.getByTestId('till-closings');
  await expect(closings.locator('tbody tr')).toHaveCount(1);
  await shot(page, testInfo, 'till-z-report');
  await expectAccessible(page, 'till closed with report');

  // The stored Z report as PDF.
  const download = page.waitForEvent('download');
  await closings.getByRole('button', { name: /PDF öffnen/ }).click();
  const file = await (await download).path();
  expect((await readFile(file)).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Done: the next opening suggests the counted cash as float.
  await page.getByRole('button', { name: 'Fertig' }).click();
  await expect(page.getByLabel('Wechselgeld (Anfangsbestand) in €')).toHaveValue('145,50');
});
