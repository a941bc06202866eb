import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptFile, encryptFile, keyId, parseBackupKey } from '../../../../server/src/backup/encryption.js';
import { manifestPathFor, sha256File } from '../../../../server/src/backup/manifest.js';

const dir = mkdtempSync(path.join(tmpdir(), 'boxoffice-backup-enc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup encryption (AES-256-GCM, streamed)', () => {
  const key = randomBytes(32);
  // Larger than one stream chunk (64 KiB), so the streaming path is exercised.
  const plain = randomBytes(300_000);
  const source = path.join(dir, 'plain');
  writeFileSync(source, plain);
  let n = 0;
  const fresh = () => path.join(dir, `f${(n += 1)}`);

  it('round-trips and reports the hashes of both files', async () => {
    const enc = fresh();
    const result = await encryptFile(source, enc, key);
    expect(result).toEqual(await sha256File(enc));
    expect(result.sizeBytes).toBe(plain.length + 8 + 12 + 16);
    const out = fresh();
    const dec = await decryptFile(enc, key, out);
    expect(readFileSync(out).equals(plain)).toBe(true);
    expect(dec).toEqual(await sha256File(source));
    // Two encryptions of the same data differ (fresh IV).
    const again = fresh();
    await encryptFile(source, again, key);
    expect(readFileSync(again).equals(readFileSync(enc))).toBe(false);
  });

  it('refuses any changed byte: header, ciphertext, tag; and a wrong key', async () => {
    const enc = fresh();
    await encryptFile(source, enc, key);
    const bytes = readFileSync(enc);
    for (const at of [3, 10, 20, 1000, bytes.length - 20, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at] ?? 0) ^ 0x80;
      const file = fresh();
      writeFileSync(file, changed);
      await expect(decryptFile(file, key), `byte ${at}`).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    }
    await expect(decryptFile(enc, randomBytes(32))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    const truncated = fresh();
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 1));
    await expect(decryptFile(truncated, key)).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
  });

  it('takes a key of exactly 32 bytes in base64 and derives a stable public key id', () => {
    const text = key.toString('base64');
    expect(parseBackupKey(text).equals(key)).toBe(true);
    expect(keyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyId(key)).not.toBe(keyId(randomBytes(32)));
    expect(() => parseBackupKey(undefined)).toThrow(/BOXOFFICE_BACKUP_KEY is not set/);
    expect(() => parseBackupKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseBackupKey(`${text.slice(0, 10)}!${text.slice(11)}`)).toThrow(/32 bytes/);
  });

  it('names manifests after their backups', () => {
    expect(manifestPathFor('/b/boxoffice-20261204T163000000Z-postgres.dump')).toBe('/b/boxoffice-20261204T163000000Z-postgres.manifest.json');
    expect(manifestPathFor('/b/boxoffice-x-pglite.tar.gz.enc')).toBe('/b/boxoffice-x-pglite.manifest.json');
    expect(() => manifestPathFor('/b/other.sql')).toThrow(/not named like a backup/);
  });
});
