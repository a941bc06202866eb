import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDirectoryLock, DirectoryLockedError } from '../../../server/src/db/dir-lock.js';

describe('data directory lock', () => {
  it('is exclusive while held and free after release', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lock-')), 'db.lock');
    const lock = acquireDirectoryLock(file);
    expect(() => acquireDirectoryLock(file)).toThrow(DirectoryLockedError);
    lock.release();
    expect(existsSync(file)).toBe(false);
    acquireDirectoryLock(file).release();
  });

  it('refuses while another live process holds it and takes over a stale lock', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    const live = path.join(dir, 'live.lock');
    writeFileSync(live, String(process.ppid));
    expect(() => acquireDirectoryLock(live)).toThrow(/in use by process/);
    const stale = path.join(dir, 'stale.lock');
    writeFileSync(stale, '2147483646');
    acquireDirectoryLock(stale).release();
  });
});
