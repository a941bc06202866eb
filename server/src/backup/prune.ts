import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_SUFFIX, readManifest, type BackupManifest } from './manifest.js';
import { decideRetention, type RetentionReason, type RetentionRules } from './retention.js';

export interface ListedBackup {
  manifest: BackupManifest;
  manifestPath: string;
  backupPath: string;
  createdAt: Date;
}

/** Backups in `dir` with a readable manifest; unreadable manifests are reported and never deleted. */
export function listBackups(dir: string): { backups: ListedBackup[]; unreadable: Array<{ file: string; error: string }> } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { backups: [], unreadable: [] };
    throw error;
  }
  const backups: ListedBackup[] = [];
  const unreadable: Array<{ file: string; error: string }> = [];
  for (const name of names.filter((n) => n.endsWith(MANIFEST_SUFFIX) && !n.startsWith('.')).sort()) {
    try {
      const { manifest, manifestPath, backupPath } = readManifest(path.join(dir, name));
      backups.push({ manifest, manifestPath, backupPath, createdAt: new Date(manifest.createdAt) });
    } catch (error) {
      unreadable.push({ file: name, error: (error as Error).message });
    }
  }
  return { backups, unreadable };
}

export interface PruneResult {
  kept: Array<{ backup: ListedBackup; reasons: RetentionReason[] }>;
  removed: ListedBackup[];
  unreadable: Array<{ file: string; error: string }>;
}

/** Deletes the backups the retention rules do not keep: the backup file first, then its manifest. */
export function pruneBackups(dir: string, rules: RetentionRules, options: { dryRun?: boolean } = {}): PruneResult {
  const { backups, unreadable } = listBackups(dir);
  const decision = decideRetention(backups, rules);
  if (options.dryRun !== true) {
    for (const b of decision.remove) {
      rmSync(b.backupPath, { force: true });
      rmSync(b.manifestPath, { force: true });
    }
  }
  return { kept: decision.keep, removed: decision.remove, unreadable };
}
