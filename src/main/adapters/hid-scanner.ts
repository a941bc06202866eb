/**
 * HID-POS barcode scanners through node-hid. Finds the scanner by the configured vendor/product id or,
 * without one, by HID usage page 0x8C (bar code scanner); opens it, decodes its input reports
 * (src/shared/scanner/hidpos.ts) and delivers scans. When the device goes away (node-hid emits 'error'
 * on the read loop: unplugged, USB reset, suspend), the handle is closed and the device list is polled
 * again until the scanner is back. Every failure reaches the listener as a coded error.
 *
 * node-hid is a native module and needs libudev/libusb at run time, so it is never loaded at import time:
 * the composition root calls loadNodeHid(), tests pass an object with node-hid's interface.
 */
import { createReportAssembler, type ScannerReportLayout } from '../../shared/scanner/hidpos.js';
import type { Clock } from '../ports/clock.js';
import { ScannerErrorCode, type Scanner, type ScannerDevice, type ScannerError, type ScannerListener, type ScannerState } from '../ports/scanner.js';
import type { Timers } from '../ports/timers.js';

/** HID usage page of bar code scanners (HID Point of Sale usage tables). */
export const HID_USAGE_PAGE_BARCODE_SCANNER = 0x8c;

/** What node-hid's devices() lists (node-hid's `Device`). */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly product?: string | undefined;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
  readonly interface?: number | undefined;
}

/** The part of node-hid's `HID` class the adapter uses: read loop via 'data', failure via 'error'. */
export interface HidHandle {
  on(event: 'data', listener: (data: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

export interface HidModule {
  devices(): HidDeviceInfo[];
  open(path: string): HidHandle;
}

/** Loads node-hid (only in the Electron main process and on machines with a scanner configured). */
export async function loadNodeHid(): Promise<HidModule> {
  // node-hid is CommonJS: its exports arrive as the default export.
  const hid = (await import('node-hid')).default;
  return { devices: () => hid.devices(), open: (path) => new hid.HID(path) };
}

export interface HidScannerOptions {
  readonly hid: HidModule;
  readonly timers: Timers;
  readonly clock: Clock;
  /** From the station settings; without it the first device on usage page 0x8C is taken. */
  readonly match?: { readonly vendorId: number; readonly productId: number };
  /** 'ibm-handheld' for Zebra scanners in IBM Hand-held USB mode (vendor usage page, so match by id). */
  readonly layout?: ScannerReportLayout;
  /** How often the device list is read while no scanner is open. */
  readonly pollIntervalMs?: number;
  /** A read split over several reports whose last report does not come within this time is dropped. */
  readonly continuationTimeoutMs?: number;
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** The device to open: the configured ids (preferring the 0x8C interface of a composite device), else usage page 0x8C. */
export function pickScanner(devices: readonly HidDeviceInfo[], match?: { readonly vendorId: number; readonly productId: number }): HidDeviceInfo | undefined {
  const openable = devices.filter((d) => typeof d.path === 'string' && d.path.length > 0);
  const candidates = match === undefined ? openable.filter((d) => d.usagePage === HID_USAGE_PAGE_BARCODE_SCANNER) : openable.filter((d) => d.vendorId === match.vendorId && d.productId === match.productId);
  return candidates.find((d) => d.usagePage === HID_USAGE_PAGE_BARCODE_SCANNER) ?? candidates[0];
}

export function createHidScanner(options: HidScannerOptions): Scanner {
  const { hid, timers, clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const continuationTimeoutMs = options.continuationTimeoutMs ?? 500;
  const assembler = createReportAssembler({ layout: options.layout ?? 'hidpos' });
  const wanted = options.match === undefined ? 'a scanner on HID usage page 0x8C' : `scanner ${options.match.vendorId.toString(16).padStart(4, '0')}:${options.match.productId.toString(16).padStart(4, '0')}`;

  let listener: ScannerListener | undefined;
  let state: ScannerState = { state: 'stopped' };
  let handle: HidHandle | undefined;
  let pollTimer: unknown;
  let continuationTimer: unknown;
  /** The last error of the current search, so a search that keeps failing the same way reports it once. */
  let lastSearchError: string | undefined;

  const setState = (next: ScannerState): void => {
    state = next;
    listener?.state(next);
  };
  const report = (error: ScannerError): void => listener?.error(error);
  const reportSearchError = (error: ScannerError): void => {
    const key = `${error.code}:${error.message}`;
    if (key === lastSearchError) return;
    lastSearchError = key;
    report(error);
  };

  const clearContinuation = (): void => {
    if (continuationTimer !== undefined) timers.clearTimeout(continuationTimer);
    continuationTimer = undefined;
  };

  const schedulePoll = (): void => {
    if (pollTimer !== undefined || listener === undefined) return;
    pollTimer = timers.setTimeout(() => {
      pollTimer = undefined;
      poll();
    }, pollIntervalMs);
  };

  function closeHandle(): void {
    clearContinuation();
    assembler.reset();
    const closing = handle;
    handle = undefined;
    if (closing === undefined) return;
    closing.removeAllListeners('data');
    // node-hid emits 'error' on a read that fails while closing; keep a listener so it is not thrown.
    closing.removeAllListeners('error');
    closing.on('error', () => undefined);
    try {
      closing.close();
    } catch {
      // Closing a device that is already gone may throw; there is nothing left to release.
    }
  }

  function onData(device: ScannerDevice, data: Uint8Array): void {
    clearContinuation();
    const outcome = assembler.push(data);
    switch (outcome.kind) {
      case 'partial':
        continuationTimer = timers.setTimeout(() => {
          continuationTimer = undefined;
          assembler.reset();
          report({ code: ScannerErrorCode.decodeFailed, detail: 'HIDPOS_CONTINUATION_TIMEOUT', message: `the last report of a split read did not come within ${continuationTimeoutMs} ms` });
        }, continuationTimeoutMs);
        return;
      case 'scan':
        listener?.scan({ text: outcome.scan.text, symbology: outcome.scan.symbology, source: 'hid', at: clock.now(), device });
        return;
      case 'error':
        report({ code: ScannerErrorCode.decodeFailed, detail: outcome.error.code, message: outcome.error.message });
        return;
    }
  }

  function onDeviceError(device: ScannerDevice, error: unknown): void {
    if (handle === undefined) return;
    closeHandle();
    report({ code: ScannerErrorCode.disconnected, message: `${device.path}: ${describeError(error)}` });
    lastSearchError = undefined;
    setState({ state: 'searching' });
    schedulePoll();
  }

  function poll(): void {
    if (listener === undefined || handle !== undefined) return;
    let devices: HidDeviceInfo[];
    try {
      devices = hid.devices();
    } catch (error) {
      reportSearchError({ code: ScannerErrorCode.enumerationFailed, message: describeError(error) });
      schedulePoll();
      return;
    }
    const found = pickScanner(devices, options.match);
    if (found === undefined) {
      reportSearchError({ code: ScannerErrorCode.notFound, message: `${wanted} is not connected` });
      schedulePoll();
      return;
    }
    const device: ScannerDevice = { vendorId: found.vendorId, productId: found.productId, product: found.product ?? null, path: found.path as string };
    let opened: HidHandle;
    try {
      opened = hid.open(device.path);
    } catch (error) {
      reportSearchError({ code: ScannerErrorCode.openFailed, message: `${device.path}: ${describeError(error)}` });
      schedulePoll();
      return;
    }
    handle = opened;
    lastSearchError = undefined;
    opened.on('error', (error) => onDeviceError(device, error));
    opened.on('data', (data) => {
      if (handle === opened) onData(device, data);
    });
    setState({ state: 'connected', device });
  }

  return {
    start(next) {
      if (listener !== undefined) throw new Error('the scanner is already started');
      listener = next;
      lastSearchError = undefined;
      setState({ state: 'searching' });
      poll();
    },
    stop() {
      if (pollTimer !== undefined) timers.clearTimeout(pollTimer);
      pollTimer = undefined;
      closeHandle();
      setState({ state: 'stopped' });
      listener = undefined;
    },
    current: () => state,
  };
}
