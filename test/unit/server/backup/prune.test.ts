import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupStamp } from '../../../../server/src/backup/backup.js';
import { MANIFEST_FORMAT, type BackupManifest } from '../../../../server/src/backup/manifest.js';
import { listBackups, pruneBackups } from '../../../../server/src/backup/prune.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A backup file and its manifest as `backup create` lays them out (content is irrelevant to pruning). */
function fakeBackup(dir: string, at: Date): string {
  const id = `boxoffice-${backupStamp(at)}-postgres`;
  const file = `${id}.dump`;
  writeFileSync(path.join(dir, file), 'dump');
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    id,
    createdAt: at.toISOString(),
    backend: 'postgres',
    file,
    sizeBytes: 4,
    sha256: '0'.repeat(64),
    encryption: null,
    dumpFormat: 'pg_dump-custom',
    durationMs: 1,
    schemaVersion: 'x',
    migrations: 1,
    tables: {},
    auditChains: [],
    invoiceCounters: null,
  };
  writeFileSync(path.join(dir, `${id}.manifest.json`), JSON.stringify(manifest));
  return id;
}

describe('backup prune', () => {
  it('deletes what the rules do not keep, file and manifest, and leaves foreign and unreadable files alone', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'boxoffice-prune-'));
    dirs.push(dir);
    const start = new Date('2026-03-01T00:10:00Z').getTime();
    // Three days of backups every 6 hours.
    const ids = Array.from({ length: 12 }, (_, i) => fakeBackup(dir, new Date(start + i * 6 * 3_600_000)));
    writeFileSync(path.join(dir, 'boxoffice-broken.manifest.json'), '{"format":');
    writeFileSync(path.join(dir, 'notes.txt'), 'operator notes');
    writeFileSync(path.join(dir, '.boxoffice-x-postgres.dump.partial'), 'in progress');

    const preview = pruneBackups(dir, { hourly: 2, daily: 3, weekly: 0, monthly: 0 }, { dryRun: true });
    expect(preview.removed).toHaveLength(12 - 4);
    expect(readdirSync(dir)).toHaveLength(12 * 2 + 3);

    const result = pruneBackups(dir, { hourly: 2, daily: 3, weekly: 0, monthly: 0 });
    // Kept: the two newest (hourly), the last of each of the three days (the newest counted once).
    const kept = result.kept.map((k) => k.backup.manifest.id).sort();
    expect(kept).toEqual([ids[3], ids[7], ids[10], ids[11]].sort());
    expect(result.unreadable.map((u) => u.file)).toEqual(['boxoffice-broken.manifest.json']);
    for (const id of ids) {
      const shouldExist = kept.includes(id);
      expect(existsSync(path.join(dir, `${id}.dump`)), id).toBe(shouldExist);
      expect(existsSync(path.join(dir, `${id}.manifest.json`)), id).toBe(shouldExist);
    }
    for (const other of ['boxoffice-broken.manifest.json', 'notes.txt', '.boxoffice-x-postgres.dump.partial']) expect(existsSync(path.join(dir, other)), other).toBe(true);
  });

  it('lists nothing in a directory that does not exist yet', () => {
    expect(listBackups(path.join(tmpdir(), 'boxoffice-no-such-dir-4711'))).toEqual({ backups: [], unreadable: [] });
  });
});
