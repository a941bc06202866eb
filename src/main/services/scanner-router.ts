/**
 * Runs the HID scanner the station settings name and passes what it reads to the window: scans as the
 * `scannerScan` event (the same text the keyboard-wedge path yields), its state and failures as
 * `scannerStatus`. Follows settings changes; with a keyboard-wedge scanner nothing runs in main.
 */
import { Value } from 'typebox/value';
import { IPC_EVENTS } from '../../shared/ipc/contract.js';
import type { ScannerSettings } from '../../shared/ipc/station-settings.js';
import type { Logger } from '../ports/logger.js';
import type { Scanner, ScannerState } from '../ports/scanner.js';
import type { UiEvents } from '../ports/ui-events.js';

export type HidScannerSettings = Extract<ScannerSettings, { kind: 'hid' }>;

export interface ScannerRouter {
  /** Starts, restarts or stops the scanner for these settings (nothing happens when they did not change). */
  apply(settings: ScannerSettings | undefined): Promise<void>;
  stop(): void;
}

/** What the scannerScan event may carry (printable ASCII, 1–128 characters). */
const fitsEvent = (text: string): boolean => Value.Check(IPC_EVENTS.scannerScan.properties.code, text);

const stateName = (state: ScannerState): 'searching' | 'connected' | 'off' => (state.state === 'stopped' ? 'off' : state.state);

export function createScannerRouter(deps: {
  /** Builds the adapter (loads node-hid); may fail where the native module cannot load. */
  readonly openScanner: (settings: HidScannerSettings) => Promise<Scanner>;
  readonly events: UiEvents;
  readonly log: Logger;
}): ScannerRouter {
  let running: { key: string; scanner: Scanner | undefined } | undefined;
  let queue: Promise<void> = Promise.resolve();

  const stop = (): void => {
    running?.scanner?.stop();
    running = undefined;
  };

  async function applyNow(settings: ScannerSettings | undefined): Promise<void> {
    const hid = settings?.kind === 'hid' ? settings : undefined;
    const key = hid === undefined ? 'none' : `${hid.vendorId}:${hid.productId}`;
    if ((running?.key ?? 'none') === key) return;
    stop();
    if (hid === undefined) {
      deps.events.emit('scannerStatus', { state: 'off' });
      return;
    }
    let scanner: Scanner;
    try {
      scanner = await deps.openScanner(hid);
    } catch (error) {
      deps.log.error('HID scanner support unavailable', { error: String(error) });
      running = { key, scanner: undefined };
      deps.events.emit('scannerStatus', { state: 'off', code: 'SCANNER_UNAVAILABLE' });
      return;
    }
    running = { key, scanner };
    scanner.start({
      scan: (scan) => {
        if (!fitsEvent(scan.text)) {
          // Not a ticket code (and nothing the UI could show); the text itself stays out of the log.
          deps.log.warn('scanned code not forwarded: not printable ASCII of 1–128 characters', { length: scan.text.length, symbology: scan.symbology });
          return;
        }
        deps.events.emit('scannerScan', { code: scan.text, source: 'hid', at: scan.at.toISOString() });
      },
      error: (error) => {
        deps.log.warn('HID scanner', { code: error.code, detail: error.detail, message: error.message });
        deps.events.emit('scannerStatus', { state: stateName(scanner.current()), code: error.code });
      },
      state: (state) => deps.events.emit('scannerStatus', { state: stateName(state) }),
    });
  }

  return {
    apply(settings) {
      const next = queue.then(() => applyNow(settings));
      queue = next.catch(() => undefined);
      return next;
    },
    stop,
  };
}
