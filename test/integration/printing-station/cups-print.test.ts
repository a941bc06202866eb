/**
 * End to end through the real CUPS spooler: the print service renders a sheet, the CUPS adapter hands
 * it to `lp`, CUPS runs its filters and the cups-pdf backend writes the PDF it would send to paper.
 * That file must be A4 with the tickets on their blanks: every blank's barcode (ticket and stub) is
 * decoded from its own region of a 300 dpi scan (pdftoppm + zbarimg) back to exactly the digits given.
 *
 * .ci/run installs and starts CUPS with a cups-pdf queue named PDF; without it this test fails, it does
 * not skip. The server's print-job API is not wired here yet, so the codes are well-formed digit
 * strings made by the test (src/shared/ticket-sheet/sample-faces.ts), not codes the server issued.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCupsPrinter } from '../../../src/main/adapters/cups-printer.js';
import { createExecFileRunner } from '../../../src/main/adapters/exec-file-runner.js';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR } from '../../../src/main/printing/ticket-sheet-pdf.js';
import { createPrintService, type PrintJobInput } from '../../../src/main/services/print-service.js';
import { BLANK_HEIGHT_MM, PAGE_WIDTH_MM, PERFORATION_X_MM, type StartPosition } from '../../../src/shared/ticket-sheet/layout.js';
import { sampleFace, sampleSheetFaces } from '../../../src/shared/ticket-sheet/sample-faces.js';

const QUEUE = 'PDF';
const OFFLINE_QUEUE = 'BoxofficeTestOffline';
const runner = createExecFileRunner();
const run = async (file: string, args: string[], timeoutMs = 60_000) => {
  const outcome = await runner.run(file, args, { timeoutMs, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
  if (outcome.failure !== undefined) throw new Error(`${file} cannot run (${outcome.failure}); .ci/run installs cups, cups-pdf, poppler-utils and zbar-tools`);
  return outcome;
};

const printer = createCupsPrinter({ runner, env: process.env });
const renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) });
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const service = createPrintService({ printer, renderer, clock: { now: () => new Date() }, log });
let outDir: string;
/** Rasters and our own PDFs; removed after the run. */
let workDir: string;
/** What cups-pdf wrote for these tests; removed after the run. */
const printed: string[] = [];

/** cups-pdf's output directory from its configuration (`Out ${HOME}/PDF` on Debian; jobs run as this user). */
async function cupsPdfOutDir(): Promise<string> {
  const conf = await readFile('/etc/cups/cups-pdf.conf', 'utf8');
  const out = /^\s*Out\s+(.+?)\s*$/m.exec(conf)?.[1] ?? '/var/spool/cups-pdf/${USER}';
  return out.replace('${HOME}', userInfo().homedir).replace('${USER}', userInfo().username);
}

/** Waits for the file cups-pdf writes for spooler job `PDF-n` (named `<title>-job_<n>.pdf`), complete. */
async function waitForOutput(spoolerJobId: string, timeoutMs = 45_000): Promise<string> {
  const number = /-(\d+)$/.exec(spoolerJobId)?.[1];
  expect(number, `spooler job id ${spoolerJobId}`).toBeDefined();
  const deadline = Date.now() + timeoutMs;
  let lastSize = -1;
  while (Date.now() < deadline) {
    const names = await readdir(outDir).catch(() => [] as string[]);
    const name = names.find((candidate) => candidate.endsWith(`-job_${number}.pdf`));
    if (name !== undefined) {
      const file = path.join(outDir, name);
      const { size } = await stat(file);
      // cups-pdf writes through Ghostscript: done when the size holds still and the file ends with %%EOF.
      if (size > 0 && size === lastSize && (await readFile(file)).subarray(-64).toString('latin1').includes('%%EOF')) return file;
      lastSize = size;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const states = await run('lpstat', ['-W', 'all', '-o', QUEUE]);
  throw new Error(`cups-pdf wrote no file for ${spoolerJobId} in ${outDir} within ${timeoutMs} ms; jobs: ${states.stdout}`);
}

/** Decodes the Code 128 symbols in one region of the page (millimetres) at 300 dpi. */
async function decodeRegion(pdf: string, region: { x: number; y: number; w: number; h: number }): Promise<string[]> {
  const px = (mm: number) => Math.round((mm / 25.4) * 300);
  const prefix = path.join(workDir, `${path.basename(pdf)}.${region.x}-${region.y}`);
  const raster = await run('pdftoppm', ['-r', '300', '-gray', '-singlefile', '-x', String(px(region.x)), '-y', String(px(region.y)), '-W', String(px(region.w)), '-H', String(px(region.h)), pdf, prefix]);
  expect(raster.exitCode, raster.stderr).toBe(0);
  const scan = await run('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Scode128.enable', `${prefix}.pgm`]);
  // zbarimg: 0 = symbols found, 4 = none found.
  expect([0, 4], scan.stderr).toContain(scan.exitCode);
  return scan.stdout.split('\n').filter((line) => line !== '');
}

/** What each blank of the printed page decodes to: [ticket part, stub] per slot. */
async function decodeBlanks(pdf: string): Promise<Array<[string[], string[]]>> {
  const blanks: Array<[string[], string[]]> = [];
  for (let slot = 0; slot < 3; slot += 1) {
    const y = slot * BLANK_HEIGHT_MM;
    blanks.push([
      await decodeRegion(pdf, { x: 0, y, w: PERFORATION_X_MM, h: BLANK_HEIGHT_MM }),
      await decodeRegion(pdf, { x: PERFORATION_X_MM, y, w: PAGE_WIDTH_MM - PERFORATION_X_MM, h: BLANK_HEIGHT_MM }),
    ]);
  }
  return blanks;
}

async function printThroughCups(job: PrintJobInput): Promise<string> {
  const report = await service.printJob(job, { printerName: QUEUE, calibration: { offsetXMm: 0, offsetYMm: 0 } });
  expect(report, JSON.stringify(report.error)).toMatchObject({ ok: true });
  expect(report.spoolerJobId).toMatch(new RegExp(`^${QUEUE}-\\d+$`));
  const file = await waitForOutput(report.spoolerJobId!);
  printed.push(file);
  return file;
}

beforeAll(async () => {
  const scheduler = await run('lpstat', ['-r']);
  expect(scheduler.stdout, 'the CUPS scheduler must run (.ci/run starts cupsd)').toContain('scheduler is running');
  const queue = await printer.status(QUEUE);
  expect(queue, `a cups-pdf queue named ${QUEUE} must exist (.ci/run creates it)`).toMatchObject({ ok: true, value: { name: QUEUE } });
  outDir = await cupsPdfOutDir();
  workDir = await mkdtemp(path.join(tmpdir(), 'cups-print-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  for (const file of printed) await rm(file, { force: true });
  await run('lpadmin', ['-x', OFFLINE_QUEUE]).catch(() => undefined);
});

describe('printing through CUPS (cups-pdf)', () => {
  it('prints a 3-ticket sheet on A4 and every barcode reads back as the digits given', async () => {
    const faces = sampleSheetFaces(7);
    const file = await printThroughCups({ jobId: 'it-sheet', startPosition: 1, tickets: faces });

    const info = await run('pdfinfo', [file]);
    expect(info.stdout).toMatch(/^Pages:\s+1$/m);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info.stdout);
    expect(size, info.stdout).not.toBeNull();
    // Ghostscript (cups-pdf) rounds the media box to whole points: A4 is 595.28 × 841.89 pt.
    expect(Math.abs(Number(size![1]) - 595.28)).toBeLessThan(1);
    expect(Math.abs(Number(size![2]) - 841.89)).toBeLessThan(1);

    expect(await decodeBlanks(file)).toEqual(faces.map((face) => [[face.barcode], [face.barcode]]));
  });

  it('prints onto slots 2 and 3 of a partly used sheet and leaves slot 1 empty', async () => {
    const faces = [sampleFace(20), sampleFace(21)];
    const start: StartPosition = 2;
    const file = await printThroughCups({ jobId: 'it-partial', startPosition: start, tickets: faces });
    expect(await decodeBlanks(file)).toEqual([
      [[], []],
      [[faces[0]!.barcode], [faces[0]!.barcode]],
      [[faces[1]!.barcode], [faces[1]!.barcode]],
    ]);
  });

  it('embeds a font that carries umlauts, €, Cyrillic and Greek (text extracts as written)', async () => {
    const pdf = await renderer.renderTickets({ faces: sampleSheetFaces(1), calibration: { offsetXMm: 0, offsetYMm: 0 }, startPosition: 1 });
    const file = path.join(workDir, 'sheet.pdf');
    await writeFile(file, pdf);
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
