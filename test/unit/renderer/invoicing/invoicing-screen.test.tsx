// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../../src/shared/api-client/errors.js';
import type { Permission } from '../../../../src/shared/domain/permissions.js';
import { invoicingApi } from '../../../../src/renderer/features/invoicing/api.js';
import { InvoicingView } from '../../../../src/renderer/features/invoicing/components/InvoicingScreen.js';
import { createInvoicingStore } from '../../../../src/renderer/features/invoicing/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { apiError, createFakeBackend, type FakeBackend } from '../support/fake-backend.js';
import { invoice, summary } from './fixtures.js';

afterEach(cleanup);

const NOW = Date.parse('2026-12-04T18:00:00.000Z');
const ALL: Permission[] = ['invoices.view', 'invoices.issue', 'invoices.cancel', 'payments.book'];

function renderInvoicing(backend: FakeBackend, rights: readonly Permission[] = ALL) {
  if (!backend.answers.has('GET /api/v1/invoices/invoiceable-orders')) backend.answers.set('GET /api/v1/invoices/invoiceable-orders', ok([]));
  const api = invoicingApi(backend);
  const store = createInvoicingStore({ api });
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <InvoicingView store={store} api={api} can={(p) => rights.includes(p)} now={() => NOW} tenantKind="outlet" />
    </I18nProvider>,
  );
  return store;
}

const rowTexts = () =>
  within(screen.getByRole('table', { name: 'Rechnungen' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]!.textContent);

describe('invoice list', () => {
  const a = summary({ numberLabel: 'RE-2026-000002', recipientName: 'Zeltfestival GmbH', grossCents: 5_000 });
  const b = summary({ numberLabel: 'RE-2026-000010', recipientName: 'Aalto Reisen', grossCents: 120_000 });
  const c = summary({ numberLabel: null, status: 'draft', recipientName: 'Bäckerei Nord', grossCents: 900 });

  it('sends the server filters, narrows by quick search and sorts by a column in both directions', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/invoices', ok([a, b, c]));
    renderInvoicing(backend);
    expect(await screen.findByText('3 von 3 Einträgen')).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('Status'), 'issued');
    await user.type(screen.getByLabelText('Empfänger enthält'), ' nord ');
    await user.click(screen.getByRole('button', { name: 'Filtern' }));
    const last = backend.requests.at(-1)!;
    expect(last.query).toMatchObject({ status: 'issued', recipient: 'nord', limit: 500 });
    expect(last.query).not.toHaveProperty('kind');

    await user.type(screen.getByRole('searchbox', { name: /In der Liste suchen/ }), 'gmbh');
    expect(screen.getByText('1 von 3 Einträgen')).toBeTruthy();
    expect(rowTexts()).toEqual(['RE-2026-000002']);
    await user.clear(screen.getByRole('searchbox', { name: /In der Liste suchen/ }));

    const list = screen.getByRole('table', { name: 'Rechnungen' });
    const gross = within(list).getByRole('columnheader', { name: /Brutto/ });
    await user.click(within(gross).getByRole('button'));
    expect(gross.getAttribute('aria-sort')).toBe('ascending');
    expect(rowTexts()).toEqual(['(Entwurf)', 'RE-2026-000002', 'RE-2026-000010']);
    await user.click(within(gross).getByRole('button'));
    expect(gross.getAttribute('aria-sort')).toBe('descending');
    expect(rowTexts()).toEqual(['RE-2026-000010', 'RE-2026-000002', '(Entwurf)']);

    // Numbers sort naturally (000010 after 000002), drafts without a number last.
    const number = within(list).getByRole('columnheader', { name: /Nummer/ });
    await user.click(within(number).getByRole('button'));
    expect(rowTexts()).toEqual(['RE-2026-000002', 'RE-2026-000010', '(Entwurf)']);
  });

  it('drafts the invoice of a waiting business order with one button; the order leaves the work list', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const waiting = { orderId: '00000000-0000-4000-8000-00000000a017', orderNumber: 17, customerName: 'Muster AG', eventName: 'Sommerkonzert', totalCents: 7_000, createdAt: '2026-12-03T09:00:00.000Z' };
    let orders = [waiting];
    const draft = invoice({ status: 'draft', numberLabel: null, number: null, series: null, orderId: waiting.orderId });
    backend.answers.set('GET /api/v1/invoices', () => ok(orders.length === 0 ? [summary({ id: draft.id, numberLabel: null, status: 'draft' })] : []));
    backend.answers.set('GET /api/v1/invoices/invoiceable-orders', () => ok(orders));
    backend.answers.set('POST /api/v1/invoices/business-orders', (request) => {
      expect(request.body).toEqual({ orderId: waiting.orderId });
      orders = [];
      return ok(draft);
    });
    renderInvoicing(backend);
    const table = await screen.findByRole('table', { name: /Geschäftsaufträge ohne Rechnung/ });
    expect(await within(table).findByText('Muster AG')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Rechnungsentwurf anlegen: Auftrag 17 (Muster AG)' }));
    expect(await screen.findByText('Entwurf angelegt. Bitte prüfen und ausstellen.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Rechnung (Entwurf)' })).toBeTruthy();
    expect(within(table).getByText('Keine Einträge.')).toBeTruthy();
  });

  it('issues a draft, then cancels it only with a reason and shows the cancellation number', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const draft = invoice({ status: 'draft', numberLabel: null, number: null, series: null, issueDate: null, issuedAt: null });
    const issued = { ...draft, status: 'issued' as const, numberLabel: 'RE-2026-000007', number: 7, series: 'invoice' as const, issueDate: '2026-12-04' };
    let current = draft;
    backend.answers.set('GET /api/v1/invoices', () => ok([summary({ id: draft.id, numberLabel: current.numberLabel, status: current.status })]));
    backend.answers.set(`GET /api/v1/invoices/${draft.id}`, () => ok(current));
    backend.answers.set(`POST /api/v1/invoices/${draft.id}/issue`, () => {
      current = issued;
      return ok(issued);
    });
    backend.answers.set(`POST /api/v1/invoices/${draft.id}/cancel`, (request) => {
      expect(request.body).toEqual({ reason: 'Doppelt berechnet' });
      current = { ...issued, cancelledByInvoiceId: '00000000-0000-4000-8000-00000000ffff', cancelReason: 'Doppelt berechnet', cancelledAt: '2026-12-04T18:00:00.000Z', status: 'cancelled' };
      return ok(invoice({ kind: 'cancellation', numberLabel: 'ST-2026-000001', cancelsInvoiceId: draft.id }));
    });
    renderInvoicing(backend);
    await user.click(await screen.findByRole('button', { name: '(Entwurf)' }));
    await user.click(await screen.findByRole('button', { name: /Ausstellen/ }));
    expect(await screen.findByText('Rechnung RE-2026-000007 ausgestellt.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Stornorechnung ausstellen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/mindestens 3 Zeichen/);
    expect(backend.requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);

    await user.type(screen.getByLabelText('Grund der Stornierung (Pflicht)'), 'Doppelt berechnet');
    await user.click(screen.getByRole('button', { name: 'Stornorechnung ausstellen' }));
    expect(await screen.findByText('Stornorechnung ST-2026-000001 ausgestellt.')).toBeTruthy();
    expect(screen.getByText(/Storniert am .*Doppelt berechnet/)).toBeTruthy();
    // A cancelled invoice offers neither cancellation nor payment any more.
    expect(screen.queryByRole('button', { name: 'Stornorechnung ausstellen' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Zahlung buchen' })).toBeNull();
  });

  it('books a payment against the open invoice with the amount typed the German way', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const open = invoice();
    backend.answers.set('GET /api/v1/invoices', ok([summary({ id: open.id })]));
    backend.answers.set(`GET /api/v1/invoices/${open.id}`, ok(open));
    backend.answers.set('POST /api/v1/payments', (request) =>
      ok({ ...(request.body as object), id: '00000000-0000-4000-8000-00000000eeee', source: 'manual', statementId: null, currency: 'EUR', payerIban: null, bankRef: null, status: 'matched', rejectReason: null, discardReason: null, invoiceId: open.id, invoiceNumber: 'RE-2026-000001', matchedBy: 'manual' }),
    );
    renderInvoicing(backend);
    await user.click(await screen.findByRole('button', { name: 'RE-2026-000001' }));
    const amount = await screen.findByLabelText<HTMLInputElement>('Betrag in Euro');
    expect(amount.value).toBe('119,00');
    await user.clear(amount);
    await user.type(amount, '1.000,5');
    await user.click(screen.getByRole('button', { name: 'Zahlung buchen' }));
    const booking = backend.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/payments')!;
    expect(booking.body).toEqual({ amountCents: 100_050, bookingDate: '2026-12-04', payerName: 'Firma Nord GmbH', reference: 'RE-2026-000001', invoiceId: open.id });
    expect(booking.idempotent).toBe(true);

    const again = await screen.findByLabelText('Betrag in Euro');
    await user.clear(again);
    await user.type(again, '12,345');
    await user.click(screen.getByRole('button', { name: 'Zahlung buchen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Betrag wie 12,50/);
    expect(backend.requests.filter((r) => r.path === '/api/v1/payments')).toHaveLength(1);
  });

  it('hides the payments area and the write actions without their rights', async () => {
    const backend = createFakeBackend();
    const open = invoice();
    backend.answers.set('GET /api/v1/invoices', ok([summary({ id: open.id })]));
    backend.answers.set(`GET /api/v1/invoices/${open.id}`, ok(open));
    renderInvoicing(backend, ['invoices.view']);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'RE-2026-000001' }));
    await screen.findByRole('heading', { name: 'Rechnung RE-2026-000001' });
    expect(screen.queryByRole('tab', { name: /Zahlungseingänge/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Stornorechnung ausstellen' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Zahlung buchen' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Neue Rechnung' })).toBeNull();
  });

  it('says what to do when the server refuses to list', async () => {
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/invoices', { ok: false, error: apiError('FORBIDDEN', 403) });
    renderInvoicing(backend);
    expect((await screen.findByRole('alert')).textContent).toMatch(/Berechtigung/);
  });
});
