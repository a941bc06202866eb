import type { Logger } from '../ports/logger.js';

type Level = 'info' | 'warn' | 'error';

/** JSON lines: info on stdout, warnings and errors on stderr. */
export function createConsoleLogger(
  write: (level: Level, line: string) => void = (level, line) => (level === 'info' ? process.stdout : process.stderr).write(line),
): Logger {
  const line = (level: Level, message: string, details?: Readonly<Record<string, unknown>>) => {
    write(level, `${JSON.stringify({ level, at: new Date().toISOString(), message, ...details })}\n`);
  };
  return {
    info: (message, details) => line('info', message, details),
    warn: (message, details) => line('warn', message, details),
    error: (message, details) => line('error', message, details),
  };
}
