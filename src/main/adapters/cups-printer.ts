/**
 * Printer adapter for CUPS (Linux, macOS): `lpstat` for queues and states, `lp` to print. Programs are
 * run with an argument vector (never a shell) and LC_ALL=C, so the messages parsed are CUPS's English
 * ones whatever the desktop language. The PDF goes to `lp` on standard input: no ticket data is left in
 * a temporary file.
 */
import type { CommandOutcome, CommandRunner } from '../ports/command-runner.js';
import { printerFail, PrinterErrorCode, stateError, type Printer, type PrinterInfo, type PrinterResult } from '../ports/printer.js';
import {
  isNoDestinations,
  isNotAccepting,
  isUnknownDestination,
  parseLpRequestId,
  parseLpstatAccepting,
  parseLpstatDefault,
  parseLpstatPrinters,
  printerInfo,
} from './cups-lpstat.js';

/**
 * Options for every ticket job: A4 at 100 % (the blanks are pre-printed, so scaling would move every
 * field), one side only (a duplex printer would put the next sheet on the back of this one), and no
 * banner page (it would use up a numbered blank).
 */
export const CUPS_PRINT_OPTIONS = ['-o', 'media=A4', '-o', 'fit-to-page=false', '-o', 'print-scaling=none', '-o', 'sides=one-sided', '-o', 'job-sheets=none,none'] as const;

/** CUPS queue names: printable, no space, slash, '#' or backslash; a leading '-' would read as an option. */
export function isValidCupsName(name: string): boolean {
  return /^[^\s/#\\-][^\s/#\\]{0,126}$/u.test(name) && !/[\p{Cc}]/u.test(name);
}

export interface CupsPrinterOptions {
  readonly runner: CommandRunner;
  /** The environment the programs run in (PATH, CUPS_SERVER …); the locale is forced to C. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly lp?: string;
  readonly lpstat?: string;
  readonly timeoutMs?: number;
}

function describe(outcome: CommandOutcome): string {
  if (outcome.failure !== undefined) return outcome.failure;
  return `exit ${outcome.exitCode}: ${(outcome.stderr.trim() || outcome.stdout.trim()).slice(0, 300)}`;
}

export function createCupsPrinter(options: CupsPrinterOptions): Printer {
  const lp = options.lp ?? 'lp';
  const lpstat = options.lpstat ?? 'lpstat';
  const timeoutMs = options.timeoutMs ?? 15_000;
  const env = { ...options.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: 'C' };
  const run = (file: string, args: readonly string[], input?: Uint8Array) => options.runner.run(file, args, { timeoutMs, env, ...(input === undefined ? {} : { input }) });

  /**
   * One lpstat for states, accepting flags and the default (`lpstat -l -p [name] -a [name] -d`): it
   * prints the three sections in that order, and one process is quicker than three on a busy till.
   */
  async function query(name?: string): Promise<PrinterResult<PrinterInfo[]>> {
    const target = name === undefined ? [] : [name];
    const answer = await run(lpstat, ['-l', '-p', ...target, '-a', ...target, '-d']);
    if (answer.failure !== undefined) return printerFail(PrinterErrorCode.failed, `lpstat cannot run: ${answer.failure}`);
    if (answer.exitCode !== 0) {
      if (name !== undefined && isUnknownDestination(answer.stderr)) return printerFail(PrinterErrorCode.unknown, `no printer named ${name}`);
      if (name === undefined && isNoDestinations(answer.stderr)) return { ok: true, value: [] };
      return printerFail(PrinterErrorCode.failed, `lpstat: ${describe(answer)}`);
    }
    const accepting = parseLpstatAccepting(answer.stdout);
    const defaultName = parseLpstatDefault(answer.stdout);
    const infos = parseLpstatPrinters(answer.stdout).map((block) => printerInfo(block, accepting.get(block.name), block.name === defaultName));
    return { ok: true, value: infos };
  }

  async function status(name: string): Promise<PrinterResult<PrinterInfo>> {
    if (!isValidCupsName(name)) return printerFail(PrinterErrorCode.unknown, `not a CUPS printer name: ${JSON.stringify(name.slice(0, 100))}`);
    const result = await query(name);
    if (!result.ok) return result;
    const info = result.value.find((candidate) => candidate.name === name);
    if (info === undefined) return printerFail(PrinterErrorCode.unknown, `no printer named ${name}`);
    return { ok: true, value: info };
  }

  return {
    list: () => query(),
    status,
    async print(request) {
      if (!isValidCupsName(request.printer)) return printerFail(PrinterErrorCode.unknown, `not a CUPS printer name: ${JSON.stringify(request.printer.slice(0, 100))}`);
      if (request.stateChecked !== true) {
        const current = await status(request.printer);
        if (!current.ok) return current;
        const blocked = stateError(current.value);
        if (blocked !== undefined) return { ok: false, error: blocked };
      }
      // No file argument: lp reads the PDF from standard input.
      const outcome = await run(lp, ['-d', request.printer, '-t', request.title.slice(0, 200), ...CUPS_PRINT_OPTIONS], request.pdf);
      if (outcome.failure !== undefined) return printerFail(PrinterErrorCode.failed, `lp cannot run: ${outcome.failure}`);
      if (outcome.exitCode !== 0) {
        if (isUnknownDestination(outcome.stderr)) return printerFail(PrinterErrorCode.unknown, `no printer named ${request.printer}`);
        if (isNotAccepting(outcome.stderr)) return printerFail(PrinterErrorCode.offline, `printer ${request.printer} is not accepting jobs`);
        return printerFail(PrinterErrorCode.failed, `lp: ${describe(outcome)}`);
      }
      return { ok: true, value: { jobId: parseLpRequestId(outcome.stdout) ?? null } };
    },
  };
}
