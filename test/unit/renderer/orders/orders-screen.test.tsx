// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PrintRecord } from '../../../../src/shared/api/printing.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { ServicesProvider, type AppServices } from '../../../../src/renderer/app/services.js';
import { createSessionStore } from '../../../../src/renderer/app/session-store.js';
import { classifyOrderQuery, ordersApi } from '../../../../src/renderer/features/orders/api.js';
import { OrdersView } from '../../../../src/renderer/features/orders/components/OrdersScreen.js';
import { createOrdersStore } from '../../../../src/renderer/features/orders/store.js';
import { createWebTicketPrinter } from '../../../../src/renderer/features/sales/print.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { capabilitiesFor } from '../../../../src/renderer/lib/capabilities.js';
import { createFakeBackend, sessionInfo, type FakeBackend } from '../support/fake-backend.js';
import { DETAIL, EVENT_ID, GA, orderFor, printJobFor } from '../sales/fixtures.js';

const ORDER = orderFor({ items: [{ categoryId: GA, quantity: 2 }], payment: { method: 'cash', givenCents: 5000 } });
const BARCODE = '12345678901234567890123';
const PRINTS: PrintRecord[] = ORDER.tickets.map((ticket, index) => ({
  printId: `00000000-0000-4000-8000-0000000e000${index}`,
  ticketId: ticket.id,
  printJobId: '00000000-0000-4000-8000-00000000c0c0',
  blankNumber: 501 + index,
  status: 'active',
  issuedAt: '2026-12-04T18:00:01.000Z',
  issuedBy: { id: '00000000-0000-4000-8000-0000000000c1', login: 'k.schmidt', displayName: 'Karin Schmidt' },
  workstation: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Kasse 1' },
  confirmedAt: '2026-12-04T18:00:02.000Z',
  voidedAt: null,
  voidReason: null,
  reprint: null,
}));

afterEach(cleanup);
beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:tickets');
  URL.revokeObjectURL = vi.fn();
});

function ordersBackend(permissions: string[]): FakeBackend {
  const backend = createFakeBackend({ loginAs: sessionInfo(permissions) });
  backend.answers.set('GET /api/v1/orders', ok([{ id: ORDER.id, orderNumber: ORDER.orderNumber, eventId: EVENT_ID, status: 'paid', customerName: '', totalCents: ORDER.totalCents, createdAt: ORDER.createdAt }]));
  backend.answers.set(`GET /api/v1/orders/${ORDER.id}`, ok(ORDER));
  backend.answers.set(`GET /api/v1/orders/${ORDER.id}/prints`, ok(PRINTS));
  backend.answers.set(`GET /api/v1/events/${EVENT_ID}`, ok(DETAIL));
  backend.answers.set(`POST /api/v1/orders/${ORDER.id}/cancel`, ok({ ...ORDER, status: 'cancelled', tickets: ORDER.tickets.map((ticket) => ({ ...ticket, status: 'cancelled' })) }));
  const job = { ...printJobFor(ORDER), kind: 'reprint' as const, prints: printJobFor(ORDER).prints.slice(0, 1).map((print) => ({ ...print, blankNumber: 507 })) };
  backend.answers.set(`POST /api/v1/tickets/${ORDER.tickets[0]!.id}/reprint`, ok(job));
  backend.answers.set(`POST /api/v1/print-jobs/${job.id}/confirm`, ok({ ...job, prints: job.prints.map((print) => ({ ...print, status: 'active' as const })) }));
  backend.fetchDocument = async () => ok(new Blob(['%PDF-1.7'], { type: 'application/pdf' }));
  return backend;
}

async function renderOrders(backend: FakeBackend) {
  const session = createSessionStore({ backend, now: () => Date.parse('2026-12-04T18:00:00.000Z') });
  await session.getState().login('k.schmidt', 'x');
  const store = createOrdersStore({ api: ordersApi(backend), printer: createWebTicketPrinter(backend) });
  const services: AppServices = { backend, bridge: undefined, capabilities: capabilitiesFor(undefined), now: () => 0, session, checkServer: async () => 'reachable', navigate: () => undefined };
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <ServicesProvider services={services}>
        <OrdersView store={store} />
      </ServicesProvider>
    </I18nProvider>,
  );
}

describe('orders screen', () => {
  it('tells a scanned barcode, an order number and a name apart', () => {
    expect(classifyOrderQuery(` ${BARCODE} `)).toEqual({ barcode: BARCODE });
    expect(classifyOrderQuery('1042')).toEqual({ number: 1042 });
    expect(classifyOrderQuery('Erika M')).toEqual({ customer: 'Erika M' });
    expect(classifyOrderQuery('   ')).toBeUndefined();
  });

  it('opens the order of a scanned barcode and reprints a ticket after a confirmation that names the old barcode', async () => {
    const user = userEvent.setup();
    const backend = ordersBackend(['sales.sell', 'tickets.print', 'tickets.reprint']);
    await renderOrders(backend);
    // The scanner types into the focused search box and ends with Enter.
    await user.keyboard(`${BARCODE}{Enter}`);
    expect(backend.requests.filter((r) => r.path === '/api/v1/orders').map((r) => r.query)).toEqual([
      // Today's orders from local midnight (the list the screen opens with), then the scanned code.
      { from: expect.any(String), limit: 30 },
      { barcode: BARCODE, limit: 30 },
    ]);
    const detail = await screen.findByTestId('order-detail');
    expect(within(detail).getByRole('heading', { name: 'Auftrag 1042' })).toBeTruthy();
    expect(within(detail).getByText(/Veranstaltung: Sommerkonzert/)).toBeTruthy();
    expect(within(screen.getByTestId('print-history')).getAllByRole('row')).toHaveLength(3);

    await user.click(within(detail).getAllByRole('button', { name: 'Nachdruck' })[0]!);
    const confirm = screen.getByTestId('reprint-confirm');
    expect(confirm.textContent).toMatch(/bisherige Barcode \(Blanko 501\) wird sofort ungültig.*„ersetzt“ abgewiesen/);
    await user.selectOptions(within(confirm).getByRole('combobox', { name: 'Grund' }), 'lost');
    await user.click(within(confirm).getByRole('button', { name: 'Jetzt nachdrucken' }));
    const reprint = backend.requests.find((r) => r.path.endsWith('/reprint'));
    expect(reprint?.body).toEqual({ reason: 'lost' });
    expect(reprint?.idempotent).toBe(true);
    // Browser path: the PDF is offered and "printed" has the focus; Enter confirms.
    const printed = await screen.findByRole('button', { name: 'Gedruckt (Enter)' });
    await waitFor(() => {
      expect(document.activeElement).toBe(printed);
    });
    await user.keyboard('{Enter}');
    await waitFor(() => {
      expect(screen.getByTestId('print-status').getAttribute('data-state')).toBe('printed');
    });
    expect(document.activeElement?.id).toBe('order-search');
  });

  it('opens with today’s orders, newest first', async () => {
    const backend = ordersBackend(['sales.sell']);
    await renderOrders(backend);
    expect(await screen.findByRole('heading', { name: 'Heutige Aufträge, neueste zuerst' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Auftrag 1042/ })).toBeTruthy();
    const from = backend.requests.find((r) => r.path === '/api/v1/orders')?.query?.['from'];
    // Local midnight of the station's day (the services' clock says 1 January 1970 here).
    expect(new Date(String(from)).getTime()).toBe(new Date(1970, 0, 1).getTime());
  });

  it('cancels with a reason only, saying what happens to the barcodes', async () => {
    const user = userEvent.setup();
    const backend = ordersBackend(['sales.sell', 'sales.cancel', 'tickets.print']);
    await renderOrders(backend);
    await user.keyboard('1042{Enter}');
    const detail = await screen.findByTestId('order-detail');
    expect(within(detail).queryByRole('button', { name: 'Nachdruck' })).toBeNull();
    await user.click(within(detail).getByRole('button', { name: 'Stornieren …' }));
    const confirm = screen.getByTestId('cancel-confirm');
    expect(confirm.textContent).toMatch(/Storniert werden 2 Ticket\(s\) von Auftrag 1042/);
    expect(confirm.textContent).toMatch(/Barcodes dieser Tickets werden sofort ungültig/);
    const submit = within(confirm).getByRole('button', { name: 'Jetzt stornieren' });
    expect(submit).toHaveProperty('disabled', true);
    await user.keyboard('ab');
    expect(submit).toHaveProperty('disabled', true);
    await user.keyboard('c{Enter}');
    await screen.findByTestId('orders-done');
    expect(backend.requests.find((r) => r.path.endsWith('/cancel'))?.body).toEqual({ reason: 'abc', refund: { method: 'cash' } });
  });

  it('Esc closes the confirmation without doing anything and returns to the search', async () => {
    const user = userEvent.setup();
    const backend = ordersBackend(['sales.sell', 'sales.cancel']);
    await renderOrders(backend);
    await user.keyboard('1042{Enter}');
    await user.click(within(await screen.findByTestId('order-detail')).getByRole('button', { name: 'Stornieren …' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('cancel-confirm')).toBeNull();
    expect(document.activeElement?.id).toBe('order-search');
    expect(backend.requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
