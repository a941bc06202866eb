/** CommandRunner on node:child_process.execFile: an argument vector, no shell, a timeout, bounded output. */
import { execFile } from 'node:child_process';
import type { CommandOutcome, CommandRunner } from '../ports/command-runner.js';

const MAX_OUTPUT_BYTES = 1024 * 1024;

export function createExecFileRunner(): CommandRunner {
  return {
    run(file, args, options) {
      return new Promise<CommandOutcome>((resolve) => {
        const child = execFile(
          file,
          [...args],
          { timeout: options.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, shell: false, encoding: 'utf8', ...(options.env === undefined ? {} : { env: { ...options.env } }) },
          (error, stdout, stderr) => {
            if (error === null) {
              resolve({ exitCode: 0, stdout, stderr });
              return;
            }
            const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
            if (typeof code === 'number') {
              resolve({ exitCode: code, stdout, stderr });
              return;
            }
            const killed = (error as { killed?: boolean }).killed === true;
            resolve({ exitCode: null, stdout, stderr, failure: killed ? 'TIMEOUT' : typeof code === 'string' ? code : error.message });
          },
        );
        // A program that exits without reading its input must not crash the station with EPIPE.
        child.stdin?.on('error', () => undefined);
        if (options.input === undefined) child.stdin?.end();
        else child.stdin?.end(Buffer.from(options.input.buffer, options.input.byteOffset, options.input.byteLength));
      });
    },
  };
}
