// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../../src/shared/api-client/errors.js';
import type { PendingPrintJob, PrintJobView, TrayView } from '../../../../src/shared/api/printing.js';
import { DEFAULT_STATION_SETTINGS, type StationSettings } from '../../../../src/shared/ipc/station-settings.js';
import type { StationPrinting, StockBackend } from '../../../../src/renderer/features/stock/backend.js';
import { StockScreen } from '../../../../src/renderer/features/stock/components/StockScreen.js';
import { formatMillimetres, nudge } from '../../../../src/renderer/features/stock/offsets.js';
import { createStockStore } from '../../../../src/renderer/features/stock/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';

const WS = '00000000-0000-4000-8000-00000000000a';
const JOB = '00000000-0000-4000-8000-00000000000e';
const person = { id: '00000000-0000-4000-8000-00000000000c', login: 'kasse', displayName: 'Kim Kasse' };

function tray(next: number | null, available: number): TrayView {
  return { workstationId: WS, nextBlankNumber: next, sheet: next === null ? null : Math.ceil(next / 3), position: next === null ? null : (((next - 1) % 3) + 1), reusePartialSheets: false, available, voidedLeftovers: [] };
}

const pendingJob: PendingPrintJob = {
  printJobId: JOB,
  orderId: person.id,
  orderNumber: 4711,
  workstation: { id: WS, name: 'kasse-1' },
  createdBy: person,
  createdAt: '2026-12-04T18:00:00.000Z',
  unresolved: true,
  pendingBlanks: [101, 102],
};

function fakes(options: { desktop: boolean }) {
  const calls: string[] = [];
  let current = tray(null, 0);
  let pending = [pendingJob];
  let settings: StationSettings = { ...DEFAULT_STATION_SETTINGS, printer: { name: 'Ticketdrucker', offsetXTenthMm: 3, offsetYTenthMm: -2 } };
  const backend: StockBackend = {
    tray: async () => ({ ok: true, value: current }),
    loadPaper: async (n) => {
      calls.push(`load ${n}`);
      current = tray(n, 20);
      return { ok: true, value: current };
    },
    pendingJobs: async () => ({ ok: true, value: pending }),
    spoil: async (jobId, blanks, reason, note): Promise<ApiResult<PrintJobView>> => {
      calls.push(`spoil ${jobId} ${blanks.join(',')} ${reason} ${String(note)}`);
      pending = [{ ...pendingJob, pendingBlanks: pendingJob.pendingBlanks.filter((b) => !blanks.includes(b)) }];
      return { ok: true, value: {} as PrintJobView };
    },
    report: async () => ({ ok: false, error: { code: 'FORBIDDEN', status: 403, message: 'x' } }),
    reportPdf: undefined,
  };
  const station: StationPrinting = {
    printerStatus: async () => ({ ok: true, value: { name: 'Ticketdrucker', state: 'idle', isDefault: true } }),
    unresolvedJobs: async () => ({ ok: true, value: [] }),
    retryJob: async () => ({ ok: true, value: null }),
    spoilJob: async () => ({ ok: true, value: null }),
    printCalibrationSheet: async () => {
      calls.push('calibration sheet');
      return { ok: true, value: { spoolerJobId: '7' } };
    },
    settings: async () => ({ ok: true, value: settings }),
    saveSettings: async (next) => {
      calls.push(`save ${next.printer.offsetXTenthMm} ${next.printer.offsetYTenthMm}`);
      settings = next;
      return { ok: true, value: null };
    },
  };
  let warn: number | undefined;
  const store = createStockStore({ backend, station: options.desktop ? station : undefined, canPrint: true, canManage: false, warnLevel: { get: () => warn, set: (n) => (warn = n) } });
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <StockScreen store={store} formatDateTime={(iso) => iso.slice(0, 16)} onReportPdf={undefined} />
    </I18nProvider>,
  );
  return { calls, store, user: userEvent.setup(), warnLevel: () => warn };
}

afterEach(() => cleanup());

describe('printing and stock screen', () => {
  it('loads paper by the first blank number and warns below the warning level', async () => {
    const { calls, user, warnLevel } = fakes({ desktop: false });
    expect((await screen.findByTestId('tray-state')).textContent).toMatch(/Kein Papier erfasst/);
    await user.type(screen.getByLabelText('Papier einlegen: Nummer des ersten Blankos im Fach'), '31{Enter}');
    expect(calls).toEqual(['load 31']);
    expect((await screen.findByTestId('stock-notice')).textContent).toMatch(/nächstes Blanko Nr\. 31, 20 Blankos verfügbar/);
    // 20 left, default warning level 30: a warning with a word and a symbol, not colour only.
    const state = screen.getByTestId('tray-state');
    expect(state.textContent).toMatch(/Wenige Blankos: nur noch 20 \(Warnung ab 30\)/);
    const level = screen.getByLabelText('Warnen, wenn weniger Blankos im Fach sind als');
    await user.clear(level);
    await user.type(level, '10{Enter}');
    expect(warnLevel()).toBe(10);
    expect(screen.getByTestId('tray-state').textContent).toMatch(/Genug Blankos/);
  });

  it('says printing is desktop-only in the browser and offers no calibration there', async () => {
    fakes({ desktop: false });
    expect((await screen.findByTestId('printer-web-only')).textContent).toMatch(/nur an der Station/);
    expect(screen.queryByText('Kalibrierung (Versatz des Drucks)')).toBeNull();
  });

  it('spoils a blank in three inputs: number, reason, Enter', async () => {
    const { calls, user } = fakes({ desktop: false });
    const queue = await screen.findByTestId('print-queue');
    expect(within(queue).getByText('4711')).toBeTruthy();
    expect(within(queue).getByText('ohne Rückmeldung – bitte klären')).toBeTruthy();
    await user.type(screen.getByLabelText('Blanko-Nr.'), '102');
    await user.selectOptions(screen.getByLabelText('Grund'), 'misprint');
    await user.type(screen.getByLabelText('Blanko-Nr.'), '{Enter}');
    expect(calls).toEqual([`spoil ${JOB} 102 misprint undefined`]);
    expect((await screen.findByTestId('stock-notice')).textContent).toMatch(/Verworfen: Blanko 102/);
    // A blank of no open job is refused with a hint, and nothing is sent.
    await user.type(screen.getByLabelText('Blanko-Nr.'), '999{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/gehört zu keinem offenen Druckauftrag/);
    expect(calls).toHaveLength(1);
  });

  it('moves the offsets in 0.1 mm steps (Shift: 1 mm) with a preview, and saves them', async () => {
    const { calls, user } = fakes({ desktop: true });
    const x = await screen.findByTestId('offset-x');
    const y = screen.getByTestId('offset-y');
    expect(x.textContent).toBe('+0,3 mm');
    expect(y.textContent).toBe('−0,2 mm');
    x.focus();
    fireEvent.keyDown(x, { key: 'ArrowRight' });
    fireEvent.keyDown(x, { key: 'ArrowRight' });
    expect(x.textContent).toBe('+0,5 mm');
    fireEvent.keyDown(x, { key: 'ArrowLeft', shiftKey: true });
    expect(x.textContent).toBe('−0,5 mm');
    await user.click(screen.getByRole('button', { name: 'Versatz nach unten (Y): +0,1 mm' }));
    expect(y.textContent).toBe('−0,1 mm');
    fireEvent.keyDown(y, { key: 'ArrowDown', shiftKey: true });
    expect(y.textContent).toBe('+0,9 mm');
    // The preview moves the print by the offset, ten times enlarged (mm on the drawing).
    const print = screen.getByTestId('calibration-print');
    expect(print.getAttribute('data-dx')).toBe('-5.0');
    expect(print.getAttribute('data-dy')).toBe('9.0');
    expect(screen.getByText('Nicht gespeichert')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Versatz speichern' }));
    expect(calls).toContain('save -5 9');
    expect((await screen.findByTestId('stock-notice')).textContent).toMatch(/Versatz gespeichert/);
    await user.click(screen.getByRole('button', { name: 'Testbogen drucken' }));
    expect(calls).toContain('calibration sheet');
    expect((await screen.findByTestId('printer-state')).textContent).toBe('● Ticketdrucker: Bereit');
  });
});

describe('offsets', () => {
  it('steps in whole tenths, stops at ±20 mm, and shows millimetres with a sign', () => {
    let o = { x: 0, y: 0 };
    for (let i = 0; i < 3; i += 1) o = nudge(o, 'x', 1);
    expect(o).toEqual({ x: 3, y: 0 });
    expect(formatMillimetres(o.x, ',')).toBe('+0,3');
    expect(nudge({ x: 199, y: 0 }, 'x', 10)).toEqual({ x: 200, y: 0 });
    expect(nudge({ x: 0, y: -195 }, 'y', -10)).toEqual({ x: 0, y: -200 });
    expect(formatMillimetres(-15, '.')).toBe('−1.5');
    expect(formatMillimetres(0, ',')).toBe('±0,0');
  });
});
