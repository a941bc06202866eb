/**
 * File primitives for the offline entry store: a JSON-lines file that is appended to with an fsync per
 * write and read back tolerating a torn tail, and an atomic replace (temporary file, fsync, rename, fsync
 * of the directory). A crash or power loss leaves either the old or the new state, never a mixture.
 */
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface JsonLinesContent {
  readonly values: readonly unknown[];
  /** Byte length of the complete, well-formed lines: where the next append belongs. */
  readonly goodBytes: number;
  /** Bytes after the last good line that a crash left behind (a write cut off before its end). */
  readonly tornBytes: number;
}

export class CorruptFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${path.basename(file)} line ${line}: ${message}`);
    this.name = 'CorruptFileError';
  }
}

const NEWLINE = 0x0a;

/**
 * Reads a JSON-lines file. Only the end of the file may be damaged: a line without its newline, or a last
 * line that does not parse (a crash can leave zeros where the data of the last write should be), is torn
 * and reported, since nothing was answered for it (the answer waits for the fsync). A bad line with good
 * lines after it is real damage and throws CorruptFileError: nothing is silently dropped.
 */
export async function readJsonLines(file: string): Promise<JsonLinesContent> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: [], goodBytes: 0, tornBytes: 0 };
    throw error;
  }
  const values: unknown[] = [];
  let start = 0;
  let line = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) break;
    line += 1;
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8', start, end));
    } catch {
      if (end + 1 === data.length) return { values, goodBytes: start, tornBytes: data.length - start };
      throw new CorruptFileError(file, line, 'not JSON, with complete lines after it');
    }
    values.push(value);
    start = end + 1;
  }
  return { values, goodBytes: start, tornBytes: data.length - start };
}

/** An open JSON-lines file for appending; every append is on disk when its promise resolves. */
export interface AppendFile {
  append(values: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens `file` for appending after cutting off a torn tail (so the next line does not glue onto half a
 * line). `goodBytes` comes from readJsonLines.
 */
export async function openAppendFile(file: string, goodBytes: number): Promise<AppendFile> {
  const handle: FileHandle = await open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    if (size > goodBytes) {
      await handle.truncate(goodBytes);
      await handle.sync();
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    async append(values) {
      if (values.length === 0) return;
      await handle.appendFile(values.map((v) => `${JSON.stringify(v)}\n`).join(''), 'utf8');
      // fdatasync: the data and the new file size reach the disk; only timestamps may lag.
      await handle.datasync();
    },
    close: () => handle.close(),
  };
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open a directory as a file; NTFS journals the rename itself.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}

/** Replaces `file` with `content` so that a crash leaves the old file or the new one. */
export async function replaceFileAtomically(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}
