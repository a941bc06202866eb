/**
 * Serves the built renderer for the app:// scheme. No electron import: the handler takes a Fetch
 * `Request` and returns a `Response` (both global in Node 20), so it is tested under plain Node and
 * protocol.ts only registers it.
 */
import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { APP_HOST, APP_SCHEME } from './policy.js';

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * Characters that never belong in a file name we ship. Backslash and colon matter on Windows
 * (`..\\`, drive letters, `file.js::$DATA` alternate streams), NUL everywhere.
 */
const FORBIDDEN_SEGMENT_CHARS = /[\\/:\0]/;

/**
 * Maps an app:// URL to a file inside `root`, or undefined when the URL is not ours or would leave
 * the root. Chromium already normalises `..` in standard-scheme URLs; this check does not rely on it,
 * because percent-encoding (`%2e%2e`, `%2f`, `%5c`) can survive that normalisation.
 */
export function resolveAppFilePath(rawUrl: string, root: string, pathApi: PathApi = nodePath): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') return undefined;

  const segments: string[] = [];
  for (const encoded of url.pathname.split('/')) {
    if (encoded === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return undefined; // malformed escape such as %E0%A4%A
    }
    if (segment === '.' || segment === '..' || FORBIDDEN_SEGMENT_CHARS.test(segment)) return undefined;
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');

  const resolvedRoot = pathApi.resolve(root);
  const candidate = pathApi.resolve(resolvedRoot, ...segments);
  const relative = pathApi.relative(resolvedRoot, candidate);
  // Belt and braces after the segment checks: the result must lie strictly below the root.
  if (relative === '' || relative === '..' || relative.startsWith(`..${pathApi.sep}`) || pathApi.isAbsolute(relative)) {
    return undefined;
  }
  return candidate;
}

/**
 * Content types for what Vite emits. Module scripts are refused by Chromium without a JavaScript
 * MIME type, and `nosniff` below forbids guessing, so unknown types fall back to a download type.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[nodePath.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface AppFileHandlerOptions {
  /** Directory of the Vite build (`build/renderer`). */
  readonly root: string;
  /** Content-Security-Policy sent with every response, including errors. */
  readonly contentSecurityPolicy: string;
  /** Injected so tests can simulate read failures; defaults to fs.readFile. */
  readonly readFile?: (filePath: string) => Promise<Uint8Array>;
  readonly pathApi?: PathApi;
}

export type AppFileHandler = (request: Request) => Promise<Response>;

export function createAppFileHandler(options: AppFileHandlerOptions): AppFileHandler {
  const read = options.readFile ?? ((filePath: string) => readFile(filePath));
  const pathApi = options.pathApi ?? nodePath;

  const headersFor = (contentType: string): Headers =>
    new Headers({
      'content-type': contentType,
      'content-security-policy': options.contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      // The renderer build never changes while the process runs, but a new installation may ship new
      // files under the same names; no-cache keeps Chromium from serving stale ones after an update.
      'cache-control': 'no-cache',
    });

  const plain = (status: number, text: string): Response =>
    new Response(text, { status, headers: headersFor('text/plain; charset=utf-8') });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed');
    const filePath = resolveAppFilePath(request.url, options.root, pathApi);
    if (filePath === undefined) return plain(404, 'Not Found');
    let body: Uint8Array;
    try {
      body = await read(filePath);
    } catch (error) {
      // Missing files and directories are an ordinary 404; anything else is a real fault worth a log line.
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return plain(404, 'Not Found');
      console.error('app:// read failed', filePath, error);
      return plain(500, 'Internal Error');
    }
    const headers = headersFor(contentTypeFor(filePath));
    headers.set('content-length', String(body.byteLength));
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
