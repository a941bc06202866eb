import { execFile } from 'node:child_process';
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
      const lines = stderr.trim().split('\n').filter(Boolean);
      const detail = lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1] ?? error.message;
      reject(new BackupError('BACKUP_FAILED', `${command} failed: ${detail.replace(/^\S+: /, '')}`, { cause: error }));
    });
  });
}
