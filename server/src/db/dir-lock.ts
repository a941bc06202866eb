import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export interface DirectoryLock {
  release(): void;
}

export class DirectoryLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryLockedError';
  }
}

/**
 * An exclusive lock file holding the owner's pid. A lock left behind by a process that no longer runs
 * (crash, power loss) is taken over, so a restart never needs manual clean-up.
 */
export function acquireDirectoryLock(file: string): DirectoryLock {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSafe(file), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DirectoryLockedError(`the embedded database is in use by process ${owner} (${file})`);
      }
      if (owner === process.pid) throw new DirectoryLockedError(`the embedded database is already open in this process (${file})`);
      rmSync(file, { force: true });
    }
  }
  throw new DirectoryLockedError(`cannot lock ${file}`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
