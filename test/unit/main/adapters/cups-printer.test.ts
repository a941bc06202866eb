import { describe, expect, it } from 'vitest';
import { parseLpRequestId, parseLpstatAccepting, parseLpstatDefault, parseLpstatPrinters, printerInfo } from '../../../../src/main/adapters/cups-lpstat.js';
import { createCupsPrinter, CUPS_PRINT_OPTIONS, isValidCupsName } from '../../../../src/main/adapters/cups-printer.js';
import type { CommandOutcome, CommandRunner, RunOptions } from '../../../../src/main/ports/command-runner.js';

// Real lpstat output (CUPS 2.4, LC_ALL=C), trimmed to the lines that vary.
const LPSTAT_L_P = `printer PDF is idle.  enabled since Fri Dec  4 15:47:34 2026
\tForm mounted:
\tContent types: any
\tPrinter types: unknown
\tDescription: PDF
\tAlerts: none
\tLocation: 
\tConnection: direct
printer Kasse-Laser now printing Kasse-Laser-17.  enabled since Fri Dec  4 09:12:01 2026
\tAlerts: none
printer Leer disabled since Fri Dec  4 15:51:10 2026 -
\tPaused
\tForm mounted:
\tAlerts: paused
printer Schacht is idle.  enabled since Fri Dec  4 15:47:34 2026
\tAlerts: media-empty-error media-needed
printer Netz is idle.  enabled since Fri Dec  4 15:47:34 2026
\tAlerts: offline-report
printer Komisch is doing something new.  enabled since Fri Dec  4 15:47:34 2026
`;
const LPSTAT_A = `PDF accepting requests since Fri Dec  4 15:47:34 2026
Kasse-Laser accepting requests since Fri Dec  4 09:12:01 2026
Leer accepting requests since Fri Dec  4 15:51:10 2026
Schacht accepting requests since Fri Dec  4 15:47:34 2026
Netz accepting requests since Fri Dec  4 15:47:34 2026
Komisch not accepting requests since Fri Dec  4 15:47:34 2026 -
\tRejecting Jobs
`;

describe('lpstat parsing', () => {
  it('reads every printer’s state, reasons and message', () => {
    const blocks = parseLpstatPrinters(LPSTAT_L_P);
    expect(blocks.map((b) => [b.name, b.state])).toEqual([
      ['PDF', 'idle'],
      ['Kasse-Laser', 'printing'],
      ['Leer', 'offline'],
      ['Schacht', 'idle'],
      ['Netz', 'idle'],
      ['Komisch', 'unknown'],
    ]);
    expect(blocks[2]).toMatchObject({ message: 'Paused', reasons: ['paused'] });
    expect(blocks[3]!.reasons).toEqual(['media-empty-error', 'media-needed']);
  });

  it('combines state line, reasons and accepting flag', () => {
    const accepting = parseLpstatAccepting(LPSTAT_A);
    expect(accepting.get('PDF')).toBe(true);
    expect(accepting.get('Komisch')).toBe(false);
    const infos = parseLpstatPrinters(LPSTAT_L_P).map((block) => printerInfo(block, accepting.get(block.name), block.name === 'PDF'));
    expect(infos.map((i) => i.state)).toEqual(['idle', 'printing', 'offline', 'paper-out', 'offline', 'offline']);
    expect(infos[0]).toEqual({ name: 'PDF', state: 'idle', isDefault: true });
    expect(infos[3]!.detail).toBe('media-empty-error; media-needed');
    expect(infos[5]!.detail).toBe('not accepting jobs');
  });

  it('reads the default destination and lp’s request id', () => {
    expect(parseLpstatDefault('system default destination: Kasse-Laser\n')).toBe('Kasse-Laser');
    expect(parseLpstatDefault('no system default destination\n')).toBeUndefined();
    expect(parseLpRequestId('request id is PDF-12 (1 file(s))\n')).toBe('PDF-12');
    expect(parseLpRequestId('')).toBeUndefined();
  });

  it('survives empty, Windows-style and unrelated output', () => {
    expect(parseLpstatPrinters('')).toEqual([]);
    expect(parseLpstatPrinters('printer A is idle.  enabled since x\r\n\tAlerts: none\r\n')).toEqual([{ name: 'A', state: 'idle', reasons: [] }]);
    expect(parseLpstatPrinters('scheduler is running\n\tAlerts: media-empty\n')).toEqual([]);
  });
});

interface Call {
  file: string;
  args: readonly string[];
  options: RunOptions;
}

/** A scripted lpstat/lp: answers by program and first arguments. */
function fakeRunner(answer: (file: string, args: readonly string[]) => Partial<CommandOutcome>): { runner: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    runner: {
      run: async (file, args, options) => {
        calls.push({ file, args, options });
        return { exitCode: 0, stdout: '', stderr: '', ...answer(file, args) };
      },
    },
  };
}

/** What one `lpstat -l -p … -a … -d` prints: the printer blocks, the accepting lines, the default. */
const lpstatOutput = (printers: string, accepting = 'PDF accepting requests since x\n', defaults = 'system default destination: PDF\n') => ({ stdout: printers + accepting + defaults });

const healthy = (file: string): Partial<CommandOutcome> => {
  if (file === 'lpstat') return lpstatOutput('printer PDF is idle.  enabled since x\n\tAlerts: none\n');
  if (file === 'lp') return { stdout: 'request id is PDF-42 (0 file(s))\n' };
  return { exitCode: 9, stderr: 'unexpected call' };
};

const pdf = new Uint8Array(Buffer.from('%PDF-1.7 test'));

describe('CUPS adapter', () => {
  it('prints on standard input with A4, no scaling, one side, no banner, in the C locale', async () => {
    const { runner, calls } = fakeRunner(healthy);
    const printer = createCupsPrinter({ runner, env: { PATH: '/usr/bin', LANG: 'de_DE.UTF-8' } });
    expect(await printer.print({ printer: 'PDF', pdf, title: 'Tickets VVK-1' })).toEqual({ ok: true, value: { jobId: 'PDF-42' } });
    const lp = calls.find((call) => call.file === 'lp')!;
    expect(lp.args).toEqual(['-d', 'PDF', '-t', 'Tickets VVK-1', ...CUPS_PRINT_OPTIONS]);
    expect(lp.args).toEqual(expect.arrayContaining(['media=A4', 'fit-to-page=false', 'print-scaling=none', 'sides=one-sided', 'job-sheets=none,none']));
    expect(lp.options.input).toBe(pdf);
    for (const call of calls) expect(call.options.env).toMatchObject({ LC_ALL: 'C', LANG: 'C', PATH: '/usr/bin' });
    expect(calls.filter((call) => call.file === 'lpstat').map((call) => call.args)).toEqual([['-l', '-p', 'PDF', '-a', 'PDF', '-d']]);
  });

  it('lists printers with states and the default', async () => {
    const { runner, calls } = fakeRunner((file) => (file === 'lpstat' ? lpstatOutput(LPSTAT_L_P, LPSTAT_A) : healthy(file)));
    const listed = await createCupsPrinter({ runner, env: {} }).list();
    expect(calls.map((call) => call.args)).toEqual([['-l', '-p', '-a', '-d']]);
    expect(listed.ok && listed.value.map((p) => `${p.name}:${p.state}${p.isDefault ? '*' : ''}`)).toEqual([
      'PDF:idle*',
      'Kasse-Laser:printing',
      'Leer:offline',
      'Schacht:paper-out',
      'Netz:offline',
      'Komisch:offline',
    ]);
  });

  it('answers an empty list when CUPS has no queue at all', async () => {
    const { runner } = fakeRunner((file) => (file === 'lpstat' ? { exitCode: 1, stdout: 'no system default destination\n', stderr: 'lpstat: No destinations added.\n' } : healthy(file)));
    expect(await createCupsPrinter({ runner, env: {} }).list()).toEqual({ ok: true, value: [] });
  });

  it('maps an unknown queue to PRINTER_UNKNOWN without calling lp', async () => {
    const { runner, calls } = fakeRunner((file) => (file === 'lpstat' ? { exitCode: 1, stderr: 'lpstat: Invalid destination name in list "Nope".\n' } : healthy(file)));
    const result = await createCupsPrinter({ runner, env: {} }).print({ printer: 'Nope', pdf, title: 't' });
    expect(result).toMatchObject({ ok: false, error: { code: 'PRINTER_UNKNOWN' } });
    expect(calls.some((call) => call.file === 'lp')).toBe(false);
  });

  it('refuses names that are not CUPS queue names, so nothing reads as an option', async () => {
    const { runner, calls } = fakeRunner(healthy);
    for (const name of ['-o', 'a b', 'a/b', '', 'x\ny']) {
      expect(isValidCupsName(name)).toBe(false);
      expect(await createCupsPrinter({ runner, env: {} }).print({ printer: name, pdf, title: 't' })).toMatchObject({ ok: false, error: { code: 'PRINTER_UNKNOWN' } });
    }
    expect(calls).toHaveLength(0);
    expect(isValidCupsName('Kasse_Laser-2')).toBe(true);
  });

  it('refuses to send to a paused or paper-less printer (no blank is spent)', async () => {
    for (const [alerts, head, code] of [
      ['paused', 'disabled since x -', 'PRINTER_OFFLINE'],
      ['media-empty-error', 'is idle.  enabled since x', 'PAPER_OUT'],
      ['offline-report', 'is idle.  enabled since x', 'PRINTER_OFFLINE'],
    ] as const) {
      const { runner, calls } = fakeRunner((file) => (file === 'lpstat' ? lpstatOutput(`printer PDF ${head}\n\tAlerts: ${alerts}\n`) : healthy(file)));
      expect(await createCupsPrinter({ runner, env: {} }).print({ printer: 'PDF', pdf, title: 't' })).toMatchObject({ ok: false, error: { code } });
      expect(calls.some((call) => call.file === 'lp')).toBe(false);
    }
  });

  it('maps lp’s refusals and failures', async () => {
    const cases: Array<[Partial<CommandOutcome>, string]> = [
      [{ exitCode: 1, stderr: 'lp: Destination "PDF" is not accepting jobs.\n' }, 'PRINTER_OFFLINE'],
      [{ exitCode: 1, stderr: 'lp: Error - The printer or class does not exist.\n' }, 'PRINTER_UNKNOWN'],
      [{ exitCode: 1, stderr: 'lp: Unable to print file: client-error-document-format-not-supported\n' }, 'PRINT_FAILED'],
      [{ exitCode: null, failure: 'TIMEOUT' }, 'PRINT_FAILED'],
      [{ exitCode: null, failure: 'ENOENT' }, 'PRINT_FAILED'],
    ];
    for (const [lp, code] of cases) {
      const { runner } = fakeRunner((file) => (file === 'lp' ? lp : healthy(file)));
      expect(await createCupsPrinter({ runner, env: {} }).print({ printer: 'PDF', pdf, title: 't' })).toMatchObject({ ok: false, error: { code } });
    }
  });

  it('skips its own state check when the caller has just made it, and still refuses bad names', async () => {
    const { runner, calls } = fakeRunner(healthy);
    const printer = createCupsPrinter({ runner, env: {} });
    expect(await printer.print({ printer: 'PDF', pdf, title: 't', stateChecked: true })).toEqual({ ok: true, value: { jobId: 'PDF-42' } });
    expect(calls.map((call) => call.file)).toEqual(['lp']);
    expect(await printer.print({ printer: '-o', pdf, title: 't', stateChecked: true })).toMatchObject({ ok: false, error: { code: 'PRINTER_UNKNOWN' } });
    expect(calls).toHaveLength(1);
  });

  it('reports a missing lpstat as PRINT_FAILED', async () => {
    const { runner } = fakeRunner(() => ({ exitCode: null, failure: 'ENOENT' }));
    expect(await createCupsPrinter({ runner, env: {} }).status('PDF')).toMatchObject({ ok: false, error: { code: 'PRINT_FAILED' } });
  });
});
