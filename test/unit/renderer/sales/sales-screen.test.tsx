// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateOrderRequest } from '../../../../src/shared/api/sales.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { ServicesProvider, type AppServices } from '../../../../src/renderer/app/services.js';
import { createSessionStore } from '../../../../src/renderer/app/session-store.js';
import { salesApi } from '../../../../src/renderer/features/sales/api.js';
import { SalesView } from '../../../../src/renderer/features/sales/components/SalesScreen.js';
import { createWebTicketPrinter } from '../../../../src/renderer/features/sales/print.js';
import { createSalesStore } from '../../../../src/renderer/features/sales/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { capabilitiesFor } from '../../../../src/renderer/lib/capabilities.js';
import { apiError, createFakeBackend, sessionInfo, type FakeBackend } from '../support/fake-backend.js';
import { DETAIL, EVENT_ID, GA, MAP, orderFor, PARKETT, printJobFor, seatId, SUMMARY } from './fixtures.js';

const NOW = Date.parse('2026-12-04T18:00:00.000Z');
const TILL = {
  kind: 'X',
  tillSessionId: '00000000-0000-4000-8000-0000000011a1',
  outlet: { id: '00000000-0000-4000-8000-0000000000b1', name: 'VVK Nord' },
  workstation: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Kasse 1' },
  user: { id: '00000000-0000-4000-8000-0000000000c1', login: 'k.schmidt', displayName: 'Karin Schmidt' },
  openedAt: '2026-12-04T08:00:00.000Z',
  createdAt: '2026-12-04T18:00:00.000Z',
  totals: { openingFloatCents: 10000, cashSalesCents: 0, cashRefundsCents: 0, netCashCents: 0, cardSalesCents: 0, cardRefundsCents: 0, netCardCents: 0, orderCount: 0, ticketCount: 0, refundCount: 0, expectedCashCents: 10000 },
  closing: null,
  pdfSha256: null,
};

afterEach(cleanup);
beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:tickets');
  URL.revokeObjectURL = vi.fn();
});

function salesBackend(options: { tillOpen?: boolean; permissions?: string[] } = {}): FakeBackend {
  const backend = createFakeBackend({ loginAs: sessionInfo(options.permissions ?? ['sales.sell', 'sales.cancel', 'tickets.print']) });
  backend.answers.set('GET /api/v1/events', ok([SUMMARY]));
  backend.answers.set(`GET /api/v1/events/${EVENT_ID}`, ok(DETAIL));
  backend.answers.set(`GET /api/v1/events/${EVENT_ID}/seatmap`, ok(MAP));
  backend.answers.set('GET /api/v1/till/current', options.tillOpen === false ? { ok: false, error: apiError('TILL_NOT_OPEN') } : ok(TILL));
  backend.answers.set('POST /api/v1/orders', (request) => ok(orderFor(request.body as CreateOrderRequest & { items: Array<{ categoryId: string; quantity: number }>; payment: { method: string; givenCents: number } })));
  backend.answers.set(`POST /api/v1/orders/${orderFor({ payment: { method: 'cash' } }).id}/print-jobs`, (request) => {
    void request;
    return ok(printJobFor(orderFor({ items: [{ categoryId: GA, quantity: 2 }], payment: { method: 'cash' } })));
  });
  backend.answers.set(`POST /api/v1/print-jobs/${printJobFor(orderFor({ payment: { method: 'cash' } })).id}/confirm`, ok(printJobFor(orderFor({ items: [{ categoryId: GA, quantity: 2 }], payment: { method: 'cash' } }), 'active')));
  let next = 501;
  backend.answers.set('GET /api/v1/printing/tray', () => {
    const tray = { workstationId: TILL.workstation.id, nextBlankNumber: next, sheet: Math.ceil(next / 3), position: ((next - 1) % 3) + 1, reusePartialSheets: false, available: 600 - next, voidedLeftovers: [] };
    next += 2;
    return ok(tray);
  });
  backend.fetchDocument = async () => ok(new Blob(['%PDF-1.7'], { type: 'application/pdf' }));
  return backend;
}

async function renderSales(backend: FakeBackend) {
  const session = createSessionStore({ backend, now: () => NOW });
  await session.getState().login('k.schmidt', 'x');
  const store = createSalesStore({ api: salesApi(backend), printer: createWebTicketPrinter(backend) });
  const services: AppServices = { backend, bridge: undefined, capabilities: capabilitiesFor(undefined), now: () => NOW, session, checkServer: async () => 'reachable', navigate: () => undefined };
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <ServicesProvider services={services}>
        <SalesView store={store} />
      </ServicesProvider>
    </I18nProvider>,
  );
  return store;
}

/** Types into the focused search box and takes the first result, as a clerk does. */
async function chooseEvent(user: ReturnType<typeof userEvent.setup>) {
  await user.keyboard('Sommer');
  await screen.findByRole('option', { name: /Sommerkonzert/ });
  await user.keyboard('{Enter}');
  await screen.findByRole('heading', { name: 'Sommerkonzert' });
}

function seatElement(row: number, number: number): Element {
  const element = document.querySelector(`[data-seat-id="${seatId(row, number)}"]`);
  if (element === null) throw new Error(`seat ${row}/${number} not drawn`);
  return element;
}

const inputs = (backend: FakeBackend, method: string, path: string) => backend.requests.filter((r) => r.method === method && r.path === path);

describe('sales screen', () => {
  it('sells 2 general-admission tickets for exact cash and prints them in four inputs after the event is chosen', async () => {
    const user = userEvent.setup();
    const backend = salesBackend();
    await renderSales(backend);
    await chooseEvent(user);
    expect(screen.getByTestId('category-Stehplatz').querySelector('[data-testid="remaining"]')?.textContent).toBe('97');

    // 1, 2: F1 twice. 3: F9 exact cash (sells and prints). 4: Enter on "printed".
    await user.keyboard('{F1}{F1}');
    expect(screen.getByTestId('cart-total').textContent).toBe('50,00\u00a0€');
    await user.keyboard('{F9}');
    const confirm = await screen.findByRole('button', { name: 'Gedruckt (Enter)' });
    await waitFor(() => {
      expect(document.activeElement).toBe(confirm);
    });
    await user.keyboard('{Enter}');
    await waitFor(() => {
      expect(screen.getByTestId('print-status').getAttribute('data-state')).toBe('printed');
    });

    const sold = inputs(backend, 'POST', '/api/v1/orders');
    expect(sold).toHaveLength(1);
    expect(sold[0]!.body).toEqual({ eventId: EVENT_ID, channel: 'counter', items: [{ categoryId: GA, quantity: 2 }], payment: { method: 'cash', givenCents: 5000 } });
    expect(sold[0]!.idempotent).toBe(true);
    expect(backend.requests.filter((r) => r.path.endsWith('/confirm'))).toHaveLength(1);
    expect(screen.getByTestId('change').textContent).toBe('Kein Rückgeld');
    // The paper count on screen follows the print (asked again after issuing and after confirming).
    expect(screen.getByTestId('tray-status').textContent).toBe('Papier: nächstes Blanko 505, noch 95 im Drucker');
    // Focus is back in the search box for the next customer (UX.md 1).
    expect(document.activeElement?.id).toBe('event-search');
  });

  it('shows the change of a 50 € note until the next sale starts', async () => {
    const user = userEvent.setup();
    const backend = salesBackend();
    await renderSales(backend);
    await chooseEvent(user);
    await user.keyboard('{F1}');
    await user.keyboard('{F12}');
    expect((await screen.findByTestId('change')).textContent).toBe('Rückgeld: 25,00\u00a0€');
    await user.click(await screen.findByRole('button', { name: 'Gedruckt (Enter)' }));
    expect(screen.getByTestId('change').textContent).toBe('Rückgeld: 25,00\u00a0€');
    await user.keyboard('{F1}');
    expect(screen.queryByTestId('change')).toBeNull();
  });

  it('adds with F1…F8 and removes with Shift+F, per price type, and refuses notes that do not cover the total', async () => {
    const user = userEvent.setup();
    const backend = salesBackend();
    const store = await renderSales(backend);
    await chooseEvent(user);
    await user.keyboard('{F1}{F2}{F2}{F1}');
    expect(store.getState().gaLines).toEqual([
      { categoryId: GA, variantId: null, quantity: 2 },
      { categoryId: GA, variantId: DETAIL.categories[0]!.variants[0]!.id, quantity: 2 },
    ]);
    expect(screen.getByTestId('cart-total').textContent).toBe('86,00\u00a0€');
    await user.keyboard('{Shift>}{F2}{/Shift}');
    expect(store.getState().gaLines[1]!.quantity).toBe(1);
    // 68 € total: the 10, 20 and 50 € buttons cannot pay it, and their keys do nothing.
    await user.keyboard('{F10}{F11}{F12}');
    expect(inputs(backend, 'POST', '/api/v1/orders')).toHaveLength(0);
    expect(screen.getByRole('button', { name: '50,00\u00a0€ (F12)' })).toHaveProperty('disabled', true);
  });

  it('sells seats picked on the seat map with the keyboard and the mouse; sold seats cannot be picked', async () => {
    const user = userEvent.setup();
    const backend = salesBackend();
    const store = await renderSales(backend);
    await chooseEvent(user);
    const map = screen.getByTestId('seatmap');
    map.focus();
    // Start at row 1 seat 1; → is seat 2 (sold: refused), → seat 3; ↓ row 2 seat 3.
    await user.keyboard(' ');
    await user.keyboard('{ArrowRight} ');
    expect(store.getState().seats.map((seat) => seat.seatId)).toEqual([seatId(1, 1)]);
    await user.keyboard('{ArrowRight} {ArrowDown} ');
    expect(store.getState().seats.map((seat) => seat.seatId)).toEqual([seatId(1, 1), seatId(1, 3), seatId(2, 3)]);
    expect(screen.getByTestId('seatmap-current').textContent).toBe('Block A, Reihe 2, Platz 3, Parkett 40,00\u00a0€: ausgewählt');
    // Space again deselects.
    await user.keyboard(' ');
    expect(store.getState().seats).toHaveLength(2);
    // Mouse: click seat 4 of row 2.
    await user.click(seatElement(2, 4));
    expect(store.getState().seats).toHaveLength(3);
    expect(document.querySelector(`[data-seat-id="${seatId(2, 4)}"]`)?.getAttribute('data-state')).toBe('selected');
    expect(document.querySelector(`[data-seat-id="${seatId(1, 2)}"]`)?.getAttribute('data-state')).toBe('sold');
    await user.keyboard('{F9}');
    await screen.findByRole('button', { name: 'Gedruckt (Enter)' });
    const body = inputs(backend, 'POST', '/api/v1/orders')[0]!.body as CreateOrderRequest;
    expect(body.seats).toEqual([{ seatId: seatId(1, 1) }, { seatId: seatId(1, 3) }, { seatId: seatId(2, 4) }]);
    expect(body.payment).toEqual({ method: 'cash', givenCents: 12000 });
  });

  it('reserves the best seats with B and the next best with N, releasing the first ones', async () => {
    const user = userEvent.setup();
    const backend = salesBackend();
    let holds = 0;
    backend.answers.set('POST /api/v1/holds', () => {
      holds += 1;
      const row = holds === 1 ? 2 : 1;
      return ok({
        id: `00000000-0000-4000-8000-00000000f00${holds}`,
        eventId: EVENT_ID,
        expiresAt: '2026-12-04T18:10:00.000Z',
        seats: [3, 4].map((n) => ({ id: seatId(row, n), block: 'A', row: String(row), number: n, categoryId: PARKETT })),
      });
    });
    backend.answers.set('DELETE /api/v1/holds/00000000-0000-4000-8000-00000000f001', ok(null));
    const store = await renderSales(backend);
    await chooseEvent(user);
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('b');
    await waitFor(() => {
      expect(store.getState().seats.map((seat) => seat.seatId)).toEqual([seatId(2, 3), seatId(2, 4)]);
    });
    await user.keyboard('n');
    await waitFor(() => {
      expect(store.getState().seats.map((seat) => seat.seatId)).toEqual([seatId(1, 3), seatId(1, 4)]);
    });
    expect(backend.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/v1/holds/00000000-0000-4000-8000-00000000f001']);
    expect(inputs(backend, 'POST', '/api/v1/holds').map((r) => r.body)).toEqual([
      { eventId: EVENT_ID, bestAvailable: { categoryId: PARKETT, quantity: 2 } },
      { eventId: EVENT_ID, bestAvailable: { categoryId: PARKETT, quantity: 2 } },
    ]);
  });

  it('changes a cart line to a price variant', async () => {
    const user = userEvent.setup();
    const store = await renderSales(salesBackend());
    await chooseEvent(user);
    await user.keyboard('{F1}{F1}');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Preis für 2 × Stehplatz' }), DETAIL.categories[0]!.variants[0]!.id);
    expect(store.getState().gaLines).toEqual([{ categoryId: GA, variantId: DETAIL.categories[0]!.variants[0]!.id, quantity: 2 }]);
    expect(screen.getByTestId('cart-total').textContent).toBe('36,00\u00a0€');
  });

  it('says the till is not open and sells nothing', async () => {
    const user = userEvent.setup();
    const backend = salesBackend({ tillOpen: false });
    await renderSales(backend);
    expect((await screen.findByTestId('till-closed')).textContent).toMatch(/Kasse ist nicht geöffnet/);
    await chooseEvent(user);
    await user.keyboard('{F1}{F9}');
    expect(inputs(backend, 'POST', '/api/v1/orders')).toHaveLength(0);
    expect(within(screen.getByRole('region', { name: 'Bezahlen' })).getByRole('button', { name: 'Bar passend (F9)' })).toHaveProperty('disabled', true);
  });

  it('takes the first hit of what is typed when Enter comes before the type-ahead answered', async () => {
    const user = userEvent.setup();
    const backend = salesBackend();
    const other = { ...SUMMARY, id: '00000000-0000-4000-8000-000000000e02', name: 'Wintergala' };
    backend.answers.set('GET /api/v1/events', (request) => ok(request.query?.['q'] === 'Sommer' ? [SUMMARY] : [other, SUMMARY]));
    await renderSales(backend);
    await screen.findByRole('option', { name: /Wintergala/ });
    await user.keyboard('Sommer{Enter}');
    await screen.findByRole('heading', { name: 'Sommerkonzert' });
    expect(backend.requests.filter((r) => r.path === `/api/v1/events/${other.id}`)).toHaveLength(0);
  });

  it('Esc brings the focus back to the event search', async () => {
    const user = userEvent.setup();
    await renderSales(salesBackend());
    await chooseEvent(user);
    expect(document.activeElement?.id).not.toBe('event-search');
    act(() => {
      fireEvent.keyDown(window, { key: 'Escape' });
    });
    expect(document.activeElement?.id).toBe('event-search');
  });

  describe('undo last sale (UX.md 5)', () => {
    const ORDER_ID = orderFor({ payment: { method: 'cash' } }).id;

    /** Sells two tickets for exact cash and confirms the print, as the fast lane does. */
    async function sellAndPrint(user: ReturnType<typeof userEvent.setup>) {
      await chooseEvent(user);
      await user.keyboard('{F1}{F1}{F9}');
      await screen.findByRole('button', { name: 'Gedruckt (Enter)' });
      await user.keyboard('{Enter}');
      await waitFor(() => {
        expect(document.activeElement?.id).toBe('event-search');
      });
    }

    it('Ctrl+Z asks once, says the printed barcodes are voided, and Enter cancels the order with the fixed reason', async () => {
      const user = userEvent.setup();
      const backend = salesBackend();
      const sold = orderFor({ items: [{ categoryId: GA, quantity: 2 }], payment: { method: 'cash', givenCents: 5000 } });
      backend.answers.set(`POST /api/v1/orders/${ORDER_ID}/cancel`, ok({
        ...sold,
        status: 'cancelled',
        tickets: sold.tickets.map((ticket) => ({ ...ticket, status: 'cancelled' })),
        payments: [...sold.payments, { ...sold.payments[0]!, id: '00000000-0000-4000-8000-00000000b0b1', amountCents: -5000, givenCents: null, changeCents: null }],
      }));
      await renderSales(backend);
      await sellAndPrint(user);
      expect(screen.getByTestId('undo-hint').textContent).toContain('Strg+Z');

      await user.keyboard('{Control>}z{/Control}');
      const question = await screen.findByTestId('undo-confirm');
      expect(question.textContent).toContain('Auftrag 1042 sofort stornieren? Der Betrag von 50,00\u00a0€ wird zurückgezahlt.');
      expect(question.textContent).toContain('Die gedruckten Tickets (Blanko 501, 502) werden ungültig: ihre Barcodes werden gesperrt');
      expect(inputs(backend, 'POST', `/api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(0);
      expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Stornieren (Enter)' }));

      await user.keyboard('{Enter}');
      const done = await screen.findByTestId('undo-done');
      expect(done.textContent).toContain('Auftrag 1042 storniert, Barcodes gesperrt.');
      expect(done.textContent).toContain('Bar zurückzahlen: 50,00\u00a0€');
      const cancels = inputs(backend, 'POST', `/api/v1/orders/${ORDER_ID}/cancel`);
      expect(cancels).toHaveLength(1);
      expect(cancels[0]!.body).toEqual({ reason: 'Sofortstorno an der Kasse' });
      expect(cancels[0]!.idempotent).toBe(true);
      // The sale has left the screen; there is nothing more to undo, and the focus is back in the search.
      expect(screen.queryByTestId('sale-result')).toBeNull();
      expect(screen.queryByTestId('undo-hint')).toBeNull();
      expect(document.activeElement?.id).toBe('event-search');
      await user.keyboard('{Control>}z{/Control}');
      expect(screen.queryByTestId('undo-confirm')).toBeNull();
      expect(inputs(backend, 'POST', `/api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(1);
    });

    it('Esc keeps the sale and brings the focus back to the search; a refused cancel shows the error and keeps the sale', async () => {
      const user = userEvent.setup();
      const backend = salesBackend();
      backend.answers.set(`POST /api/v1/orders/${ORDER_ID}/cancel`, { ok: false, error: apiError('TILL_NOT_OPEN') });
      await renderSales(backend);
      await sellAndPrint(user);
      await user.keyboard('{Control>}z{/Control}');
      await screen.findByTestId('undo-confirm');
      await user.keyboard('{Escape}');
      expect(screen.queryByTestId('undo-confirm')).toBeNull();
      expect(document.activeElement?.id).toBe('event-search');
      expect(inputs(backend, 'POST', `/api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(0);
      expect(screen.getByTestId('sale-result')).toBeTruthy();

      await user.keyboard('{Control>}z{/Control}');
      await screen.findByTestId('undo-confirm');
      await user.keyboard('{Enter}');
      await waitFor(() => {
        expect(screen.queryByTestId('undo-confirm')).toBeNull();
      });
      expect(inputs(backend, 'POST', `/api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(1);
      expect(screen.getByTestId('sale-result')).toBeTruthy();
      expect(screen.getByRole('alert').textContent).toMatch(/Kasse/);
    });

    it('offers no undo to a clerk without the cancel right', async () => {
      const user = userEvent.setup();
      const backend = salesBackend({ permissions: ['sales.sell', 'tickets.print'] });
      await renderSales(backend);
      await sellAndPrint(user);
      expect(screen.queryByTestId('undo-hint')).toBeNull();
      await user.keyboard('{Control>}z{/Control}');
      expect(screen.queryByTestId('undo-confirm')).toBeNull();
      expect(inputs(backend, 'POST', `/api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(0);
    });
  });
});
