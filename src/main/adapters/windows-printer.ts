/**
 * Printer adapter for Windows: SumatraPDF prints (`-print-to`, no scaling, A4), PowerShell lists the
 * queues and their states (Win32_Printer). Both run by path with an argument vector; the PowerShell
 * script is a constant, printer names never become part of a command line that something parses as
 * code. SumatraPDF ships with the installer outside the asar (electron-builder extraResources,
 * resources/print-helper/SumatraPDF.exe), because a program cannot be started from inside the archive.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandOutcome, CommandRunner } from '../ports/command-runner.js';
import { printerFail, PrinterErrorCode, stateError, type Printer, type PrinterInfo, type PrinterResult, type PrinterState } from '../ports/printer.js';

/** -print-settings for every ticket job: 100 %, A4, portrait, one side (see cups-printer.ts for why). */
export const SUMATRA_PRINT_SETTINGS = 'noscale,paper=A4,portrait,simplex';

/** The argument vector for SumatraPDF; -silent keeps error dialogs off the counter, the exit code tells. */
export function sumatraArgs(printer: string, pdfPath: string): string[] {
  return ['-print-to', printer, '-print-settings', SUMATRA_PRINT_SETTINGS, '-silent', pdfPath];
}

export const POWERSHELL_LIST_SCRIPT =
  'Get-CimInstance -ClassName Win32_Printer | Select-Object Name,Default,WorkOffline,PrinterStatus,DetectedErrorState | ConvertTo-Json -Compress';

interface Win32Printer {
  Name?: unknown;
  Default?: unknown;
  WorkOffline?: unknown;
  /** 1 other, 2 unknown, 3 idle, 4 printing, 5 warm-up, 6 stopped printing, 7 offline. */
  PrinterStatus?: unknown;
  /** 3 low paper, 4 no paper, 9 offline, … */
  DetectedErrorState?: unknown;
}

/** Parses ConvertTo-Json's output: an array, or a single object when there is one printer. */
export function parseWin32Printers(json: string): PrinterInfo[] {
  const trimmed = json.trim();
  if (trimmed === '') return [];
  const parsed: unknown = JSON.parse(trimmed);
  const rows = (Array.isArray(parsed) ? parsed : [parsed]) as Win32Printer[];
  return rows
    .filter((row): row is Win32Printer & { Name: string } => typeof row === 'object' && row !== null && typeof row.Name === 'string')
    .map((row) => {
      let state: PrinterState = row.PrinterStatus === 3 ? 'idle' : row.PrinterStatus === 4 ? 'printing' : 'unknown';
      if (row.WorkOffline === true || row.PrinterStatus === 7 || row.DetectedErrorState === 9) state = 'offline';
      if (row.DetectedErrorState === 4) state = 'paper-out';
      const detail = [`PrinterStatus ${String(row.PrinterStatus)}`, `DetectedErrorState ${String(row.DetectedErrorState)}`, row.WorkOffline === true ? 'WorkOffline' : undefined]
        .filter((part) => part !== undefined)
        .join('; ');
      return { name: row.Name, state, isDefault: row.Default === true, detail };
    });
}

export interface WindowsPrinterOptions {
  readonly runner: CommandRunner;
  /** Absolute path of SumatraPDF.exe (from the station's configuration; packaged in resources/print-helper). */
  readonly sumatraPath: string;
  readonly powershellPath?: string;
  /** Where the PDF is written for SumatraPDF (removed after printing). */
  readonly tempDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

function describe(outcome: CommandOutcome): string {
  return outcome.failure ?? `exit ${outcome.exitCode}${outcome.stderr.trim() === '' ? '' : `: ${outcome.stderr.trim().slice(0, 300)}`}`;
}

export function createWindowsPrinter(options: WindowsPrinterOptions): Printer {
  const powershell = options.powershellPath ?? 'powershell.exe';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const runOptions = { timeoutMs, ...(options.env === undefined ? {} : { env: options.env }) };

  async function list(): Promise<PrinterResult<PrinterInfo[]>> {
    const outcome = await options.runner.run(powershell, ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', POWERSHELL_LIST_SCRIPT], runOptions);
    if (outcome.failure !== undefined || outcome.exitCode !== 0) return printerFail(PrinterErrorCode.failed, `printer list unavailable: ${describe(outcome)}`);
    try {
      return { ok: true, value: parseWin32Printers(outcome.stdout) };
    } catch (error) {
      return printerFail(PrinterErrorCode.failed, `printer list unreadable: ${String(error)}`);
    }
  }

  async function status(name: string): Promise<PrinterResult<PrinterInfo>> {
    const all = await list();
    if (!all.ok) return all;
    // Windows printer names are case-insensitive.
    const info = all.value.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    return info === undefined ? printerFail(PrinterErrorCode.unknown, `no printer named ${name}`) : { ok: true, value: info };
  }

  return {
    list,
    status,
    async print(request) {
      const current: PrinterResult<PrinterInfo> =
        request.stateChecked === true ? { ok: true, value: { name: request.printer, state: 'unknown', isDefault: false } } : await status(request.printer);
      // Without a printer list (PowerShell blocked by policy) SumatraPDF's exit code still tells.
      if (!current.ok && current.error.code !== PrinterErrorCode.failed) return current;
      if (current.ok) {
        const blocked = stateError(current.value);
        if (blocked !== undefined) return { ok: false, error: blocked };
      }
      const dir = await mkdtemp(path.join(options.tempDir, 'boxoffice-print-'));
      try {
        const pdfPath = path.join(dir, 'tickets.pdf');
        await writeFile(pdfPath, request.pdf, { mode: 0o600 });
        const outcome = await options.runner.run(options.sumatraPath, sumatraArgs(current.ok ? current.value.name : request.printer, pdfPath), runOptions);
        if (outcome.failure === 'ENOENT') return printerFail(PrinterErrorCode.failed, `SumatraPDF not found at ${options.sumatraPath}`);
        if (outcome.failure !== undefined || outcome.exitCode !== 0) {
          // SumatraPDF sends page by page; after a failure it cannot say how far it got.
          return { ok: false, error: { ...printerFail(PrinterErrorCode.failed, `SumatraPDF failed: ${describe(outcome)}`).error, mayHavePrinted: true } };
        }
        return { ok: true, value: { jobId: null } };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
