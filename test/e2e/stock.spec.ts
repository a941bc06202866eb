/**
 * Printing and stock in the browser: the paper tray with its counter and a warning level, the print
 * queue with a job the printer never finished, spoiling one of its blanks in three inputs (number,
 * reason, Enter), and the stock report that accounts for it. Printer and calibration are desktop-only,
 * and the screen says so.
 */
import { stockScenario } from './floor-fixtures.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

test('a head clerk sees the tray and the queue, spoils a jammed blank in three inputs and finds it in the stock report', async ({ world, station }, testInfo) => {
  const scenario = await stockScenario(world);
  const [first, second] = scenario.pendingBlanks;
  const { page } = await station(scenario.station.workstation);
  await signIn(page, scenario.station.login, scenario.station.password);
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('button', { name: /Druck und Bestand/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('printer-web-only')).toContainText('nur an der Station');
  await expect(page.getByTestId('tray-state')).toContainText(`Nächstes Blanko: Nr. ${(second ?? 0) + 1}`);

  // A warning level above what is left turns the counter into a warning, in words and with a symbol.
  const level = page.getByLabel('Warnen, wenn weniger Blankos im Fach sind als');
  await level.fill('50');
  await level.press('Enter');
  await expect(page.getByTestId('tray-state')).toContainText(/Wenige Blankos: nur noch \d+ \(Warnung ab 50\)/);

  const queue = page.getByTestId('print-queue');
  await expect(queue.locator('tbody tr')).toHaveCount(1);
  await expect(queue).toContainText(`${first}, ${second}`);
  await shot(page, testInfo, 'stock-tray-and-queue');
  await expectAccessible(page, 'printing and stock');

  // Three inputs: the blank number, the reason, Enter.
  await page.getByLabel('Blanko-Nr.').fill(String(second));
  await page.getByLabel('Grund', { exact: true }).selectOption('misprint');
  await page.getByLabel('Blanko-Nr.').press('Enter');
  await expect(page.getByTestId('stock-notice')).toHaveText(`✓ Verworfen: Blanko ${second}.`);
  await expect(queue).not.toContainText(String(second));
  await expect(queue).toContainText(String(first));

  const report = page.getByTestId('stock-report');
  await expect(report).toContainText('Der Bestand geht auf');
  await expect(page.getByTestId('stock-total-spoiled')).toHaveText('1');
  await expect(page.getByTestId('stock-total-pending')).toHaveText('1');
  await shot(page, testInfo, 'stock-blank-spoiled');
  await expectAccessible(page, 'printing and stock after spoiling');

  // A number outside any open job is refused with what to do instead; nothing changes.
  await page.getByLabel('Blanko-Nr.').fill('7030');
  await page.getByLabel('Blanko-Nr.').press('Enter');
  await expect(page.getByRole('alert')).toContainText('gehört zu keinem offenen Druckauftrag');
  await expect(page.getByTestId('stock-total-spoiled')).toHaveText('1');
});
