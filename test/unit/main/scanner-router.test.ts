import { describe, expect, it } from 'vitest';
import { createUiEvents } from '../../../src/main/ipc/events.js';
import type { Scanner, ScannerListener, ScannerState } from '../../../src/main/ports/scanner.js';
import { createScannerRouter, type HidScannerSettings } from '../../../src/main/services/scanner-router.js';
import { ipcEventChannel } from '../../../src/shared/ipc/contract.js';

/** A scanner port implementation the test drives by hand. */
function fakeScanner(settings: HidScannerSettings) {
  let listener: ScannerListener | undefined;
  let state: ScannerState = { state: 'stopped' };
  const device = { vendorId: settings.vendorId, productId: settings.productId, product: 'Fake', path: '/dev/hidraw9' };
  const scanner: Scanner = {
    start: (l) => {
      listener = l;
      state = { state: 'connected', device };
      l.state(state);
    },
    stop: () => {
      state = { state: 'stopped' };
      listener = undefined;
    },
    current: () => state,
  };
  return {
    scanner,
    settings,
    get running() {
      return listener !== undefined;
    },
    read: (text: string) => listener?.scan({ text, symbology: ']C0', source: 'hid', at: new Date('2026-12-04T19:00:00.000Z'), device }),
    unplug: () => {
      state = { state: 'searching' };
      listener?.error({ code: 'SCANNER_DISCONNECTED', message: 'gone' });
      listener?.state(state);
    },
  };
}

function setup(options: { failOpen?: boolean } = {}) {
  const sent: Array<[string, unknown]> = [];
  const logged: string[] = [];
  const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
  // The real UiEvents: every payload is checked against the IPC contract (a mismatch is logged, not sent).
  const events = createUiEvents((channel, payload) => sent.push([channel, payload]), log);
  const made: Array<ReturnType<typeof fakeScanner>> = [];
  const router = createScannerRouter({
    openScanner: async (s) => {
      if (options.failOpen === true) throw new Error('libudev.so.1: cannot open shared object file');
      const f = fakeScanner(s);
      made.push(f);
      return f.scanner;
    },
    events,
    log,
  });
  return { router, sent, logged, made };
}

const hid = { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b87 } as const;

describe('scanner router', () => {
  it('forwards HID scans and state changes to the window as contract events', async () => {
    const { router, sent, logged, made } = setup();
    await router.apply(hid);
    made[0]!.read('4006381333931');
    made[0]!.unplug();
    expect(sent).toEqual([
      [ipcEventChannel('scannerStatus'), { state: 'connected' }],
      [ipcEventChannel('scannerScan'), { code: '4006381333931', source: 'hid', at: '2026-12-04T19:00:00.000Z' }],
      [ipcEventChannel('scannerStatus'), { state: 'searching', code: 'SCANNER_DISCONNECTED' }],
      [ipcEventChannel('scannerStatus'), { state: 'searching' }],
    ]);
    expect(logged).toEqual(['HID scanner']);
  });

  it('does not forward text the event cannot carry, and keeps it out of the log', async () => {
    const { router, sent, logged, made } = setup();
    await router.apply(hid);
    sent.length = 0;
    made[0]!.read('Grüße aus Köln');
    made[0]!.read('x'.repeat(129));
    expect(sent).toEqual([]);
    expect(logged.join(' ')).not.toContain('Grüße');
    expect(logged).toHaveLength(2);
  });

  it('follows settings changes: same settings keep the scanner, others restart it, keyboard-wedge stops it', async () => {
    const { router, sent, made } = setup();
    await router.apply(hid);
    await router.apply({ ...hid });
    expect(made).toHaveLength(1);
    await router.apply({ kind: 'hid', vendorId: 0x05e0, productId: 0x1300 });
    expect(made.map((m) => m.running)).toEqual([false, true]);
    await router.apply({ kind: 'keyboard-wedge' });
    expect(made.map((m) => m.running)).toEqual([false, false]);
    expect(sent.at(-1)).toEqual([ipcEventChannel('scannerStatus'), { state: 'off' }]);
  });

  it('reports a scanner that cannot be used at all (node-hid does not load) as off with a code', async () => {
    const { router, sent, logged } = setup({ failOpen: true });
    await router.apply(hid);
    expect(sent).toEqual([[ipcEventChannel('scannerStatus'), { state: 'off', code: 'SCANNER_UNAVAILABLE' }]]);
    expect(logged).toEqual(['HID scanner support unavailable']);
  });
});
