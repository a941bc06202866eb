import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptFileError, openAppendFile, readJsonLines, replaceFileAtomically } from '../../../../src/main/services/entry/durable-file.js';

const tempFile = (name = 'x.jsonl') => path.join(mkdtempSync(path.join(tmpdir(), 'entry-file-')), name);

describe('JSON-lines file', () => {
  it('appends lines and reads them back; a missing file is empty', async () => {
    const file = tempFile();
    expect(await readJsonLines(file)).toEqual({ values: [], goodBytes: 0, tornBytes: 0 });
    const out = await openAppendFile(file, 0);
    await out.append([{ a: 1 }, { b: 'zwei' }]);
    await out.append([{ c: [3] }]);
    await out.close();
    expect((await readJsonLines(file)).values).toEqual([{ a: 1 }, { b: 'zwei' }, { c: [3] }]);
  });

  it('cuts off a torn last write (half a line, or a line of zeros) and appends cleanly after it', async () => {
    for (const torn of ['{"a":2,"b":"hal', '\0\0\0\0\0\0\n']) {
      const file = tempFile();
      writeFileSync(file, '{"a":1}\n');
      appendFileSync(file, torn);
      const read = await readJsonLines(file);
      expect(read).toEqual({ values: [{ a: 1 }], goodBytes: 8, tornBytes: Buffer.byteLength(torn) });
      const out = await openAppendFile(file, read.goodBytes);
      await out.append([{ a: 3 }]);
      await out.close();
      expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":3}\n');
    }
  });

  it('refuses damage in the middle: nothing is dropped silently', async () => {
    const file = tempFile();
    writeFileSync(file, '{"a":1}\n{"a":\n{"a":3}\n');
    await expect(readJsonLines(file)).rejects.toBeInstanceOf(CorruptFileError);
    await expect(readJsonLines(file)).rejects.toThrow(/line 2/);
  });

  it('replaces a file atomically and leaves no temporary file', async () => {
    const file = tempFile('list.json');
    await replaceFileAtomically(file, 'alt');
    await replaceFileAtomically(file, 'neu');
    expect(readFileSync(file, 'utf8')).toBe('neu');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(path.dirname(file))).toEqual(['list.json']);
  });
});
