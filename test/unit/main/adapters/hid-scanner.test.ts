import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHidScanner, pickScanner, type HidDeviceInfo, type HidHandle, type HidModule } from '../../../../src/main/adapters/hid-scanner.js';
import type { ScannedCode, ScannerError, ScannerListener, ScannerState } from '../../../../src/main/ports/scanner.js';
import { manualTimers } from '../../../support/manual-timers.js';

const captures = JSON.parse(readFileSync(new URL('../../../fixtures/scanner/hidpos-public-captures.json', import.meta.url), 'utf8')) as Array<{ name: string; reports: string[] }>;
const hexReports = (name: string): Buffer[] => captures.find((c) => c.name === name)!.reports.map((r) => Buffer.from(r, 'hex'));

/**
 * A device object as node-hid's HID class behaves: an EventEmitter whose read loop emits 'data' with a
 * Buffer per input report, and 'error' when the read fails (the device was unplugged); close() ends it.
 */
class FakeHidDevice extends EventEmitter implements HidHandle {
  closed = false;
  constructor(readonly path: string) {
    super();
  }
  close(): void {
    if (this.closed) throw new Error('Unable to close a closed HID device');
    this.closed = true;
    this.removeAllListeners();
  }
  /** The scanner sends a report (only while open, as with real hardware). */
  send(report: Buffer): void {
    if (!this.closed) this.emit('data', report);
  }
  unplug(): void {
    this.emit('error', new Error('could not read from HID device'));
  }
}

/** node-hid's module surface: devices() lists what is plugged in; opening an absent path throws like node-hid. */
function fakeHid(initial: HidDeviceInfo[]) {
  let plugged = [...initial];
  const opened: FakeHidDevice[] = [];
  let devicesFailure: Error | undefined;
  let openFailure: Error | undefined;
  const hid: HidModule = {
    devices: () => {
      if (devicesFailure !== undefined) throw devicesFailure;
      return plugged.map((d) => ({ ...d }));
    },
    open: (path) => {
      if (openFailure !== undefined) throw openFailure;
      if (!plugged.some((d) => d.path === path)) throw new Error(`cannot open device with path ${path}`);
      const device = new FakeHidDevice(path);
      opened.push(device);
      return device;
    },
  };
  return {
    hid,
    opened,
    unplugAll: () => {
      plugged = [];
    },
    plug: (d: HidDeviceInfo) => plugged.push(d),
    failDevices: (e: Error | undefined) => {
      devicesFailure = e;
    },
    failOpen: (e: Error | undefined) => {
      openFailure = e;
    },
  };
}

function recorder() {
  const scans: ScannedCode[] = [];
  const errors: ScannerError[] = [];
  const states: string[] = [];
  const listener: ScannerListener = {
    scan: (s) => scans.push(s),
    error: (e) => errors.push(e),
    state: (s: ScannerState) => states.push(s.state === 'connected' ? `connected ${s.device.path}` : s.state),
  };
  return { scans, errors, states, listener };
}

const honeywell: HidDeviceInfo = { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw3', usagePage: 0x8c, usage: 2, interface: 1, product: 'Honeywell HID POS' };
const keyboard: HidDeviceInfo = { vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw0', usagePage: 0x01, usage: 6, interface: 0, product: 'Keyboard' };
const clock = { now: () => new Date('2026-12-04T18:00:00.000Z') };

/** A 64-byte Honeywell report. */
function report(aim: string, text: string, continued = false): Buffer {
  const out = Buffer.alloc(64);
  out[0] = 2;
  out[1] = text.length;
  out.write(aim, 2, 'latin1');
  out.write(text, 5, 'latin1');
  out[63] = continued ? 1 : 0;
  return out;
}

describe('picking the scanner', () => {
  it('takes the usage page 0x8C device, or the configured ids (preferring their 0x8C interface)', () => {
    expect(pickScanner([keyboard, honeywell])).toBe(honeywell);
    expect(pickScanner([keyboard])).toBeUndefined();
    const keyboardInterface = { ...honeywell, path: '/dev/hidraw2', usagePage: 0x01, interface: 0 };
    expect(pickScanner([keyboardInterface, honeywell], { vendorId: 0x0c2e, productId: 0x0b87 })).toBe(honeywell);
    const zebraIbm: HidDeviceInfo = { vendorId: 0x05e0, productId: 0x1300, path: '/dev/hidraw5', usagePage: 0xff45, usage: 0x4b00, interface: 0 };
    expect(pickScanner([zebraIbm, honeywell], { vendorId: 0x05e0, productId: 0x1300 })).toBe(zebraIbm);
    expect(pickScanner([{ ...honeywell, path: '' }])).toBeUndefined();
  });
});

describe('HID scanner adapter', () => {
  it('opens the scanner, decodes reports (also split ones) and delivers scans with time and device', () => {
    const { timers } = manualTimers();
    const fake = fakeHid([keyboard, honeywell]);
    const rec = recorder();
    const scanner = createHidScanner({ hid: fake.hid, timers, clock });
    scanner.start(rec.listener);
    expect(rec.states).toEqual(['searching', 'connected /dev/hidraw3']);
    const device = fake.opened[0]!;
    device.send(report(']C0', '0123456789012345678901\r'));
    for (const r of hexReports('hon-real-capture-revinf-voyager-1602g')) device.send(r);
    expect(rec.scans.map((s) => [s.text.slice(0, 22), s.symbology])).toEqual([
      ['0123456789012345678901', ']C0'],
      ['Product Name: Voyager ', ']X0'],
      ['REVINF\u0006.', ']Z6'],
    ]);
    expect(rec.scans[0]).toMatchObject({ source: 'hid', at: clock.now(), device: { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw3' } });
    expect(rec.errors).toEqual([]);
  });

  it('reports undecodable reads as coded errors and keeps reading', () => {
    const { timers } = manualTimers();
    const fake = fakeHid([honeywell]);
    const rec = recorder();
    createHidScanner({ hid: fake.hid, timers, clock }).start(rec.listener);
    const device = fake.opened[0]!;
    device.send(report(']J9', '123'));
    device.send(Buffer.from('deadbeef', 'hex'));
    device.send(report(']E0', '4006381333931'));
    expect(rec.errors.map((e) => [e.code, e.detail])).toEqual([
      ['SCANNER_DECODE_FAILED', 'HIDPOS_UNKNOWN_SYMBOLOGY'],
      ['SCANNER_DECODE_FAILED', 'HIDPOS_REPORT_TRUNCATED'],
    ]);
    expect(rec.scans.map((s) => s.text)).toEqual(['4006381333931']);
  });

  it('drops a split read whose last report never comes, so it cannot glue onto the next scan', () => {
    const { timers, pending, fireAllNow: fireAll } = manualTimers();
    const fake = fakeHid([honeywell]);
    const rec = recorder();
    createHidScanner({ hid: fake.hid, timers, clock, continuationTimeoutMs: 300 }).start(rec.listener);
    fake.opened[0]!.send(report(']C0', '0123', true));
    expect([...pending.values()].map((t) => t.ms)).toEqual([300]);
    fireAll();
    expect(rec.errors).toMatchObject([{ code: 'SCANNER_DECODE_FAILED', detail: 'HIDPOS_CONTINUATION_TIMEOUT' }]);
    fake.opened[0]!.send(report(']C0', '99'));
    expect(rec.scans.map((s) => s.text)).toEqual(['99']);
  });

  it('unplug → error → searching (polling the device list) → replug → connected again, scans flow again', () => {
    const { timers, pending, fireAllNow: fireAll } = manualTimers();
    const fake = fakeHid([honeywell]);
    const rec = recorder();
    const scanner = createHidScanner({ hid: fake.hid, timers, clock, pollIntervalMs: 750 });
    scanner.start(rec.listener);
    const first = fake.opened[0]!;
    first.send(report(']C0', '1111', true));

    fake.unplugAll();
    first.unplug();
    expect(first.closed).toBe(true);
    expect(rec.errors).toMatchObject([{ code: 'SCANNER_DISCONNECTED', message: expect.stringContaining('could not read from HID device') }]);
    expect(scanner.current()).toEqual({ state: 'searching' });
    expect([...pending.values()].map((t) => t.ms)).toEqual([750]);

    // Polls while unplugged: one "not found", not one per poll.
    fireAll();
    fireAll();
    fireAll();
    expect(rec.errors.map((e) => e.code)).toEqual(['SCANNER_DISCONNECTED', 'SCANNER_NOT_FOUND']);
    expect(fake.opened).toHaveLength(1);

    fake.plug({ ...honeywell, path: '/dev/hidraw7' });
    fireAll();
    expect(rec.states).toEqual(['searching', 'connected /dev/hidraw3', 'searching', 'connected /dev/hidraw7']);
    expect(pending.size).toBe(0);
    const second = fake.opened[1]!;
    // The half read of before the unplug is gone; the new read stands alone.
    second.send(report(']C0', '2222'));
    expect(rec.scans.map((s) => [s.text, s.device.path])).toEqual([['2222', '/dev/hidraw7']]);
    // The old handle is dead: a late event from it changes nothing.
    first.emit('data', report(']C0', '3333'));
    expect(rec.scans).toHaveLength(1);
  });

  it('surfaces enumeration and open failures once each and recovers when they go away', () => {
    const { timers, fireAllNow: fireAll } = manualTimers();
    const fake = fakeHid([honeywell]);
    fake.failDevices(new Error('libudev.so.1: cannot open shared object file'));
    const rec = recorder();
    createHidScanner({ hid: fake.hid, timers, clock }).start(rec.listener);
    fireAll();
    fake.failDevices(undefined);
    fake.failOpen(new Error('cannot open device with path /dev/hidraw3 (permission denied)'));
    fireAll();
    fireAll();
    fake.failOpen(undefined);
    fireAll();
    expect(rec.errors.map((e) => e.code)).toEqual(['SCANNER_ENUMERATION_FAILED', 'SCANNER_OPEN_FAILED']);
    expect(rec.states.at(-1)).toBe('connected /dev/hidraw3');
  });

  it('finds a vendor-page scanner by its configured ids and decodes the IBM hand-held layout', () => {
    const { timers } = manualTimers();
    const zebra: HidDeviceInfo = { vendorId: 0x05e0, productId: 0x1300, path: '/dev/hidraw5', usagePage: 0xff45, usage: 0x4b00, interface: 0 };
    const fake = fakeHid([zebra]);
    const rec = recorder();
    createHidScanner({ hid: fake.hid, timers, clock, match: { vendorId: 0x05e0, productId: 0x1300 }, layout: 'ibm-handheld' }).start(rec.listener);
    for (const r of hexReports('zebra-ibmhh-ean13-raw-digit-values')) fake.opened[0]!.send(r);
    expect(rec.scans.map((s) => [s.text, s.symbology])).toEqual([['3574661404264', null]]);
  });

  it('stop closes the device, cancels the polling and delivers nothing more', () => {
    const { timers, pending } = manualTimers();
    const fake = fakeHid([]);
    const rec = recorder();
    const scanner = createHidScanner({ hid: fake.hid, timers, clock });
    scanner.start(rec.listener);
    expect(pending.size).toBe(1);
    scanner.stop();
    expect(pending.size).toBe(0);
    expect(scanner.current()).toEqual({ state: 'stopped' });

    fake.plug(honeywell);
    scanner.start(rec.listener);
    const device = fake.opened[0]!;
    scanner.stop();
    expect(device.closed).toBe(true);
    device.send(report(']C0', '1'));
    expect(rec.scans).toEqual([]);
    expect(() => {
      scanner.start(rec.listener);
      scanner.start(rec.listener);
    }).toThrow(/already started/);
  });
});
