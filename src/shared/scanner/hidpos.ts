/**
 * Decoding of HID-POS barcode scanner input reports (USB HID usage page 0x8C, "Bar Code Scanner"), as
 * node-hid hands them over: one Uint8Array per input report, report id first.
 *
 * Layout of the scanned-data report (report id 0x02) in the Honeywell HID POS descriptor, which Zebra,
 * Datalogic and Newland follow for usage page 0x8C; L is the report length including the id byte:
 *
 *   [0]        report id 0x02
 *   [1]        byte count n of data in this report (0 ≤ n ≤ L − 8)
 *   [2..4]     AIM symbology identifier (ISO/IEC 15424), e.g. "]E0" EAN-13, "]C0" Code 128, "]Q1" QR Code
 *   [5..5+n)   data; the rest of the L − 8 data bytes is padding
 *   [L−3]      vendor symbology code (Honeywell code id), [L−2] reserved
 *   [L−1]      bit 0: "decoded data continued" — more reports of the same read follow
 *
 * A long read arrives as several reports, each repeating the AIM id; the assembler below joins them and
 * refuses a continuation whose AIM id changed. Scanners add a suffix (CR, CR LF) inside the counted data
 * when configured to; one trailing CR/LF/CRLF is dropped from the text so the HID path yields the same
 * scan text as the keyboard-wedge path, where the Enter key is the terminator (`data` keeps it).
 *
 * Zebra/Symbol scanners in "IBM Hand-held USB" mode use a vendor usage page (0xFF45) and another layout
 * ('ibm-handheld'): [0] length L of the meaningful bytes, [1..3] header, data from [4]; then either one
 * IBM symbology byte at [L−1] (the "numeric" form, where digits may arrive as values 0..9 instead of
 * ASCII), or 0x00, symbology, 0x0B at [L−3..L−1]. It carries no AIM id; the IBM id is reported instead.
 *
 * Text: the bytes as UTF-8 when they are valid UTF-8, otherwise as ISO-8859-1 (one char per byte), so no
 * byte is ever lost or replaced. Pure code (no Node or DOM APIs), shared by main and the tests.
 */

export type ScannerReportLayout = 'hidpos' | 'ibm-handheld';

export const HidPosErrorCode = {
  /** The report is shorter than its layout needs, or its byte count points beyond its end. */
  truncated: 'HIDPOS_REPORT_TRUNCATED',
  /** Not a scanned-data report (another report id, or a length byte of 0). */
  unexpectedReport: 'HIDPOS_UNEXPECTED_REPORT',
  /** Bytes 2..4 are no AIM symbology identifier we know. */
  unknownSymbology: 'HIDPOS_UNKNOWN_SYMBOLOGY',
  /** A continuation report with another AIM id than the report before it. */
  continuationMismatch: 'HIDPOS_CONTINUATION_MISMATCH',
  /** A read without any data byte. */
  empty: 'HIDPOS_EMPTY_SCAN',
  /** More data than a scan may have: a stuck continuation flag or garbage. */
  tooLong: 'HIDPOS_SCAN_TOO_LONG',
  /** Data bytes that are neither ASCII nor the 0..9 digit values (IBM layout). */
  badData: 'HIDPOS_BAD_DATA',
} as const;
export type HidPosErrorCode = (typeof HidPosErrorCode)[keyof typeof HidPosErrorCode];

export interface HidPosError {
  readonly code: HidPosErrorCode;
  /** Technical English for the log. */
  readonly message: string;
}

export interface VendorSymbology {
  /** The vendor's symbology number (IBM label type). */
  readonly id: number;
  readonly name: string | null;
  /** The AIM identifier of the same symbology, where one is known. */
  readonly aimEquivalent: string | null;
}

export interface DecodedScan {
  /** The scanned text without one trailing CR/LF/CRLF suffix. */
  readonly text: string;
  /** AIM symbology identifier such as "]E0"; null for layouts that carry none. */
  readonly symbology: string | null;
  /** Name of the AIM symbology ("Code 128"), null when there is no AIM id. */
  readonly symbologyName: string | null;
  readonly vendorSymbology: VendorSymbology | null;
  /** The data bytes exactly as received (suffix included), joined over continuation reports. */
  readonly data: Uint8Array;
  /** How many input reports the read took. */
  readonly reports: number;
}

export type ReportOutcome =
  | { readonly kind: 'partial' }
  | { readonly kind: 'scan'; readonly scan: DecodedScan }
  | { readonly kind: 'error'; readonly error: HidPosError };

/** ISO/IEC 15424 symbology code characters (the letter after "]"). */
export const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  A: 'Code 39',
  B: 'Telepen',
  C: 'Code 128',
  D: 'Code One',
  E: 'EAN/UPC',
  F: 'Codabar',
  G: 'Code 93',
  H: 'Code 11',
  I: 'Interleaved 2 of 5',
  K: 'Code 16K',
  L: 'PDF417',
  M: 'MSI',
  N: 'Anker',
  O: 'Codablock',
  P: 'Plessey',
  Q: 'QR Code',
  R: 'Straight 2 of 5 (2-bar start/stop)',
  S: 'Straight 2 of 5 (3-bar start/stop)',
  T: 'Code 49',
  U: 'MaxiCode',
  X: 'Other barcode',
  Y: 'System expansion',
  Z: 'Non-barcode data',
  c: 'Channel Code',
  d: 'Data Matrix',
  e: 'GS1 DataBar',
  h: 'Han Xin',
  o: 'OCR',
  p: 'PosiCode',
  s: 'SuperCode',
  z: 'Aztec Code',
};

/** IBM hand-held label types as Zebra sends them; the numeric form uses its own numbers. */
const IBM_SYMBOLOGIES_NUMERIC: Readonly<Record<number, readonly [string, string]>> = {
  10: ['UPC-E', ']E0'],
  13: ['UPC-A', ']E0'],
  22: ['EAN-13', ']E0'],
};
const IBM_SYMBOLOGIES_ALPHANUMERIC: Readonly<Record<number, readonly [string, string]>> = {
  10: ['Code 39', ']A0'],
  12: ['EAN-8', ']E4'],
  13: ['Interleaved 2 of 5', ']I0'],
  14: ['Codabar', ']F0'],
  24: ['Code 128', ']C0'],
  46: ['PDF417', ']L0'],
  50: ['Data Matrix', ']d1'],
};

const SCANNED_DATA_REPORT_ID = 0x02;
/** Report id, byte count, three AIM bytes, two vendor bytes, flags. */
const HIDPOS_OVERHEAD = 8;
/** Far beyond any ticket code, and beyond a full QR code (2,953 bytes). */
export const DEFAULT_MAX_SCAN_BYTES = 4096;
const IBM_TRAILER_ALPHANUMERIC = 0x0b;

const fail = (code: HidPosErrorCode, message: string): ReportOutcome => ({ kind: 'error', error: { code, message } });

function hex(bytes: ArrayLike<number>, max = 16): string {
  let out = '';
  for (let i = 0; i < Math.min(bytes.length, max); i += 1) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return bytes.length > max ? `${out}…` : out;
}

/** Strict UTF-8 (no overlongs, surrogates or values beyond U+10FFFF); undefined when the bytes are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i += 1;
      continue;
    }
    const extra = b0 >= 0xf0 && b0 <= 0xf4 ? 3 : b0 >= 0xe0 ? (b0 <= 0xef ? 2 : -1) : b0 >= 0xc2 ? 1 : -1;
    if (extra < 0 || i + extra >= bytes.length) return undefined;
    let cp = b0 & (0x3f >> extra);
    for (let k = 1; k <= extra; k += 1) {
      const b = bytes[i + k] as number;
      if ((b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    const min = extra === 1 ? 0x80 : extra === 2 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += extra + 1;
  }
  return out;
}

function decodeLatin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** Bytes to text (UTF-8, else ISO-8859-1) without one trailing CR, LF or CR LF. */
export function scanText(data: Uint8Array): string {
  const text = decodeUtf8(data) ?? decodeLatin1(data);
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\r') || text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface HidPosReport {
  readonly aim: string;
  readonly data: Uint8Array;
  readonly continued: boolean;
}

/** One scanned-data report of usage page 0x8C, checked; no state. */
export function parseHidPosReport(report: ArrayLike<number>): { ok: true; report: HidPosReport } | { ok: false; error: HidPosError } {
  const bytes = Uint8Array.from(report);
  if (bytes.length < HIDPOS_OVERHEAD) {
    return { ok: false, error: { code: HidPosErrorCode.truncated, message: `a scanned-data report has at least ${HIDPOS_OVERHEAD} bytes, got ${bytes.length} (${hex(bytes)})` } };
  }
  if (bytes[0] !== SCANNED_DATA_REPORT_ID) {
    return { ok: false, error: { code: HidPosErrorCode.unexpectedReport, message: `report id 0x${hex([bytes[0] as number])} is not the scanned-data report 0x02 (${hex(bytes)})` } };
  }
  const count = bytes[1] as number;
  const capacity = bytes.length - HIDPOS_OVERHEAD;
  if (count > capacity) {
    return { ok: false, error: { code: HidPosErrorCode.truncated, message: `byte count ${count} exceeds the ${capacity} data bytes of a ${bytes.length}-byte report` } };
  }
  const aimBytes = bytes.subarray(2, 5);
  const aim = decodeLatin1(aimBytes);
  if (aim[0] !== ']' || AIM_SYMBOLOGIES[aim[1] as string] === undefined || !/^[0-9A-Za-z]$/.test(aim[2] as string)) {
    return { ok: false, error: { code: HidPosErrorCode.unknownSymbology, message: `no known AIM symbology identifier in bytes 2..4 (${hex(aimBytes)})` } };
  }
  const continued = ((bytes[bytes.length - 1] as number) & 0x01) === 1;
  return { ok: true, report: { aim, data: bytes.slice(5, 5 + count), continued } };
}

/** One IBM hand-held report (single report per read). */
export function parseIbmHandheldReport(report: ArrayLike<number>): ReportOutcome {
  const bytes = Uint8Array.from(report);
  const length = bytes[0] ?? 0;
  if (bytes.length === 0 || length === 0) return fail(HidPosErrorCode.unexpectedReport, `IBM hand-held report with length byte 0 (${hex(bytes)})`);
  if (length > bytes.length) return fail(HidPosErrorCode.truncated, `length byte ${length} exceeds the ${bytes.length}-byte report`);
  const alphanumeric = bytes[length - 1] === IBM_TRAILER_ALPHANUMERIC;
  const end = alphanumeric ? length - 3 : length - 1;
  if (end <= 4) return fail(alphanumeric || length < 5 ? HidPosErrorCode.truncated : HidPosErrorCode.empty, `IBM hand-held report without data (${hex(bytes)})`);
  const id = bytes[alphanumeric ? length - 2 : length - 1] as number;
  const known = (alphanumeric ? IBM_SYMBOLOGIES_ALPHANUMERIC : IBM_SYMBOLOGIES_NUMERIC)[id];
  const data = bytes.slice(4, end);
  const chars = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 1) {
    const b = data[i] as number;
    // The numeric form may carry digits as their values; 0x0A..0x1F have no meaning there.
    if (!alphanumeric && b <= 9) chars[i] = 0x30 + b;
    else if (b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) chars[i] = b;
    else return fail(HidPosErrorCode.badData, `IBM hand-held data byte 0x${hex([b])} at ${4 + i} is no character`);
  }
  return {
    kind: 'scan',
    scan: {
      text: scanText(chars),
      symbology: null,
      symbologyName: null,
      vendorSymbology: { id, name: known?.[0] ?? null, aimEquivalent: known?.[1] ?? null },
      data,
      reports: 1,
    },
  };
}

export interface ReportAssembler {
  /** Feeds the next input report; a read split over continuation reports answers 'partial' until its last report. */
  push(report: ArrayLike<number>): ReportOutcome;
  /** Drops a half-received read (the device went away, or its last report never came). */
  reset(): void;
  /** Whether a read is half-received. */
  readonly pending: boolean;
}

/**
 * Joins the reports of one read. Any error drops what was pending, so one bad report never glues two
 * reads together.
 */
export function createReportAssembler(options: { readonly layout?: ScannerReportLayout; readonly maxScanBytes?: number } = {}): ReportAssembler {
  const layout = options.layout ?? 'hidpos';
  const maxBytes = options.maxScanBytes ?? DEFAULT_MAX_SCAN_BYTES;
  let chunks: Uint8Array[] = [];
  let size = 0;
  let aim: string | undefined;

  const reset = (): void => {
    chunks = [];
    size = 0;
    aim = undefined;
  };

  function push(report: ArrayLike<number>): ReportOutcome {
    if (layout === 'ibm-handheld') return parseIbmHandheldReport(report);
    const parsed = parseHidPosReport(report);
    if (!parsed.ok) {
      reset();
      return { kind: 'error', error: parsed.error };
    }
    const part = parsed.report;
    if (aim !== undefined && part.aim !== aim) {
      const message = `continuation report with AIM id ${part.aim} after ${aim}`;
      reset();
      return fail(HidPosErrorCode.continuationMismatch, message);
    }
    aim = part.aim;
    chunks.push(part.data);
    size += part.data.length;
    if (size > maxBytes) {
      reset();
      return fail(HidPosErrorCode.tooLong, `a read of more than ${maxBytes} bytes`);
    }
    if (part.continued) return { kind: 'partial' };
    const data = concat(chunks);
    const reports = chunks.length;
    const symbology = aim;
    reset();
    if (data.length === 0) return fail(HidPosErrorCode.empty, `scanned-data report without data (AIM ${symbology})`);
    return {
      kind: 'scan',
      scan: { text: scanText(data), symbology, symbologyName: AIM_SYMBOLOGIES[symbology[1] as string] ?? null, vendorSymbology: null, data, reports },
    };
  }

  return {
    push,
    reset,
    get pending() {
      return chunks.length > 0;
    },
  };
}

/** Decodes a recorded sequence of reports; every outcome but 'partial'. */
export function decodeReports(reports: readonly ArrayLike<number>[], layout: ScannerReportLayout = 'hidpos'): ReportOutcome[] {
  const assembler = createReportAssembler({ layout });
  const out: ReportOutcome[] = [];
  for (const report of reports) {
    const outcome = assembler.push(report);
    if (outcome.kind !== 'partial') out.push(outcome);
  }
  return out;
}
