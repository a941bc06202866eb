/**
 * An accountant in Chromium against the real server: drafts invoices from the waiting business orders,
 * issues them (PDF preview), books a payment, cancels an invoice with a reason, sees a transfer that
 * cannot be assigned to the paid invoice refused in the review, and checks the audit trail.
 */
import { billingProfile, businessOrder, desk } from './office-fixtures.js';
import { expect, expectAccessible, shot, signIn, test } from './support/fixtures.js';

test('an accountant issues and cancels an invoice and books a payment', async ({ world, station }, testInfo) => {
  const outlet = world.state.tenants.outlet;
  const accountant = await desk(world, outlet, 'rechnung-1', 'office.buchhaltung', ['invoices.view', 'invoices.issue', 'invoices.cancel', 'payments.book', 'audit.view'], 'Bea Buchhalter');
  await billingProfile(world, outlet, accountant.id);
  const paidOrder = await businessOrder(world, accountant, 2);
  const cancelledOrder = await businessOrder(world, accountant, 1);

  const { page } = await station(accountant.workstation);
  await signIn(page, accountant.login, accountant.password);
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'Rechnungen und Zahlungen' })).toBeVisible();
  const waiting = page.getByRole('table', { name: /Geschäftsaufträge ohne Rechnung/ });
  for (const order of [paidOrder, cancelledOrder]) {
    await expect(waiting.getByRole('button', { name: `Rechnungsentwurf anlegen: Auftrag ${order.orderNumber} (Muster AG)` })).toBeVisible();
  }
  await shot(page, testInfo, 'invoicing-work-list');
  await expectAccessible(page, 'invoicing list');

  // First order: draft, check, issue; the PDF appears in the preview.
  await waiting.getByRole('button', { name: `Rechnungsentwurf anlegen: Auftrag ${paidOrder.orderNumber} (Muster AG)` }).click();
  await expect(page.getByText('Entwurf angelegt. Bitte prüfen und ausstellen.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Rechnung (Entwurf)' })).toBeFocused();
  await shot(page, testInfo, 'invoicing-draft');
  await page.getByRole('button', { name: /^Ausstellen/ }).click();
  const issued = page.getByText(/^Rechnung RE-\d{4}-\d{6} ausgestellt\.$/);
  await expect(issued).toBeVisible();
  const paidNumber = /RE-\d{4}-\d{6}/.exec((await issued.textContent()) ?? '')![0];
  await expect(page.getByTitle('Vorschau der Rechnung als PDF')).toBeVisible();
  await expect(page.getByRole('link', { name: 'PDF öffnen' })).toHaveAttribute('href', /^blob:/);
  // Only for the picture: Chromium's PDF viewer draws the page a moment after the frame has loaded.
  await page.waitForTimeout(1500);
  await shot(page, testInfo, 'invoicing-issued-pdf-preview');
  await expectAccessible(page, 'invoice detail');

  // Book the full payment for it (amount, payer and reference are prefilled from the invoice).
  await expect(page.getByLabel('Betrag in Euro')).toHaveValue('70,00');
  await page.getByRole('button', { name: 'Zahlung buchen' }).click();
  await expect(page.getByText(`Zahlung gebucht. ${paidNumber}`)).toBeVisible();
  await expect(page.locator('.office-facts')).toContainText('ausgestellt · bezahlt');
  await expect(page.getByRole('button', { name: 'Zahlung buchen' })).toHaveCount(0);
  await shot(page, testInfo, 'invoicing-paid');

  // Second order: issue, then cancel — refused without a reason, done with one.
  await waiting.getByRole('button', { name: `Rechnungsentwurf anlegen: Auftrag ${cancelledOrder.orderNumber} (Muster AG)` }).click();
  await page.getByRole('button', { name: /^Ausstellen/ }).click();
  await expect(page.getByText(/^Rechnung RE-\d{4}-\d{6} ausgestellt\.$/)).toBeVisible();
  await page.getByRole('button', { name: 'Stornorechnung ausstellen' }).click();
  await expect(page.getByRole('alert')).toContainText('mindestens 3 Zeichen');
  await page.getByLabel('Grund der Stornierung (Pflicht)').fill('Kunde hat den Auftrag zurückgezogen');
  await page.getByRole('button', { name: 'Stornorechnung ausstellen' }).click();
  await expect(page.getByText(/^Stornorechnung ST-\d{4}-\d{6} ausgestellt\.$/)).toBeVisible();
  await expect(page.getByText(/Storniert am .*Kunde hat den Auftrag zurückgezogen/)).toBeVisible();
  await shot(page, testInfo, 'invoicing-cancelled');

  // The list: filter by status, sort by amount.
  await page.getByLabel('Status').selectOption('cancelled');
  await page.getByRole('button', { name: 'Filtern' }).click();
  const list = page.getByRole('table', { name: 'Rechnungen' });
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Status').selectOption('');
  await page.getByRole('button', { name: 'Filtern' }).click();
  await expect(list.locator('tbody tr')).toHaveCount(3);
  await list.getByRole('button', { name: 'Brutto' }).click();
  await expect(list.getByRole('columnheader', { name: /Brutto/ })).toHaveAttribute('aria-sort', 'ascending');
  await shot(page, testInfo, 'invoicing-list-sorted');

  // A transfer without a matching reference waits in the review; assigning it to the paid invoice is refused.
  await page.keyboard.press('Alt+z');
  await expect(page.getByRole('tab', { name: /Zahlungseingänge/ })).toHaveAttribute('aria-selected', 'true');
  const manual = page.getByRole('region', { name: 'Zahlung buchen' });
  await manual.getByLabel('Betrag in Euro').fill('12,00');
  await manual.getByLabel('Zahler').fill('Unbekannte Firma');
  await manual.getByLabel('Verwendungszweck').fill('Spende');
  await manual.getByRole('button', { name: 'Zahlung buchen' }).click();
  const review = page.getByRole('table', { name: 'Nicht zugeordnete Zahlungseingänge' });
  const row = review.getByRole('row', { name: /Unbekannte Firma/ });
  await row.getByRole('textbox', { name: 'Rechnungsnummer für Zahlung von Unbekannte Firma' }).fill(paidNumber);
  await row.getByRole('button', { name: 'Zuordnen' }).click();
  await expect(row.getByRole('alert')).toContainText('bereits bezahlt');
  await shot(page, testInfo, 'invoicing-review-refused');
  await expectAccessible(page, 'payments review');
  await row.getByRole('checkbox').check();
  await page.getByLabel('Grund (Pflicht, gilt für alle ausgewählten)').fill('Rücküberweisung veranlasst');
  await page.getByRole('button', { name: '1 ausgewählte beiseitelegen' }).click();
  await expect(page.getByText('1 Zahlungseingänge beiseitegelegt.')).toBeVisible();
  await expect(row).toHaveCount(0);

  // Everything above is in the audit trail, and the chain is intact.
  await page.keyboard.press('Alt+8');
  await expect(page.getByTestId('chain-status')).toContainText('Kette unversehrt');
  await page.getByLabel(/Aktion \(z\. B\./).fill('invoice.*');
  await page.getByRole('button', { name: 'Suchen' }).click();
  const log = page.getByRole('table', { name: 'Protokolleinträge, neueste zuerst' });
  await expect(log.getByRole('cell', { name: 'invoice.cancel' })).toHaveCount(1);
  await expect(log.getByRole('cell', { name: 'invoice.issue' }).first()).toBeVisible();
  await log.getByRole('cell', { name: 'invoice.cancel' }).locator('xpath=..').getByRole('button').click();
  await expect(page.locator('pre.office-code')).toContainText('Kunde hat den Auftrag zurückgezogen');
  await shot(page, testInfo, 'audit-log');
  await expectAccessible(page, 'audit');
});
