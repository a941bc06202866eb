/**
 * The Windows adapter under Node with fake executables: shell scripts stand in for SumatraPDF.exe and
 * powershell.exe, run through the real execFile runner. They record their argument vector and the PDF
 * they were given, and answer with the exit code or JSON the test chooses.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExecFileRunner } from '../../../../src/main/adapters/exec-file-runner.js';
import { createWindowsPrinter, parseWin32Printers, POWERSHELL_LIST_SCRIPT, sumatraArgs } from '../../../../src/main/adapters/windows-printer.js';

let dir: string;
let spool: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'windows-printer-'));
  spool = path.join(dir, 'spool');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fake SumatraPDF: writes each argument on its own line, copies the PDF (last argument), exits with `code`. */
async function fakeSumatra(code: number): Promise<string> {
  const file = path.join(dir, 'SumatraPDF.exe');
  await writeFile(file, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/args.txt"\nfor a; do last="$a"; done\ncp "$last" "${dir}/printed.pdf"\nexit ${code}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A fake powershell.exe printing `json` (and recording its arguments). */
async function fakePowershell(json: string, code = 0): Promise<string> {
  const file = path.join(dir, 'powershell.exe');
  await writeFile(path.join(dir, 'printers.json'), json);
  await writeFile(file, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/ps-args.txt"\ncat "${dir}/printers.json"\nexit ${code}\n`);
  await chmod(file, 0o755);
  return file;
}

const PRINTERS = JSON.stringify([
  { Name: 'Ticketdrucker Kasse 1', Default: true, WorkOffline: false, PrinterStatus: 3, DetectedErrorState: 2 },
  { Name: 'Büro', Default: false, WorkOffline: true, PrinterStatus: 3, DetectedErrorState: 2 },
  { Name: 'Leer', Default: false, WorkOffline: false, PrinterStatus: 1, DetectedErrorState: 4 },
  { Name: 'Druckt', Default: false, WorkOffline: false, PrinterStatus: 4, DetectedErrorState: 2 },
]);

const pdf = new Uint8Array(Buffer.from('%PDF-1.7 Ticketbogen'));

async function printer(options: { sumatraExit?: number; json?: string; psExit?: number; sumatraPath?: string } = {}) {
  await mkdir(spool, { recursive: true });
  return createWindowsPrinter({
    runner: createExecFileRunner(),
    sumatraPath: options.sumatraPath ?? (await fakeSumatra(options.sumatraExit ?? 0)),
    powershellPath: await fakePowershell(options.json ?? PRINTERS, options.psExit ?? 0),
    tempDir: spool,
    timeoutMs: 10_000,
  });
}

describe('SumatraPDF arguments', () => {
  it('prints to the named printer at 100 % on A4, one side, without dialogs', () => {
    expect(sumatraArgs('Ticketdrucker Kasse 1', 'C:\\Temp\\x\\tickets.pdf')).toEqual([
      '-print-to',
      'Ticketdrucker Kasse 1',
      '-print-settings',
      'noscale,paper=A4,portrait,simplex',
      '-silent',
      'C:\\Temp\\x\\tickets.pdf',
    ]);
  });
});

describe('Windows adapter (fake executables)', () => {
  it('hands the PDF to SumatraPDF as one argument each, then removes the temporary file', async () => {
    const result = await (await printer()).print({ printer: 'ticketdrucker kasse 1', pdf, title: 'Tickets' });
    expect(result).toEqual({ ok: true, value: { jobId: null } });
    const args = (await readFile(path.join(dir, 'args.txt'), 'utf8')).trimEnd().split('\n');
    // The queue's own spelling, a name with spaces as a single argument.
    expect(args.slice(0, 5)).toEqual(['-print-to', 'Ticketdrucker Kasse 1', '-print-settings', 'noscale,paper=A4,portrait,simplex', '-silent']);
    expect(args[5]).toMatch(/tickets\.pdf$/);
    expect(await readFile(path.join(dir, 'printed.pdf'))).toEqual(Buffer.from(pdf));
    expect(await readdir(spool)).toEqual([]);
  });

  it('lists printers through a constant PowerShell script', async () => {
    const listed = await (await printer()).list();
    expect(listed.ok && listed.value.map((p) => `${p.name}:${p.state}${p.isDefault ? '*' : ''}`)).toEqual(['Ticketdrucker Kasse 1:idle*', 'Büro:offline', 'Leer:paper-out', 'Druckt:printing']);
    const psArgs = (await readFile(path.join(dir, 'ps-args.txt'), 'utf8')).trimEnd().split('\n');
    expect(psArgs).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', POWERSHELL_LIST_SCRIPT]);
  });

  it('maps unknown, offline and paper-out printers to their codes without starting SumatraPDF', async () => {
    for (const [name, code] of [
      ['Gibt es nicht', 'PRINTER_UNKNOWN'],
      ['Büro', 'PRINTER_OFFLINE'],
      ['Leer', 'PAPER_OUT'],
    ] as const) {
      expect(await (await printer()).print({ printer: name, pdf, title: 't' })).toMatchObject({ ok: false, error: { code } });
      await expect(readFile(path.join(dir, 'args.txt'))).rejects.toThrow(/ENOENT/);
    }
  });

  it('reports SumatraPDF’s failure exit code, and a missing SumatraPDF, as PRINT_FAILED and cleans up', async () => {
    expect(await (await printer({ sumatraExit: 1 })).print({ printer: 'Druckt', pdf, title: 't' })).toMatchObject({
      ok: false,
      error: { code: 'PRINT_FAILED', message: expect.stringContaining('exit 1'), mayHavePrinted: true },
    });
    expect(await readdir(spool)).toEqual([]);
    const missing = await printer({ sumatraPath: path.join(dir, 'fehlt', 'SumatraPDF.exe') });
    expect(await missing.print({ printer: 'Druckt', pdf, title: 't' })).toMatchObject({ ok: false, error: { code: 'PRINT_FAILED', message: expect.stringContaining('not found') } });
  });

  it('still prints when PowerShell is unavailable, and lets SumatraPDF’s exit code decide', async () => {
    const result = await (await printer({ psExit: 1, json: '' })).print({ printer: 'Irgendwer', pdf, title: 't' });
    expect(result).toEqual({ ok: true, value: { jobId: null } });
  });

  it('parses a single printer (ConvertTo-Json writes an object, not an array) and nothing', () => {
    expect(parseWin32Printers(JSON.stringify({ Name: 'A', Default: false, PrinterStatus: 7 }))).toMatchObject([{ name: 'A', state: 'offline' }]);
    expect(parseWin32Printers('')).toEqual([]);
  });
});
