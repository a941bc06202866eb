// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { EscrowTransactionView } from '../../../../src/shared/api/invoicing.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { invoicingApi } from '../../../../src/renderer/features/invoicing/api.js';
import { InvoicingView } from '../../../../src/renderer/features/invoicing/components/InvoicingScreen.js';
import { createInvoicingStore, statementFormat } from '../../../../src/renderer/features/invoicing/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { apiError, createFakeBackend, type FakeBackend } from '../support/fake-backend.js';
import { importResult, transaction } from './fixtures.js';

afterEach(cleanup);

const CAMT = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>';

async function openPayments(backend: FakeBackend) {
  const user = userEvent.setup();
  const api = invoicingApi(backend);
  const store = createInvoicingStore({ api });
  backend.answers.set('GET /api/v1/invoices/invoiceable-orders', ok([]));
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <InvoicingView store={store} api={api} can={() => true} now={() => Date.parse('2026-12-04T18:00:00Z')} tenantKind="operator" />
    </I18nProvider>,
  );
  // The shortcut shown on the tab switches to the payments area.
  await user.keyboard('{Alt>}z{/Alt}');
  return { user, store };
}

const reviewRows = () =>
  within(screen.getByRole('table', { name: 'Nicht zugeordnete Zahlungseingänge' }))
    .getAllByRole('row')
    .slice(1);

describe('statement import and its review', () => {
  it('imports a camt.053 file, assigns by typed number, refuses a paid invoice, and sets several aside with one reason', async () => {
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/invoices', ok([]));
    const matched = transaction({ status: 'matched', invoiceNumber: 'RE-2026-000001', payerName: 'Kunde Eins' });
    const t1 = transaction({ payerName: 'Kunde Zwei', amountCents: 5_000 });
    const t2 = transaction({ payerName: 'Kunde Drei', amountCents: 7_000 });
    const t3 = transaction({ payerName: 'Kunde Vier', amountCents: 9_000, source: 'manual' });
    let waiting: EscrowTransactionView[] = [t3];
    backend.answers.set('GET /api/v1/payments', () => ok(waiting));
    backend.answers.set('POST /api/v1/payments/imports', (request) => {
      expect(request.body).toEqual({ format: 'camt053', content: CAMT });
      waiting = [t1, t2, t3];
      return ok(importResult([matched, t1, t2]));
    });
    backend.answers.set(`POST /api/v1/payments/${t1.id}/assign`, (request) => {
      const number = (request.body as { invoiceNumber: string }).invoiceNumber;
      if (number === 'RE-2026-000003') return { ok: false, error: apiError('INVOICE_ALREADY_PAID') };
      waiting = waiting.filter((t) => t.id !== t1.id);
      return ok({ ...t1, status: 'matched', invoiceNumber: number, matchedBy: 'manual' });
    });
    for (const t of [t2, t3]) {
      backend.answers.set(`POST /api/v1/payments/${t.id}/discard`, (request) => {
        expect(request.body).toEqual({ reason: 'Rücküberweisung veranlasst' });
        return ok({ ...t, status: 'discarded', discardReason: 'Rücküberweisung veranlasst' });
      });
    }
    const { user } = await openPayments(backend);
    expect(await screen.findByRole('tab', { name: /Zahlungseingänge/, selected: true })).toBeTruthy();
    await screen.findByText('Kunde Vier');

    await user.upload(screen.getByLabelText('Datei des Treuhandkontos'), new File([CAMT], 'auszug.xml', { type: 'application/xml' }));
    expect((await screen.findByTestId('import-counts')).textContent).toBe('Zugeordnet: 1 · Nicht zugeordnet: 2 · Abgelehnt: 0');
    expect(reviewRows()).toHaveLength(3);

    // Nothing typed: refused here, nothing sent.
    const assignButtons = () => screen.getAllByRole('button', { name: 'Zuordnen' });
    const row1 = () => reviewRows().find((r) => r.textContent?.includes('Kunde Zwei'))!;
    await user.click(within(row1()).getByRole('button', { name: 'Zuordnen' }));
    expect(within(row1()).getByRole('alert').textContent).toMatch(/Rechnungsnummer eingeben/);
    expect(backend.requests.some((r) => r.path.endsWith('/assign'))).toBe(false);

    // A paid invoice: the server refuses, the row says why and stays unmatched.
    await user.type(within(row1()).getByRole('textbox', { name: 'Rechnungsnummer für Zahlung von Kunde Zwei' }), 'RE-2026-000003{Enter}');
    expect((await within(row1()).findByRole('alert')).textContent).toMatch(/bereits bezahlt/);
    expect(within(row1()).getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('import-counts').textContent).toBe('Zugeordnet: 1 · Nicht zugeordnet: 2 · Abgelehnt: 0');

    // The right number: the row leaves the review and the counts follow.
    const input = within(row1()).getByRole('textbox');
    await user.clear(input);
    await user.type(input, 'RE-2026-000004');
    await user.click(within(row1()).getByRole('button', { name: 'Zuordnen' }));
    expect(await screen.findByText('Zahlung der Rechnung RE-2026-000004 zugeordnet.')).toBeTruthy();
    expect(screen.getByTestId('import-counts').textContent).toBe('Zugeordnet: 2 · Nicht zugeordnet: 1 · Abgelehnt: 0');
    expect(reviewRows().map((r) => r.textContent?.includes('Kunde Zwei'))).not.toContain(true);
    expect(assignButtons()).toHaveLength(2);
    expect(document.activeElement).toBe(within(reviewRows()[0]!).getByRole('textbox'));

    // Bulk: select the two left, a reason is required, then both go in one action.
    await user.click(screen.getByRole('checkbox', { name: 'Alle angezeigten auswählen' }));
    const discard = screen.getByRole('button', { name: '2 ausgewählte beiseitelegen' });
    await user.click(discard);
    expect((await screen.findByRole('alert')).textContent).toMatch(/mindestens 3 Zeichen/);
    await user.type(screen.getByLabelText('Grund (Pflicht, gilt für alle ausgewählten)'), 'Rücküberweisung veranlasst');
    await user.click(discard);
    expect(await screen.findByText('2 Zahlungseingänge beiseitegelegt.')).toBeTruthy();
    expect(screen.getByText('Alle Zahlungseingänge sind zugeordnet.')).toBeTruthy();
    expect(backend.requests.filter((r) => r.path.endsWith('/discard'))).toHaveLength(2);
    expect(screen.getByTestId('import-counts').textContent).toBe('Zugeordnet: 2 · Nicht zugeordnet: 0 · Abgelehnt: 0');
  });

  it('refuses a file that is no statement before sending it, and shows the server’s refusal of a duplicate', async () => {
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/invoices', ok([]));
    backend.answers.set('GET /api/v1/payments', ok([]));
    backend.answers.set('POST /api/v1/payments/imports', { ok: false, error: apiError('STATEMENT_DUPLICATE') });
    const { user } = await openPayments(backend);
    const file = await screen.findByLabelText('Datei des Treuhandkontos');
    await user.upload(file, new File(['<html><body>Kontoauszug</body></html>'], 'auszug.html', { type: 'application/xml' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/weder ein CAMT.053-Kontoauszug noch die CSV-Datei/);
    expect(backend.requests.some((r) => r.path === '/api/v1/payments/imports')).toBe(false);

    await user.upload(file, new File([CAMT], 'auszug.xml', { type: 'application/xml' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/schon eingelesen/);
  });

  it('tells the statement formats apart by content', () => {
    expect(statementFormat(CAMT)).toBe('camt053');
    expect(statementFormat('\ufeff  ' + CAMT)).toBe('camt053');
    expect(statementFormat('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>')).toBeUndefined();
    expect(statementFormat('Buchungstag;Betrag;Verwendungszweck\n')).toBe('csv');
    expect(statementFormat('   ')).toBeUndefined();
  });
});
