/**
 * Helpers for tests that print through the real CUPS spooler to the cups-pdf queue (installed and
 * started by .ci/run) and read the result back: where cups-pdf writes, waiting for its file, and
 * decoding the barcodes of every blank from a 300 dpi scan (pdftoppm + zbarimg).
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createCupsPrinter } from '../../../src/main/adapters/cups-printer.js';
import { createExecFileRunner } from '../../../src/main/adapters/exec-file-runner.js';
import type { Printer } from '../../../src/main/ports/printer.js';
import { BLANK_HEIGHT_MM, PAGE_WIDTH_MM, PERFORATION_X_MM } from '../../../src/shared/ticket-sheet/layout.js';

export const QUEUE = 'PDF';
const runner = createExecFileRunner();

export async function run(file: string, args: string[], timeoutMs = 60_000) {
  const outcome = await runner.run(file, args, { timeoutMs, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
  if (outcome.failure !== undefined) throw new Error(`${file} cannot run (${outcome.failure}); .ci/run installs cups, cups-pdf, poppler-utils and zbar-tools`);
  return outcome;
}

export const cupsPrinter = (): Printer => createCupsPrinter({ runner, env: process.env });

export interface CupsPdf {
  /** Waits for the file cups-pdf writes for spooler job `PDF-n`; it is removed by `cleanup`. */
  output(spoolerJobId: string): Promise<string>;
  /** What each blank of the printed page decodes to: [ticket part, stub] per slot. */
  decodeBlanks(pdf: string): Promise<Array<[string[], string[]]>>;
  /** A scratch directory for rasters and PDFs. */
  readonly workDir: string;
  cleanup(): Promise<void>;
}

/** Checks that CUPS runs with the cups-pdf queue (fails, never skips, when it does not). */
export async function openCupsPdf(): Promise<CupsPdf> {
  const scheduler = await run('lpstat', ['-r']);
  expect(scheduler.stdout, 'the CUPS scheduler must run (.ci/run starts cupsd)').toContain('scheduler is running');
  expect(await cupsPrinter().status(QUEUE), `a cups-pdf queue named ${QUEUE} must exist (.ci/run creates it)`).toMatchObject({ ok: true, value: { name: QUEUE } });
  // cups-pdf's output directory from its configuration (`Out ${HOME}/PDF` on Debian; jobs run as this user).
  const conf = await readFile('/etc/cups/cups-pdf.conf', 'utf8');
  const outDir = (/^\s*Out\s+(.+?)\s*$/m.exec(conf)?.[1] ?? '/var/spool/cups-pdf/${USER}').replace('${HOME}', userInfo().homedir).replace('${USER}', userInfo().username);
  const workDir = await mkdtemp(path.join(tmpdir(), 'cups-print-'));
  const written: string[] = [];

  async function output(spoolerJobId: string, timeoutMs = 45_000): Promise<string> {
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
        if (size > 0 && size === lastSize && (await readFile(file)).subarray(-64).toString('latin1').includes('%%EOF')) {
          written.push(file);
          return file;
        }
        lastSize = size;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const jobs = await run('lpstat', ['-W', 'all', '-o', QUEUE]);
    throw new Error(`cups-pdf wrote no file for ${spoolerJobId} in ${outDir} within ${timeoutMs} ms; jobs: ${jobs.stdout}`);
  }

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

  return {
    output,
    workDir,
    async decodeBlanks(pdf) {
      const blanks: Array<[string[], string[]]> = [];
      for (let slot = 0; slot < 3; slot += 1) {
        const y = slot * BLANK_HEIGHT_MM;
        blanks.push([
          await decodeRegion(pdf, { x: 0, y, w: PERFORATION_X_MM, h: BLANK_HEIGHT_MM }),
          await decodeRegion(pdf, { x: PERFORATION_X_MM, y, w: PAGE_WIDTH_MM - PERFORATION_X_MM, h: BLANK_HEIGHT_MM }),
        ]);
      }
      return blanks;
    },
    async cleanup() {
      await rm(workDir, { recursive: true, force: true });
      for (const file of written) await rm(file, { force: true });
    },
  };
}

/** pdfinfo's page count and size in points. */
export async function pdfInfo(file: string): Promise<{ pages: number; width: number; height: number }> {
  const info = await run('pdfinfo', [file]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info.stdout);
  const pages = /^Pages:\s+(\d+)$/m.exec(info.stdout);
  if (size === null || pages === null) throw new Error(`pdfinfo: ${info.stdout} ${info.stderr}`);
  return { pages: Number(pages[1]), width: Number(size[1]), height: Number(size[2]) };
}
