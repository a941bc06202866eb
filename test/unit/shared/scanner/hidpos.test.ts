import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createReportAssembler,
  decodeReports,
  HidPosErrorCode,
  type DecodedScan,
  type ReportOutcome,
  type ScannerReportLayout,
} from '../../../../src/shared/scanner/hidpos.js';

interface ExpectedScan {
  symbology: string | null;
  text: string;
  data_hex: string;
  symbology_equivalent?: string;
  vendor_symbology?: { ibm_id: number; name: string };
}
interface Capture {
  name: string;
  layout: 'honeywell-hidpos-64' | 'zebra-ibm-handheld-64';
  device: { usagePage: number };
  reports: string[];
  expected: ExpectedScan | { scans: ExpectedScan[] };
}

const captures = JSON.parse(readFileSync(new URL('../../../fixtures/scanner/hidpos-public-captures.json', import.meta.url), 'utf8')) as Capture[];
const bytes = (hexText: string): Uint8Array => Uint8Array.from(Buffer.from(hexText, 'hex'));
const layoutOf = (capture: Capture): ScannerReportLayout => (capture.layout === 'zebra-ibm-handheld-64' ? 'ibm-handheld' : 'hidpos');
const scans = (outcomes: ReportOutcome[]): DecodedScan[] =>
  outcomes.map((o) => {
    if (o.kind !== 'scan') throw new Error(`expected a scan, got ${JSON.stringify(o)}`);
    return o.scan;
  });

/** A 64-byte Honeywell scanned-data report. */
function report(aim: string, data: Uint8Array | string, continued = false, reportId = 0x02): Uint8Array {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const out = new Uint8Array(64);
  out[0] = reportId;
  out[1] = body.length;
  out.set(new TextEncoder().encode(aim), 2);
  out.set(body, 5);
  out[61] = 0x6a;
  out[63] = continued ? 1 : 0;
  return out;
}

describe('HID-POS report decoding: recorded captures', () => {
  it('has captures of both layouts to check against', () => {
    expect(captures.map(layoutOf)).toEqual(expect.arrayContaining(['hidpos', 'ibm-handheld']));
  });

  for (const capture of captures) {
    it(`decodes ${capture.name} to the expected text and symbology`, () => {
      const expected = 'scans' in capture.expected ? capture.expected.scans : [capture.expected];
      const decoded = scans(decodeReports(capture.reports.map(bytes), layoutOf(capture)));
      expect(decoded).toHaveLength(expected.length);
      decoded.forEach((scan, i) => {
        const want = expected[i]!;
        expect(scan.text).toBe(want.text);
        expect(scan.symbology).toBe(want.symbology);
        expect(Buffer.from(scan.data).toString('hex')).toBe(want.data_hex);
        if (want.vendor_symbology !== undefined) {
          expect(scan.vendorSymbology).toEqual({ id: want.vendor_symbology.ibm_id, name: want.vendor_symbology.name, aimEquivalent: want.symbology_equivalent ?? null });
        }
      });
    });
  }

  it('joins the Voyager’s six continuation reports into one read and starts the next read fresh', () => {
    const capture = captures.find((c) => c.name === 'hon-real-capture-revinf-voyager-1602g')!;
    const assembler = createReportAssembler();
    const kinds = capture.reports.map((r) => assembler.push(bytes(r)).kind);
    expect(kinds).toEqual(['partial', 'partial', 'partial', 'partial', 'partial', 'scan', 'scan']);
    expect(assembler.pending).toBe(false);
    const [first, second] = scans(decodeReports(capture.reports.map(bytes)));
    expect(first!.reports).toBe(6);
    expect(first!.symbologyName).toBe('Other barcode');
    expect(second!.reports).toBe(1);
  });
});

describe('HID-POS report decoding: built reports', () => {
  it('decodes a ticket barcode as Code 128 and drops one CR LF suffix', () => {
    const [scan] = scans(decodeReports([report(']C0', '0123456789012345678901\r\n')]));
    expect(scan).toMatchObject({ text: '0123456789012345678901', symbology: ']C0', symbologyName: 'Code 128', reports: 1 });
    expect(scan!.data).toHaveLength(24);
  });

  it('joins continuation reports with the data split anywhere, including an empty middle report', () => {
    const text = 'A'.repeat(56) + 'B'.repeat(56) + 'C'.repeat(10);
    const outcomes = decodeReports([report(']Q1', text.slice(0, 56), true), report(']Q1', '', true), report(']Q1', text.slice(56, 112), true), report(']Q1', text.slice(112))]);
    expect(scans(outcomes).map((s) => [s.text, s.reports])).toEqual([[text, 4]]);
  });

  it('reads UTF-8 data as UTF-8 and other bytes as ISO-8859-1, never losing a byte', () => {
    const utf8 = scans(decodeReports([report(']Q1', 'Grüße')]))[0]!;
    expect(utf8.text).toBe('Grüße');
    const latin1 = scans(decodeReports([report(']Q1', Uint8Array.of(0x47, 0x72, 0xfc, 0xdf, 0x65))]))[0]!;
    expect(latin1.text).toBe('Grüße');
  });

  it('refuses a continuation whose AIM id changed, and decodes the next read normally', () => {
    const assembler = createReportAssembler();
    expect(assembler.push(report(']C0', '0123', true)).kind).toBe('partial');
    const mismatch = assembler.push(report(']E0', '4567'));
    expect(mismatch).toMatchObject({ kind: 'error', error: { code: HidPosErrorCode.continuationMismatch } });
    expect(assembler.pending).toBe(false);
    expect(assembler.push(report(']C0', '89'))).toMatchObject({ kind: 'scan', scan: { text: '89' } });
  });

  it('answers an unknown symbology with a coded error', () => {
    for (const aim of [']J0', ']C~', '\0\0\0', 'E0]']) {
      expect(decodeReports([report(aim, '0123')])).toEqual([{ kind: 'error', error: { code: HidPosErrorCode.unknownSymbology, message: expect.any(String) } }]);
    }
  });

  it('answers garbage with coded errors and never with a scan', () => {
    const cases: Array<[Uint8Array, HidPosErrorCode]> = [
      [new Uint8Array(64), HidPosErrorCode.unexpectedReport],
      [report(']C0', '0123', false, 0x04), HidPosErrorCode.unexpectedReport],
      [Uint8Array.of(0x02, 0x05, 0x5d), HidPosErrorCode.truncated],
      [Uint8Array.of(...report(']C0', '0').subarray(0, 1), 57, ...report(']C0', '0').subarray(2)), HidPosErrorCode.truncated],
      [report(']C0', ''), HidPosErrorCode.empty],
    ];
    for (const [bytesIn, code] of cases) expect(decodeReports([bytesIn])).toMatchObject([{ kind: 'error', error: { code } }]);

    // Random bytes: whatever they are, a scan comes out only from a well-formed report.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let i = 0; i < 2000; i += 1) {
      const junk = Uint8Array.from({ length: 64 }, next);
      for (const outcome of decodeReports([junk])) {
        if (outcome.kind === 'scan') {
          expect(junk[0]).toBe(0x02);
          expect(outcome.scan.symbology).toMatch(/^\][A-Za-z][0-9A-Za-z]$/);
        } else if (outcome.kind === 'error') expect(Object.values(HidPosErrorCode)).toContain(outcome.error.code);
        else throw new Error('a single report without the continuation flag cannot be partial');
      }
    }
  });

  it('stops a read whose continuation flag never clears', () => {
    const assembler = createReportAssembler({ maxScanBytes: 200 });
    const outcomes = Array.from({ length: 5 }, () => assembler.push(report(']C0', 'x'.repeat(56), true)));
    // The fifth report starts a new read: nothing of the dropped one sticks to it.
    expect(outcomes.map((o) => o.kind)).toEqual(['partial', 'partial', 'partial', 'error', 'partial']);
    expect(outcomes[3]).toMatchObject({ error: { code: HidPosErrorCode.tooLong } });
  });

  it('drops a half-received read on reset', () => {
    const assembler = createReportAssembler();
    assembler.push(report(']C0', '0123', true));
    assembler.reset();
    expect(assembler.push(report(']C0', '99'))).toMatchObject({ kind: 'scan', scan: { text: '99', reports: 1 } });
  });

  it('decodes the IBM hand-held alphanumeric form and refuses control bytes and short reports', () => {
    const code39 = Uint8Array.of(15, 16, 3, 0, 68, 49, 50, 77, 65, 82, 49, 57, 0, 10, 11, ...new Uint8Array(49));
    expect(scans(decodeReports([code39], 'ibm-handheld'))[0]).toMatchObject({ text: 'D12MAR19', symbology: null, vendorSymbology: { id: 10, name: 'Code 39', aimEquivalent: ']A0' } });
    expect(decodeReports([Uint8Array.of(9, 16, 3, 0, 3, 49, 0, 10, 11)], 'ibm-handheld')).toMatchObject([{ kind: 'error', error: { code: HidPosErrorCode.badData } }]);
    expect(decodeReports([Uint8Array.of(40, 16, 3)], 'ibm-handheld')).toMatchObject([{ kind: 'error', error: { code: HidPosErrorCode.truncated } }]);
    expect(decodeReports([new Uint8Array(64)], 'ibm-handheld')).toMatchObject([{ kind: 'error', error: { code: HidPosErrorCode.unexpectedReport } }]);
  });
});
