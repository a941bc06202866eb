/**
 * Runs a program with an argument vector (never a shell string) and collects its output. The printer
 * adapters use it for `lp`, `lpstat`, SumatraPDF and PowerShell; tests give them scripted fakes.
 */
export interface CommandOutcome {
  /** Null when the program did not end by itself (killed after the timeout, or by a signal). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not run at all or was stopped: ENOENT, EACCES, TIMEOUT, … */
  readonly failure?: string;
}

export interface RunOptions {
  /** Written to the program's standard input, which is then closed. */
  readonly input?: Uint8Array;
  readonly timeoutMs: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface CommandRunner {
  run(file: string, args: readonly string[], options: RunOptions): Promise<CommandOutcome>;
}
