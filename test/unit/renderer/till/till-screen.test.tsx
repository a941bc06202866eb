// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../../src/shared/api-client/errors.js';
import type { TillClosingSummary, TillReport, TillTotals } from '../../../../src/shared/api/till.js';
import type { TillBackend } from '../../../../src/renderer/features/till/backend.js';
import { TillScreen } from '../../../../src/renderer/features/till/components/TillScreen.js';
import { parseCashInput } from '../../../../src/renderer/features/till/money.js';
import { createTillStore } from '../../../../src/renderer/features/till/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';

const WS = '00000000-0000-4000-8000-00000000000a';
const SESSION = '00000000-0000-4000-8000-00000000000b';
const person = { id: '00000000-0000-4000-8000-00000000000c', login: 'kasse', displayName: 'Kim Kasse' };

const totals = (expectedCashCents: number): TillTotals => ({
  openingFloatCents: 10_000,
  cashSalesCents: expectedCashCents - 10_000,
  cashRefundsCents: 0,
  netCashCents: expectedCashCents - 10_000,
  cardSalesCents: 0,
  cardRefundsCents: 0,
  netCardCents: 0,
  orderCount: 2,
  ticketCount: 5,
  refundCount: 0,
  expectedCashCents,
});

const report = (kind: 'X' | 'Z', closing: TillReport['closing'] = null): TillReport => ({
  kind,
  tillSessionId: SESSION,
  outlet: { id: person.id, name: 'VVK Mitte' },
  workstation: { id: WS, name: 'kasse-1' },
  user: person,
  openedAt: '2026-12-04T08:00:00.000Z',
  createdAt: '2026-12-04T18:00:00.000Z',
  totals: totals(16_570),
  closing,
  pdfSha256: null,
});

const lastClosing: TillClosingSummary = {
  tillSessionId: '00000000-0000-4000-8000-00000000000d',
  closingNumber: 7,
  closingLabel: 'Z-2026-7',
  openedAt: '2026-12-03T08:00:00.000Z',
  closedAt: '2026-12-03T19:00:00.000Z',
  workstation: { id: WS, name: 'kasse-1' },
  user: person,
  openingFloatCents: 10_000,
  expectedCashCents: 12_345,
  countedCashCents: 12_340,
  differenceCents: -5,
  differenceReason: 'Rundung',
  pdfSha256: 'a'.repeat(64),
};

function fakeBackend() {
  const calls: string[] = [];
  let open = false;
  const fail = (code: string, status = 409): ApiResult<never> => ({ ok: false, error: { code, status, message: code } });
  const backend: TillBackend = {
    current: async () => (open ? { ok: true, value: report('X') } : fail('TILL_NOT_OPEN', 404)),
    open: async (cents) => {
      calls.push(`open ${String(cents)}`);
      open = true;
      return { ok: true, value: report('X') };
    },
    close: async (counted, reason) => {
      calls.push(`close ${counted} ${String(reason)}`);
      if (counted !== 16_570 && reason === undefined) return fail('DIFFERENCE_REASON_REQUIRED', 422);
      open = false;
      return {
        ok: true,
        value: report('Z', { number: 8, label: 'Z-2026-8', closedAt: '2026-12-04T18:00:00.000Z', countedCashCents: counted, differenceCents: counted - 16_570, differenceReason: reason ?? null }),
      };
    },
    closings: async () => ({ ok: true, value: [lastClosing] }),
    closingPdf: undefined,
  };
  return { backend, calls };
}

function renderTill() {
  const fake = fakeBackend();
  const store = createTillStore({ backend: fake.backend, workstationId: () => WS });
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <TillScreen store={store} formatDateTime={(iso) => iso.slice(0, 16)} onPdf={undefined} />
    </I18nProvider>,
  );
  return { ...fake, store, user: userEvent.setup() };
}

afterEach(() => cleanup());

describe('till screen', () => {
  it('opens with the float of the last closing here, then shows running totals only on request', async () => {
    const { calls, user } = renderTill();
    const float = await screen.findByLabelText('Wechselgeld (Anfangsbestand) in €');
    expect(float).toHaveProperty('value', '123,40');
    expect(document.activeElement).toBe(float);
    await user.clear(float);
    await user.type(float, '100{Enter}');
    expect(calls).toEqual(['open 10000']);
    await screen.findByText('Kasse geöffnet');
    expect(screen.queryByTestId('till-totals')).toBeNull();
    fireEvent.keyDown(window, { key: 'x', code: 'KeyX', altKey: true });
    const totalsTable = await screen.findByTestId('till-totals');
    expect(within(totalsTable).getByText('165,70 €', { exact: false })).toBeTruthy();
  });

  it('closes with a blind count: no expected amount while counting, a difference needs a reason, then the numbered Z report', async () => {
    const { calls, user, store } = renderTill();
    await user.type(await screen.findByLabelText('Wechselgeld (Anfangsbestand) in €'), '{Enter}');
    await screen.findByText('Kasse geöffnet');
    fireEvent.keyDown(window, { key: 'x', code: 'KeyX', altKey: true });
    await screen.findByTestId('till-totals');
    fireEvent.keyDown(window, { key: 'z', code: 'KeyZ', altKey: true });
    const counted = await screen.findByLabelText('Gezähltes Bargeld in €');
    expect(document.activeElement).toBe(counted);
    // Blind: neither the interim totals nor any expected amount is on screen.
    expect(screen.queryByTestId('till-totals')).toBeNull();
    expect(document.body.textContent).not.toMatch(/165,70/);
    await user.type(counted, 'zwölf{Enter}');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Bitte einen Betrag in Euro eingeben, z. B. 150 oder 150,50.');
    expect(calls.filter((c) => c.startsWith('close'))).toEqual([]);
    await user.clear(counted);
    await user.type(counted, '150,00{Enter}');
    const reason = await screen.findByLabelText('Grund der Differenz');
    expect(calls.at(-1)).toBe('close 15000 undefined');
    expect(document.body.textContent).not.toMatch(/165,70/);
    expect(document.activeElement).toBe(reason);
    await user.type(reason, 'ab{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Bitte den Grund in mindestens 3 Zeichen angeben.');
    await user.type(reason, 'er falsch gewechselt{Enter}');
    expect(calls.at(-1)).toBe('close 15000 aber falsch gewechselt');
    const done = await screen.findByTestId('till-closing');
    expect(within(done).getByText('Kassenabschluss Z-2026-8')).toBeTruthy();
    expect(within(done).getByTestId('till-difference').textContent).toMatch(/-15,70\s€ \(Fehlbetrag\)/);
    expect(store.getState().phase).toBe('done');
    // The closings list is there again, numbered.
    expect(within(screen.getByTestId('till-closings')).getByText('Z-2026-7')).toBeTruthy();
  });

  it('closes without asking for a reason when the count matches; Esc cancels a closing', async () => {
    const { calls, user, store } = renderTill();
    await user.type(await screen.findByLabelText('Wechselgeld (Anfangsbestand) in €'), '{Enter}');
    await screen.findByText('Kasse geöffnet');
    store.getState().startClosing();
    const counted = await screen.findByLabelText('Gezähltes Bargeld in €');
    fireEvent.keyDown(counted, { key: 'Escape' });
    await screen.findByText('Kasse geöffnet');
    expect(calls.filter((c) => c.startsWith('close'))).toEqual([]);
    store.getState().startClosing();
    await user.type(await screen.findByLabelText('Gezähltes Bargeld in €'), '165,70{Enter}');
    await screen.findByTestId('till-closing');
    expect(calls.at(-1)).toBe('close 16570 undefined');
    expect(screen.getByTestId('till-difference').textContent).toMatch(/ausgeglichen/);
  });
});

describe('parseCashInput', () => {
  it('reads German and dotted amounts into cents without floating point', () => {
    expect(parseCashInput('150')).toBe(15_000);
    expect(parseCashInput('150,5')).toBe(15_050);
    expect(parseCashInput('1.234,56 €')).toBe(123_456);
    expect(parseCashInput('12.50')).toBe(1_250);
    expect(parseCashInput('1.234')).toBe(123_400);
    expect(parseCashInput('0,07')).toBe(7);
    for (const bad of ['', 'abc', '1,234', '-5', '1.2.3', '12,']) expect(parseCashInput(bad), bad).toBeUndefined();
  });
});
