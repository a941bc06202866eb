/**
 * The printing IPC handlers over the station's print path: settings decide printer and offsets, the
 * backend of the current setup issues and confirms jobs, and every answer matches the IPC contract.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { printingHandlers } from '../../../src/main/ipc/handlers/printing.js';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR } from '../../../src/main/printing/ticket-sheet-pdf.js';
import type { Printer, PrintRequest } from '../../../src/main/ports/printer.js';
import type { BackendClient } from '../../../src/main/services/backend-client.js';
import type { Station } from '../../../src/main/services/station.js';
import { createStationPrinting } from '../../../src/main/services/station-printing.js';
import { createApiClient } from '../../../src/shared/api-client/api-client.js';
import { createMemorySessionStore } from '../../../src/shared/api-client/session-store.js';
import { IPC_CONTRACT } from '../../../src/shared/ipc/contract.js';
import { ipcResultSchema } from '../../../src/shared/ipc/result.js';
import { DEFAULT_STATION_SETTINGS, type StationSettings } from '../../../src/shared/ipc/station-settings.js';
import { sampleSheetFaces } from '../../../src/shared/ticket-sheet/sample-faces.js';

const renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) });
const ORDER = '11111111-1111-4111-8111-111111111111';
const JOB = '22222222-2222-4222-8222-222222222222';

function fakeStation(settings: StationSettings | undefined, backend?: BackendClient): Station {
  return {
    ready: async () => undefined,
    backend: () => backend,
    setupState: () =>
      settings === undefined
        ? { configured: false, defaultServerUrl: 'https://localhost:8443' }
        : {
            configured: true,
            defaultServerUrl: 'https://localhost:8443',
            station: {
              serverUrl: 'https://kasse.example.de',
              settings,
              certificate: { fileName: 'k.p12', subject: 'CN=k', fingerprint256: 'AA', notAfter: '2031-01-01T00:00:00.000Z' },
              workstation: { id: JOB, name: 'Kasse 1', tenant: { id: ORDER, code: 'o', name: 'O', kind: 'outlet' } },
            },
          },
  } as unknown as Station;
}

function recordingPrinter(state: 'idle' | 'paper-out' = 'idle') {
  const printed: PrintRequest[] = [];
  const printer: Printer = {
    list: async () => ({ ok: true, value: [{ name: 'Kasse-Laser', state: 'idle', isDefault: true }] }),
    status: async (name) => (name === 'Kasse-Laser' ? { ok: true, value: { name, state, isDefault: true, detail: state === 'idle' ? 'none' : 'media-empty' } } : { ok: false, error: { code: 'PRINTER_UNKNOWN', message: 'no' } }),
    print: async (request) => {
      printed.push(request);
      return { ok: true, value: { jobId: `Kasse-Laser-${printed.length}` } };
    },
  };
  return { printer, printed };
}

function backendAnswering(paths: string[]): BackendClient {
  const session = createMemorySessionStore();
  session.set('t');
  const api = createApiClient({
    baseUrl: 'https://kasse.example.de',
    session,
    newIdempotencyKey: () => 'k',
    sleep: async () => undefined,
    fetch: async (url) => {
      const path = new URL(url).pathname;
      paths.push(path);
      const body = path.endsWith('/print-jobs') ? { id: JOB, startPosition: 1, tickets: sampleSheetFaces(1) } : { id: JOB };
      return { status: path.endsWith('/print-jobs') ? 201 : 200, headers: { get: (n: string) => (n === 'content-type' ? 'application/json' : null) }, text: async () => JSON.stringify(body) };
    },
  });
  return { ...api, close: () => undefined };
}

const settings: StationSettings = { ...DEFAULT_STATION_SETTINGS, printer: { name: 'Kasse-Laser', offsetXTenthMm: 15, offsetYTenthMm: -5 } };
const conforms = (method: keyof typeof IPC_CONTRACT.printing, answer: unknown) => expect(Value.Check(ipcResultSchema(IPC_CONTRACT.printing[method].result), answer), JSON.stringify(answer)).toBe(true);
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => new Date('2026-12-04T15:30:00.000Z') };

describe('printing IPC handlers', () => {
  it('answer PRINTER_NOT_CONFIGURED until a printer is chosen', async () => {
    const { printer } = recordingPrinter();
    const handlers = printingHandlers(createStationPrinting({ station: fakeStation(undefined), printer, renderer: () => renderer, clock, log }));
    const status = await handlers.printerStatus({});
    expect(status).toMatchObject({ ok: false, error: { code: 'PRINTER_NOT_CONFIGURED' } });
    conforms('printerStatus', status);
    expect(await handlers.printCalibrationSheet({})).toMatchObject({ ok: false, error: { code: 'PRINTER_UNKNOWN' } });
  });

  it('list printers and report the configured one’s state', async () => {
    const { printer } = recordingPrinter('paper-out');
    const handlers = printingHandlers(createStationPrinting({ station: fakeStation(settings), printer, renderer: () => renderer, clock, log }));
    const listed = await handlers.listPrinters({});
    conforms('listPrinters', listed);
    const status = await handlers.printerStatus({});
    expect(status).toEqual({ ok: true, value: { name: 'Kasse-Laser', state: 'paper-out', isDefault: true, detail: 'media-empty' } });
    conforms('printerStatus', status);
  });

  it('print the calibration sheet with the saved offsets', async () => {
    const { printer, printed } = recordingPrinter();
    const handlers = printingHandlers(createStationPrinting({ station: fakeStation(settings), printer, renderer: () => renderer, clock, log }));
    const answer = await handlers.printCalibrationSheet({});
    expect(answer).toEqual({ ok: true, value: { spoolerJobId: 'Kasse-Laser-1' } });
    const expected = await renderer.renderCalibration({ calibration: { offsetXMm: 1.5, offsetYMm: -0.5 }, printerName: 'Kasse-Laser', workstationName: 'Kasse 1', creationDate: clock.now() });
    expect(Buffer.from(printed[0]!.pdf).equals(expected)).toBe(true);
  });

  it('issue, print and confirm an order through the backend of the current setup', async () => {
    const { printer, printed } = recordingPrinter();
    const paths: string[] = [];
    const handlers = printingHandlers(createStationPrinting({ station: fakeStation(settings, backendAnswering(paths)), printer, renderer: () => renderer, clock, log }));
    const answer = await handlers.printOrder({ orderId: ORDER });
    conforms('printOrder', answer);
    expect(answer).toMatchObject({ ok: true, value: { confirmed: true, report: { ok: true, spoolerJobId: 'Kasse-Laser-1' } } });
    expect(paths).toEqual([`/api/v1/orders/${ORDER}/print-jobs`, `/api/v1/print-jobs/${JOB}/confirm`]);
    expect(printed).toHaveLength(1);
    conforms('unresolvedJobs', await handlers.unresolvedJobs({}));
  });

  it('keep an order whose printer is out of paper as a failed job for a retry, and print nothing', async () => {
    const { printer, printed } = recordingPrinter('paper-out');
    const handlers = printingHandlers(createStationPrinting({ station: fakeStation(settings, backendAnswering([])), printer, renderer: () => renderer, clock, log }));
    const answer = await handlers.printOrder({ orderId: ORDER });
    conforms('printOrder', answer);
    expect(answer).toMatchObject({ ok: true, value: { confirmed: false, report: { ok: false, retryable: true, error: { code: 'PAPER_OUT' } } } });
    expect(printed).toHaveLength(0);
    const open = await handlers.unresolvedJobs({});
    expect(open).toMatchObject({ ok: true, value: [{ jobId: JOB, state: 'failed', blankNumbers: [1, 2, 3] }] });
  });

  it('answer STATION_NOT_CONFIGURED for an order before setup, and a missing font as PRINT_FONT_MISSING', async () => {
    const { printer } = recordingPrinter();
    const missing = () => {
      throw Object.assign(new Error('fonts not found'), { code: 'PRINT_FONT_MISSING' });
    };
    const handlers = printingHandlers(createStationPrinting({ station: fakeStation(settings), printer, renderer: missing, clock, log }));
    expect(await handlers.printOrder({ orderId: ORDER })).toMatchObject({ ok: false, error: { code: 'STATION_NOT_CONFIGURED' } });
    expect(await handlers.printCalibrationSheet({})).toMatchObject({ ok: false, error: { code: 'PRINT_FONT_MISSING' } });
  });
});
