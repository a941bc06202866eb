/**
 * A barcode scanner attached to the station as the entry logic sees it. The HID adapter
 * (adapters/hid-scanner.ts, node-hid) implements it; keyboard-wedge scanners never reach main (the
 * renderer's wedge detector handles them). Both paths deliver the same scan text; check digits are
 * checked by the entry logic, not here.
 */
import type { HidPosErrorCode } from '../../shared/scanner/hidpos.js';

export interface ScannerDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly product: string | null;
  readonly path: string;
}

export interface ScannedCode {
  /** Decoded text without the scanner's CR/LF suffix. */
  readonly text: string;
  /** AIM symbology identifier ("]C0"), null when the device sends none. */
  readonly symbology: string | null;
  readonly source: 'hid';
  readonly at: Date;
  readonly device: ScannerDevice;
}

export const ScannerErrorCode = {
  /** Listing USB HID devices failed (e.g. libudev missing on Linux). Retried. */
  enumerationFailed: 'SCANNER_ENUMERATION_FAILED',
  /** No matching scanner is plugged in. Reported once per search; the search goes on. */
  notFound: 'SCANNER_NOT_FOUND',
  /** The scanner is there but could not be opened (permissions, another program holds it). Retried. */
  openFailed: 'SCANNER_OPEN_FAILED',
  /** The open scanner went away (unplugged, USB reset); the search for it starts again. */
  disconnected: 'SCANNER_DISCONNECTED',
  /** A read could not be decoded; `detail` holds the decoder's code. Nothing was delivered. */
  decodeFailed: 'SCANNER_DECODE_FAILED',
} as const;
export type ScannerErrorCode = (typeof ScannerErrorCode)[keyof typeof ScannerErrorCode];

export interface ScannerError {
  readonly code: ScannerErrorCode;
  readonly detail?: HidPosErrorCode | 'HIDPOS_CONTINUATION_TIMEOUT';
  /** Technical English for the log; the clerk sees a text for the code. */
  readonly message: string;
}

export type ScannerState = { readonly state: 'stopped' } | { readonly state: 'searching' } | { readonly state: 'connected'; readonly device: ScannerDevice };

export interface ScannerListener {
  scan(code: ScannedCode): void;
  error(error: ScannerError): void;
  state(state: ScannerState): void;
}

export interface Scanner {
  /** Looks for the device, opens it and keeps it open (reconnecting) until stop(). */
  start(listener: ScannerListener): void;
  stop(): void;
  current(): ScannerState;
}
