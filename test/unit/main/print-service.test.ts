import { describe, expect, it } from 'vitest';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR } from '../../../src/main/printing/ticket-sheet-pdf.js';
import type { PrintJobBackend, SpoilReason } from '../../../src/main/ports/print-jobs.js';
import { printerFail, PrinterErrorCode, type Printer, type PrintRequest } from '../../../src/main/ports/printer.js';
import { createPrintService, type PrinterSetup } from '../../../src/main/services/print-service.js';
import type { ApiResult } from '../../../src/shared/api-client/errors.js';
import { sampleFace } from '../../../src/shared/ticket-sheet/sample-faces.js';

const renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) });
const clock = { now: () => new Date('2026-12-04T15:30:00.000Z') };
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const setup: PrinterSetup = { printerName: 'Kasse-Laser', calibration: { offsetXMm: 0.5, offsetYMm: -1 } };

/** A printer that answers from a script of outcomes and keeps what it was given. */
function scriptedPrinter(outcomes: Array<'ok' | keyof typeof PrinterErrorCode>) {
  const received: PrintRequest[] = [];
  const printer: Printer = {
    list: async () => ({ ok: true, value: [] }),
    status: async (name) => ({ ok: true, value: { name, state: 'idle', isDefault: true } }),
    print: async (request) => {
      received.push(request);
      const next = outcomes.shift() ?? 'ok';
      return next === 'ok' ? { ok: true, value: { jobId: `Kasse-Laser-${received.length}` } } : printerFail(PrinterErrorCode[next], `scripted ${next}`);
    },
  };
  return { printer, received };
}

/** An in-memory server: issues jobs on consecutive blanks; confirm/spoil may be made to fail. */
function fakeBackend(options: { failConfirm?: number } = {}) {
  let nextBlank = 4;
  let failConfirm = options.failConfirm ?? 0;
  const confirmed: Array<[string, readonly number[]]> = [];
  const spoiled: Array<[string, readonly number[], SpoilReason]> = [];
  const offline = <T>(): ApiResult<T> => ({ ok: false, error: { code: 'NETWORK_UNREACHABLE', status: undefined, message: 'down' } });
  const backend: PrintJobBackend = {
    issue: async (orderId) => {
      const tickets = [0, 1, 2].map((i) => sampleFace(nextBlank + i, { orderNumber: orderId }));
      const startPosition = (((nextBlank - 1) % 3) + 1) as 1 | 2 | 3;
      nextBlank += 3;
      return { ok: true, value: { id: `job-${nextBlank}`, startPosition, tickets } };
    },
    reprint: async (ticketId) => {
      const face = sampleFace(nextBlank, { ticketId, reprintCount: 1 });
      const startPosition = (((nextBlank - 1) % 3) + 1) as 1 | 2 | 3;
      nextBlank += 1;
      return { ok: true, value: { id: `reprint-${nextBlank}`, startPosition, tickets: [face] } };
    },
    confirm: async (jobId, blanks) => {
      if (failConfirm > 0) {
        failConfirm -= 1;
        return offline();
      }
      confirmed.push([jobId, blanks]);
      return { ok: true, value: null };
    },
    spoil: async (jobId, blanks, reason) => {
      spoiled.push([jobId, blanks, reason]);
      return { ok: true, value: null };
    },
  };
  return { backend, confirmed, spoiled };
}

describe('print service', () => {
  it('renders the job with the calibration and reports every blank printed', async () => {
    const { printer, received } = scriptedPrinter(['ok']);
    const service = createPrintService({ printer, renderer, clock, log });
    const report = await service.printJob({ jobId: 'j1', startPosition: 1, tickets: [sampleFace(1), sampleFace(2), sampleFace(3)] }, setup);
    expect(report).toMatchObject({ ok: true, spoolerJobId: 'Kasse-Laser-1', retryable: false });
    expect(report.blanks.map((b) => [b.blankNumber, b.outcome])).toEqual([
      [1, 'printed'],
      [2, 'printed'],
      [3, 'printed'],
    ]);
    expect(received[0]!.printer).toBe('Kasse-Laser');
    expect(Buffer.from(received[0]!.pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('reports printer failures per blank as not printed, with the printer’s code, retryable', async () => {
    for (const code of ['offline', 'paperOut', 'unknown', 'failed'] as const) {
      const { printer } = scriptedPrinter([code]);
      const report = await createPrintService({ printer, renderer, clock, log }).printJob({ jobId: 'j', startPosition: 1, tickets: [sampleFace(1)] }, setup);
      expect(report).toMatchObject({ ok: false, retryable: true, error: { code: PrinterErrorCode[code] } });
      expect(report.blanks).toEqual([{ blankNumber: 1, printId: sampleFace(1).printId, ticketId: sampleFace(1).ticketId, outcome: 'not-printed' }]);
    }
  });

  it('asks for the printer’s state while rendering and sends nothing to a printer known to be offline', async () => {
    const sent: PrintRequest[] = [];
    const printerIn = (state: 'offline' | 'idle' | 'query-failed'): Printer => ({
      list: async () => ({ ok: true, value: [] }),
      status: async (name) => (state === 'query-failed' ? printerFail(PrinterErrorCode.failed, 'lpstat cannot run') : { ok: true, value: { name, state, isDefault: true } }),
      print: async (request) => {
        sent.push(request);
        return { ok: true, value: { jobId: 'P-1' } };
      },
    });
    const job = { jobId: 'j', startPosition: 1 as const, tickets: [sampleFace(1)] };
    expect(await createPrintService({ printer: printerIn('offline'), renderer, clock, log }).printJob(job, setup)).toMatchObject({ ok: false, retryable: true, error: { code: 'PRINTER_OFFLINE' } });
    expect(sent).toHaveLength(0);
    expect(await createPrintService({ printer: printerIn('idle'), renderer, clock, log }).printJob(job, setup)).toMatchObject({ ok: true });
    expect(sent[0]).toMatchObject({ stateChecked: true });
    // When the state cannot be asked for, the adapter checks on its own.
    expect(await createPrintService({ printer: printerIn('query-failed'), renderer, clock, log }).printJob(job, setup)).toMatchObject({ ok: true });
    expect(sent[1]).toMatchObject({ stateChecked: false });
  });

  it('does not offer a retry on the same blanks when the print helper may have printed part of the job', async () => {
    const printer: Printer = {
      list: async () => ({ ok: true, value: [] }),
      status: async (name) => ({ ok: true, value: { name, state: 'idle', isDefault: true } }),
      print: async () => ({ ok: false, error: { code: 'PRINT_FAILED', message: 'SumatraPDF failed: exit 1', mayHavePrinted: true } }),
    };
    const report = await createPrintService({ printer, renderer, clock, log }).printJob({ jobId: 'j', startPosition: 1, tickets: [sampleFace(1)] }, setup);
    expect(report).toMatchObject({ ok: false, retryable: false, error: { code: 'PRINT_FAILED' } });
  });

  it('refuses blanks that do not fit the paper before anything is printed', async () => {
    const { printer, received } = scriptedPrinter([]);
    const service = createPrintService({ printer, renderer, clock, log });
    expect(await service.printJob({ jobId: 'j', startPosition: 1, tickets: [sampleFace(2)] }, setup)).toMatchObject({ ok: false, retryable: false, error: { code: 'START_POSITION_MISMATCH' } });
    expect(await service.printJob({ jobId: 'j', startPosition: 1, tickets: [sampleFace(1), sampleFace(3)] }, setup)).toMatchObject({ ok: false, error: { code: 'BLANK_SEQUENCE_INVALID' } });
    expect(await service.printJob({ jobId: 'j', startPosition: 1, tickets: [sampleFace(1)] }, { ...setup, printerName: null })).toMatchObject({ ok: false, error: { code: 'PRINTER_NOT_CONFIGURED' } });
    expect(received).toHaveLength(0);
  });

  it('issues, prints and confirms an order with the server', async () => {
    const { printer } = scriptedPrinter(['ok']);
    const server = fakeBackend();
    const service = createPrintService({ printer, renderer, clock, log, backend: server.backend });
    const result = await service.printOrder('VVK-1', setup);
    expect(result).toMatchObject({ ok: true, confirmed: true });
    expect(server.confirmed).toEqual([['job-7', [4, 5, 6]]]);
    expect(service.unresolved()).toEqual([]);
  });

  it('issues nothing on the server while the workstation has no printer', async () => {
    const { printer } = scriptedPrinter([]);
    const server = fakeBackend();
    let issued = 0;
    const backend = { ...server.backend, issue: async (...args: Parameters<typeof server.backend.issue>) => (issued++, server.backend.issue(...args)) };
    const service = createPrintService({ printer, renderer, clock, log, backend });
    const noPrinter = { ...setup, printerName: null };
    expect(await service.printOrder('VVK-1', noPrinter)).toMatchObject({ ok: false, stage: 'issue', error: { code: 'PRINTER_NOT_CONFIGURED' } });
    expect(await service.reprintTicket(sampleFace(1).ticketId, 'lost', noPrinter)).toMatchObject({ ok: false, stage: 'issue', error: { code: 'PRINTER_NOT_CONFIGURED' } });
    expect(issued).toBe(0);
    expect(service.unresolved()).toEqual([]);
  });

  it('keeps a failed job for a retry on the same blanks, or spoils its blanks on request', async () => {
    const { printer, received } = scriptedPrinter(['paperOut', 'ok', 'offline']);
    const server = fakeBackend();
    const service = createPrintService({ printer, renderer, clock, log, backend: server.backend });
    const first = await service.printOrder('VVK-1', setup);
    expect(first).toMatchObject({ ok: false, stage: 'print', report: { error: { code: 'PAPER_OUT' }, retryable: true } });
    expect(service.unresolved().map((u) => [u.job.jobId, u.state])).toEqual([['job-7', 'failed']]);
    // Paper loaded: the same job, the same blanks.
    expect(await service.retry('job-7', setup)).toMatchObject({ ok: true, confirmed: true });
    expect(Buffer.compare(Buffer.from(received[0]!.pdf), Buffer.from(received[1]!.pdf))).toBe(0);
    expect(server.confirmed).toEqual([['job-7', [4, 5, 6]]]);

    const second = await service.printOrder('VVK-2', setup);
    expect(second.ok).toBe(false);
    expect(await service.spoil('job-10', 'not_printed')).toEqual({ ok: true });
    expect(server.spoiled).toEqual([['job-10', [7, 8, 9], 'not_printed']]);
    expect(service.unresolved()).toEqual([]);
  });

  it('reprints one ticket on the next blank through the same path and confirms it', async () => {
    const { printer, received } = scriptedPrinter(['ok']);
    const server = fakeBackend();
    const service = createPrintService({ printer, renderer, clock, log, backend: server.backend });
    const ticketId = sampleFace(1).ticketId;
    expect(await service.reprintTicket(ticketId, 'damaged', setup)).toMatchObject({ ok: true, confirmed: true, report: { blanks: [{ blankNumber: 4, ticketId, outcome: 'printed' }] } });
    expect(server.confirmed).toEqual([['reprint-5', [4]]]);
    expect(received).toHaveLength(1);
  });

  it('keeps a printed job whose confirmation was lost and confirms it later', async () => {
    const { printer } = scriptedPrinter(['ok']);
    const server = fakeBackend({ failConfirm: 1 });
    const service = createPrintService({ printer, renderer, clock, log, backend: server.backend });
    expect(await service.printOrder('VVK-1', setup)).toMatchObject({ ok: true, confirmed: false });
    expect(service.unresolved().map((u) => u.state)).toEqual(['printed-unconfirmed']);
    // A printed job can be neither retried nor spoiled by the station.
    expect(await service.spoil('job-7', 'other')).toMatchObject({ ok: false, error: { code: 'PRINT_JOB_UNKNOWN' } });
    await service.resolvePending();
    expect(server.confirmed).toEqual([['job-7', [4, 5, 6]]]);
    expect(service.unresolved()).toEqual([]);
  });
});
