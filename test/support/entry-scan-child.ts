/**
 * Child process of the offline-entry crash test: scans the codes of `<dir>/codes.json` one by one and
 * prints "<nonce> <seq> <verdict> <code>" for each verdict once it is returned, i.e. after the journal's
 * fsync, just as the gate display would show it. The test kills it with SIGKILL somewhere in the middle.
 * Usage: node --import tsx test/support/entry-scan-child.ts <dir> <secret-key-hex> [gate]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createOfflineEntry } from '../../src/main/services/entry/offline-entry.js';
import { openScanJournal } from '../../src/main/services/entry/scan-journal.js';
import { openScanListStore } from '../../src/main/services/entry/scan-list-store.js';
import { createFakeSecretStore } from '../unit/main/fake-secret-store.js';

async function main(): Promise<void> {
  const [dir, keyHex, gate = 'Nord'] = process.argv.slice(2);
  if (dir === undefined || keyHex === undefined) throw new Error('usage: entry-scan-child <dir> <secret-key-hex>');
  const codes = JSON.parse(readFileSync(path.join(dir, 'codes.json'), 'utf8')) as string[];
  const clock = { now: () => new Date() };
  const scanList = await openScanListStore({ dir, secrets: createFakeSecretStore({ key: Buffer.from(keyHex, 'hex') }), clock });
  const journal = await openScanJournal({ dir });
  const entry = createOfflineEntry({ scanList, journal, clock, gate });
  process.stdout.write(`ready ${journal.recovery.scans}\n`);
  for (const code of codes) {
    const result = await entry.scan(code);
    if (!result.ok) throw new Error(result.error.code);
    // Pipes are written synchronously on Linux: once this returns, the parent can read the line.
    process.stdout.write(`${result.value.nonce} ${result.value.seq} ${result.value.verdict} ${code}\n`);
  }
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
