import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BackupError } from './errors.js';

/**
 * Connection for the PostgreSQL client tools: the URL without its password (command lines are visible to
 * every user of the machine in `ps`), the password in PGPASSWORD.
 */
export function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password === '' ? {} : { PGPASSWORD: password }) } };
}

/** Runs pg_dump / pg_restore with an argument vector (never through a shell). */
export function runTool(command: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, _stdout, stderr) => {
      if (error === null) {
        resolve(stderr);
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new BackupError('BACKUP_FAILED', `${command} not found on PATH; install the PostgreSQL client tools of the server's major version (Debian: postgresql-client)`));
        return;
      }
      reject(toolFailed(command, stderr, error.message, error));
    });
  });
}

function toolFailed(command: string, stderr: string, fallback: string, cause?: unknown): BackupError {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const detail = lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1] ?? fallback;
  return new BackupError('BACKUP_FAILED', `${command} failed: ${detail.replace(/^\S+: /, '')}`, { cause });
}

/**
 * Runs a tool and hands its stdout to `consume` as a stream (e.g. straight into the encryption, so no
 * plaintext dump is written to disk). Succeeds only when both `consume` and the tool succeed.
 */
export async function runToolToStream<T>(command: 'pg_dump', args: string[], env: NodeJS.ProcessEnv, consume: (stdout: Readable) => Promise<T>): Promise<T> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new BackupError('BACKUP_FAILED', `${command} not found on PATH; install the PostgreSQL client tools of the server's major version (Debian: postgresql-client)`) : error),
    );
    child.on('close', resolve);
  });
  // Awaited below, after the output is consumed; until then a failed spawn must not count as unhandled.
  exited.catch(() => undefined);
  let result: T;
  try {
    result = await consume(child.stdout);
  } catch (error) {
    child.kill();
    const failure = await exited.then(
      (code) => (code !== 0 && code !== null ? toolFailed(command, stderr, `exit code ${code}`) : undefined),
      (spawnError: unknown) => spawnError,
    );
    throw failure ?? error;
  }
  const code = await exited;
  if (code !== 0) throw toolFailed(command, stderr, `exit code ${String(code)}`);
  return result;
}
