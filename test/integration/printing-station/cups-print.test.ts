/**
 * End to end through the real CUPS spooler: the print service renders a sheet, the CUPS adapter hands
 * it to `lp`, CUPS runs its filters and the cups-pdf backend writes the PDF it would send to paper.
 * That file must be A4 with the tickets on their blanks: every blank's barcode (ticket and stub) is
 * decoded from its own region of a 300 dpi scan (pdftoppm + zbarimg) back to exactly the digits given.
 * Codes here are well-formed digit strings (sample faces); server-print.test.ts prints codes the server
 * issued for a paid order.
 *
 * .ci/run installs and starts CUPS with a cups-pdf queue named PDF; without it this test fails, it does
 * not skip.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR } from '../../../src/main/printing/ticket-sheet-pdf.js';
import { createPrintService, type PrintJobInput } from '../../../src/main/services/print-service.js';
import { sampleFace, sampleSheetFaces } from '../../../src/shared/ticket-sheet/sample-faces.js';
import { cupsPrinter, openCupsPdf, pdfInfo, QUEUE, run, type CupsPdf } from './cups-support.js';

const OFFLINE_QUEUE = 'BoxofficeTestOffline';
const printer = cupsPrinter();
const renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) });
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const service = createPrintService({ printer, renderer, clock: { now: () => new Date() }, log });
let cups: CupsPdf;

async function printThroughCups(job: PrintJobInput): Promise<string> {
  const report = await service.printJob(job, { printerName: QUEUE, calibration: { offsetXMm: 0, offsetYMm: 0 } });
  expect(report, JSON.stringify(report.error)).toMatchObject({ ok: true });
  expect(report.spoolerJobId).toMatch(new RegExp(`^${QUEUE}-\\d+$`));
  return cups.output(report.spoolerJobId!);
}

beforeAll(async () => {
  cups = await openCupsPdf();
});

afterAll(async () => {
  await cups?.cleanup();
  await run('lpadmin', ['-x', OFFLINE_QUEUE]).catch(() => undefined);
});

describe('printing through CUPS (cups-pdf)', () => {
  it('prints a 3-ticket sheet on A4 and every barcode reads back as the digits given', async () => {
    const faces = sampleSheetFaces(7);
    const file = await printThroughCups({ jobId: 'it-sheet', startPosition: 1, tickets: faces });
    const info = await pdfInfo(file);
    expect(info.pages).toBe(1);
    // Ghostscript (cups-pdf) rounds the media box to whole points: A4 is 595.28 × 841.89 pt.
    expect(Math.abs(info.width - 595.28)).toBeLessThan(1);
    expect(Math.abs(info.height - 841.89)).toBeLessThan(1);
    expect(await cups.decodeBlanks(file)).toEqual(faces.map((face) => [[face.barcode], [face.barcode]]));
  });

  it('prints onto slots 2 and 3 of a partly used sheet and leaves slot 1 empty', async () => {
    const faces = [sampleFace(20), sampleFace(21)];
    const file = await printThroughCups({ jobId: 'it-partial', startPosition: 2, tickets: faces });
    expect(await cups.decodeBlanks(file)).toEqual([
      [[], []],
      [[faces[0]!.barcode], [faces[0]!.barcode]],
      [[faces[1]!.barcode], [faces[1]!.barcode]],
    ]);
  });

  it('embeds a font that carries umlauts, €, Cyrillic and Greek (text extracts as written)', async () => {
    const file = path.join(cups.workDir, 'sheet.pdf');
    await writeFile(file, await renderer.renderTickets({ faces: sampleSheetFaces(1), calibration: { offsetXMm: 0, offsetYMm: 0 }, startPosition: 1 }));
    const fonts = await run('pdffonts', [file]);
    expect(fonts.stdout).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const text = (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
    for (const expected of ['Чайковский: Лебединое', 'Ωδείο Ηρώδου Αττικού', 'Dvořák', 'Große Halle', '45,90 €', 'Ermäßigt']) expect(text).toContain(expected);
  });

  it('answers PRINTER_UNKNOWN and PRINTER_OFFLINE from the real spooler, and sends nothing', async () => {
    expect(await printer.print({ printer: 'NoSuchQueue', pdf: new Uint8Array([0x25]), title: 't' })).toMatchObject({ ok: false, error: { code: 'PRINTER_UNKNOWN' } });
    const added = await run('lpadmin', ['-p', OFFLINE_QUEUE, '-v', 'cups-pdf:/', '-m', 'lsb/usr/cups-pdf/CUPS-PDF_opt.ppd', '-E']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect((await run('cupsdisable', [OFFLINE_QUEUE])).exitCode).toBe(0);
    const paused = await service.printJob({ jobId: 'it-offline', startPosition: 1, tickets: [sampleFace(1)] }, { printerName: OFFLINE_QUEUE, calibration: { offsetXMm: 0, offsetYMm: 0 } });
    expect(paused).toMatchObject({ ok: false, retryable: true, error: { code: 'PRINTER_OFFLINE' }, blanks: [{ blankNumber: 1, outcome: 'not-printed' }] });
    expect((await run('cupsenable', [OFFLINE_QUEUE])).exitCode).toBe(0);
    expect((await run('cupsreject', [OFFLINE_QUEUE])).exitCode).toBe(0);
    expect(await printer.status(OFFLINE_QUEUE)).toMatchObject({ ok: true, value: { state: 'offline' } });
    const jobs = await run('lpstat', ['-W', 'all', '-o', OFFLINE_QUEUE]);
    expect(jobs.stdout.trim()).toBe('');
  });
});
