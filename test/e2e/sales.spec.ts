/**
 * The counter: a clerk sells 2 seats from the seat map and 3 general-admission tickets for cash,
 * prints them through the browser's print path (PDF, then "printed"), sells the fast lane (2 GA,
 * exact cash, printed) counting every input, and reprints one ticket with a reason.
 */
import { readFileSync } from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';
import { STRONG_PASSWORD } from '../support/identity.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

/** The PDF the page downloads when a print job is ready; saved into the test's output folder. */
async function savePrintedPdf(page: Page, testInfo: TestInfo, name: string, trigger: () => Promise<void>): Promise<Buffer> {
  const downloaded = page.waitForEvent('download');
  await trigger();
  const download = await downloaded;
  const file = testInfo.outputPath(`${name}.pdf`);
  await download.saveAs(file);
  const pdf = readFileSync(file);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  return pdf;
}

async function chooseEvent(page: Page, text: string, name: string) {
  const search = page.getByRole('combobox', { name: 'Veranstaltung suchen' });
  await expect(search).toBeFocused();
  await search.fill(text);
  await expect(page.getByRole('option', { name: new RegExp(name) })).toBeVisible();
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

test('a clerk sells seats and standing tickets for cash, prints them, sells the fast lane and reprints a ticket', async ({ station, state, world }, testInfo) => {
  // An event of this spec's own (other specs sell the shared one), and the next blank in kasse-1's tray.
  const event = await world.salesEvent({ gaCapacity: 200, rows: 4, seatsPerRow: 12, sellers: [state.tenants.outlet] });
  await world.admin('events').where({ id: event.eventId }).update({ name: 'Sommernacht am See' });
  const tray = await world.admin('print_trays').where({ workstation_id: state.workstations['kasse-1'] }).first<{ next_blank: string }>('next_blank');
  const first = Number(tray.next_blank);
  const blanks = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  const { page } = await station('kasse-1');
  const clerk = state.users['clerk']!;
  await signIn(page, clerk.login, STRONG_PASSWORD);
  await expect(page.getByTestId('session-left')).toContainText('Sitzung endet in 7:5');
  await expect(page.getByRole('button', { name: /Verkauf/ })).toHaveAttribute('aria-current', 'page');

  await chooseEvent(page, 'Sommernacht', 'Sommernacht am See');
  await expect(page.getByTestId('category-Stehplatz').getByTestId('remaining')).toHaveText('200');
  await shot(page, testInfo, 'sales-event');
  await expectAccessible(page, 'sales screen with seat map');

  // Two seats with the keyboard on the seat map: row 1, seats 1 and 2.
  const map = page.getByTestId('seatmap');
  await map.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('seatmap-current')).toHaveText(/Block A, Reihe 1, Platz 2, Kat 1 55,00\s€: ausgewählt/);
  // Three standing tickets: F1 three times.
  await page.keyboard.press('F1');
  await page.keyboard.press('F1');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('cart-total')).toHaveText(/215,00\s€/);
  await shot(page, testInfo, 'sales-cart');

  const firstSale = await savePrintedPdf(page, testInfo, 'tickets-sale-1', () => page.keyboard.press('F9'));
  expect(firstSale.length).toBeGreaterThan(1000);
  await expect(page.getByTestId('change')).toHaveText('Kein Rückgeld');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'confirm');
  await shot(page, testInfo, 'sales-print-confirm');
  await expectAccessible(page, 'print confirmation');
  await expect(page.getByRole('button', { name: 'Gedruckt (Enter)' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'printed');
  await expect(page.getByTestId('print-status')).toHaveText(`Gedruckt auf Blanko ${blanks(first, 5).join(', ')}.`);
  const orderNumber = Number((await page.getByTestId('sale-result').getByRole('heading').first().textContent())?.match(/\d+/)?.[0]);
  await expect(page.getByTestId('category-Stehplatz').getByTestId('remaining')).toHaveText('197');
  await shot(page, testInfo, 'sales-printed');

  // The server agrees: five active prints on those blanks.
  const prints = await world.admin('ticket_prints as p').join('tickets as t', 't.id', 'p.ticket_id').join('orders as o', 'o.id', 't.order_id').where('o.order_number', orderNumber).where('o.tenant_id', state.tenants.outlet).orderBy('p.blank_number').select('p.blank_number', 'p.status');
  expect(prints.map((p) => ({ blank_number: Number(p.blank_number), status: p.status }))).toEqual(blanks(first, 5).map((n) => ({ blank_number: n, status: 'active' })));

  // Fast lane (UX.md 2): 2 standing tickets, exact cash, printed. Inputs after the event is chosen:
  const inputs: string[] = [];
  const press = async (key: string) => {
    inputs.push(key);
    await page.keyboard.press(key);
  };
  await expect(page.getByRole('combobox', { name: 'Veranstaltung suchen' })).toBeFocused();
  await press('F1');
  await press('F1');
  await savePrintedPdf(page, testInfo, 'tickets-fast-lane', () => press('F9'));
  await expect(page.getByRole('button', { name: 'Gedruckt (Enter)' })).toBeFocused();
  await press('Enter');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'printed');
  expect(inputs).toEqual(['F1', 'F1', 'F9', 'Enter']);
  testInfo.annotations.push({ type: 'fast lane inputs', description: `${inputs.length} (${inputs.join(', ')})` });
  await shot(page, testInfo, 'sales-fast-lane');

  // Reprint one ticket of the first sale with a reason, on the orders screen (Alt+2).
  await page.keyboard.press('Alt+2');
  const orderSearch = page.getByLabel('Auftrag suchen: Nummer, Name oder Barcode scannen');
  await expect(orderSearch).toBeFocused();
  await orderSearch.fill(String(orderNumber));
  await orderSearch.press('Enter');
  const detail = page.getByTestId('order-detail');
  await expect(detail.getByRole('heading', { name: `Auftrag ${orderNumber}` })).toBeVisible();
  await expect(page.getByTestId('print-history').locator('tbody tr')).toHaveCount(5);
  await detail.getByRole('button', { name: 'Nachdruck' }).first().click();
  const confirm = page.getByTestId('reprint-confirm');
  await expect(confirm).toContainText(`Der bisherige Barcode (Blanko ${first}) wird sofort ungültig`);
  await confirm.getByRole('combobox').selectOption('damaged');
  await confirm.getByRole('textbox').fill('Kaffee verschüttet');
  await shot(page, testInfo, 'orders-reprint-confirm');
  await expectAccessible(page, 'orders screen with reprint confirmation');
  await savePrintedPdf(page, testInfo, 'tickets-reprint', () => confirm.getByRole('button', { name: 'Jetzt nachdrucken' }).click());
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'printed');
  await expect(page.getByTestId('print-history').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByTestId('print-history')).toContainText('ungültig: ersetzt');
  await expect(page.getByTestId('print-history')).toContainText(`Nachdruck von Blanko ${first}: beschädigt (Kaffee verschüttet)`);
  await shot(page, testInfo, 'orders-reprinted');

  // The order's prints: the reprinted blank void (reprinted), the other four active, one new active blank.
  const after = await world.admin('ticket_prints as p').join('tickets as t', 't.id', 'p.ticket_id').join('orders as o', 'o.id', 't.order_id').where('o.order_number', orderNumber).where('o.tenant_id', state.tenants.outlet).orderBy('p.blank_number').select('p.blank_number', 'p.status', 'p.void_reason');
  const rows = after.map((p) => ({ blank: Number(p.blank_number), status: p.status as string, reason: p.void_reason as string | null }));
  expect(rows.slice(0, 5)).toEqual([{ blank: first, status: 'void', reason: 'reprinted' }, ...blanks(first + 1, 4).map((blank) => ({ blank, status: 'active', reason: null }))]);
  expect(rows).toHaveLength(6);
  expect(rows[5]).toMatchObject({ status: 'active', reason: null });
  expect(rows[5]!.blank).toBeGreaterThan(first + 6);
  await expect(page.getByTestId('print-status')).toHaveText(`Gedruckt auf Blanko ${rows[5]!.blank}.`);
});
