/**
 * Entry staff at a gate, in Chromium against the real server over mutual TLS: a reprinted ticket's old
 * barcode is refused as replaced, the new one admits, and scanning it again says when, where and on which
 * device it was used — all through the keyboard-wedge path (fast key bursts ending in Enter), no mouse.
 */
import { entryScenario, wedgeScan } from './floor-fixtures.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

/** 10 mm at the CSS reference of 96 px per inch. */
const TEN_MM_PX = (10 / 25.4) * 96;

test('scans the old code of a reprinted ticket (replaced) and the new one (admitted) with a keyboard-wedge scanner', async ({ world, station }, testInfo) => {
  const scenario = await entryScenario(world);
  const { page } = await station(scenario.gate.workstation);
  await signIn(page, scenario.gate.login, scenario.gate.password);
  await expect(page.getByRole('navigation')).toBeVisible();
  // The gate user sees the entry screen only; Alt+5 opens it from the keyboard.
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { name: 'Einlass beginnen' })).toBeVisible();
  await expect(page.getByLabel('Einlassliste')).toHaveValue(/.+/);
  await expect(page.getByLabel('Einlassliste').locator('option:checked')).toHaveText(`${scenario.eventName} – ${scenario.listName}`);
  await page.getByLabel('Name des Tores').fill('Nord 1');
  await shot(page, testInfo, 'entry-setup');
  await expectAccessible(page, 'entry setup');
  await page.keyboard.press('Enter');
  const input = page.getByTestId('entry-scan-input');
  await expect(input).toBeFocused();
  await expect(page.getByTestId('entry-status')).toContainText('Online');
  await expect(page.getByTestId('entry-count-expected')).toHaveText('1');

  const verdict = page.getByTestId('entry-verdict');
  const word = page.getByTestId('entry-verdict-word');
  // A scanner types the digits a few milliseconds apart and ends with Enter.
  await wedgeScan(page, scenario.oldCode);
  await expect(verdict).toHaveAttribute('data-verdict', 'replaced');
  await expect(verdict).toHaveAttribute('data-tone', 'refuse');
  await expect(word).toHaveText('ERSETZT');
  await expect(page.getByTestId('entry-verdict-reason')).toHaveText(/neu gedruckt.*Nicht einlassen/);
  await expect(input).toHaveValue('');
  // Recognised as a scanner burst, not as digits typed by hand.
  await expect(verdict).not.toContainText('von Hand eingegeben');
  await expect(page.getByTestId('entry-countdown')).toHaveText(/schließt in \d s/);
  const box = await word.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(TEN_MM_PX);
  await shot(page, testInfo, 'entry-old-code-replaced');
  await expectAccessible(page, 'entry refused');

  await wedgeScan(page, scenario.newCode);
  await expect(verdict).toHaveAttribute('data-verdict', 'admitted');
  await expect(verdict).toHaveAttribute('data-tone', 'admit');
  await expect(word).toHaveText('EINLASS');
  await expect(verdict).not.toContainText('von Hand eingegeben');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('entry-count-inside')).toHaveText('1');
  await shot(page, testInfo, 'entry-new-code-admitted');
  await expectAccessible(page, 'entry admitted');

  // The same code typed by hand, digit by digit (a damaged label): checked too, and marked as typed.
  await page.keyboard.type(`${scenario.newCode}\n`, { delay: 120 });
  await expect(verdict).toHaveAttribute('data-verdict', 'already_admitted');
  await expect(verdict).toContainText('von Hand eingegeben');
  await expect(word).toHaveText('BEREITS BENUTZT');
  await expect(page.getByTestId('entry-verdict-reason')).toHaveText(new RegExp(`an Tor Nord 1 \\(Gerät ${scenario.gate.workstation}\\)`));
  // The last scans, newest first: every verdict as word and symbol.
  await expect(page.getByTestId('entry-recent').locator('li')).toHaveText([/BEREITS BENUTZT/, /EINLASS/, /ERSETZT/]);
  await shot(page, testInfo, 'entry-already-used');

  // Esc closes the verdict at once; the field keeps the focus for the next scan.
  await page.keyboard.press('Escape');
  await expect(verdict).toHaveAttribute('data-tone', 'idle');
  await expect(input).toBeFocused();
});
