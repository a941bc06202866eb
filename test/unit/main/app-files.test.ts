import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, createAppFileHandler, resolveAppFilePath } from '../../../src/main/app/app-files.js';

describe('resolveAppFilePath (POSIX)', () => {
  const root = '/opt/station/build/renderer';

  it('maps the root to index.html and paths below it to files', () => {
    expect(resolveAppFilePath('app://station/', root)).toBe(`${root}/index.html`);
    expect(resolveAppFilePath('app://station/assets/index-abc.js?v=1#x', root)).toBe(`${root}/assets/index-abc.js`);
    expect(resolveAppFilePath('app://station/assets/Datei%20mit%20Leerzeichen.css', root)).toBe(
      `${root}/assets/Datei mit Leerzeichen.css`,
    );
  });

  it.each([
    'app://station/../../etc/passwd',
    'app://station/%2e%2e/%2e%2e/etc/passwd',
    'app://station/assets/..%2f..%2f..%2fetc/passwd',
    'app://station/..%5c..%5csecret.txt',
    'app://station/%00index.html',
    'app://station/%E0%A4%A',
    'app://station//etc/passwd',
  ])('never leaves the root for %s', (url) => {
    const resolved = resolveAppFilePath(url, root);
    if (resolved !== undefined) expect(resolved.startsWith(`${root}/`)).toBe(true);
  });

  it.each([
    'app://station/..%2fsecret',
    'app://station/a%5c..%5c..%5csecret',
    'app://station/%00',
    'app://station/%E0%A4%A',
  ])('refuses the encoded traversal %s outright', (url) => {
    expect(resolveAppFilePath(url, root)).toBeUndefined();
  });

  it.each(['app://other/index.html', 'app://station:1/index.html', 'https://station/index.html', 'nonsense'])(
    'refuses URLs that are not on the app origin: %s',
    (url) => {
      expect(resolveAppFilePath(url, root)).toBeUndefined();
    },
  );
});

describe('resolveAppFilePath (Windows paths)', () => {
  const root = 'C:\\Program Files\\Kasse\\resources\\app.asar\\build\\renderer';

  it('resolves inside the root', () => {
    expect(resolveAppFilePath('app://station/assets/index.js', root, path.win32)).toBe(`${root}\\assets\\index.js`);
  });

  it.each([
    'app://station/..%5c..%5c..%5cWindows%5cwin.ini',
    'app://station/C%3A%5CWindows%5Cwin.ini',
    'app://station/index.html%3A%3A%24DATA',
    'app://station/%5c%5cserver%5cshare%5cx',
  ])('refuses %s', (url) => {
    expect(resolveAppFilePath(url, root, path.win32)).toBeUndefined();
  });
});

describe('contentTypeFor', () => {
  it('gives module scripts a JavaScript type (Chromium refuses them otherwise)', () => {
    expect(contentTypeFor('/x/index-abc.js')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/INDEX.HTML')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('createAppFileHandler', () => {
  const csp = "default-src 'self'";
  let root: string;
  let outside: string;

  beforeAll(async () => {
    outside = await mkdtemp(path.join(tmpdir(), 'app-files-'));
    root = path.join(outside, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(path.join(root, 'assets', 'main.js'), 'export {};');
    await writeFile(path.join(outside, 'secret.txt'), 'geheim');
  });

  afterAll(async () => {
    await rm(outside, { recursive: true, force: true });
  });

  it('serves index.html for the root with CSP and nosniff', async () => {
    const handler = createAppFileHandler({ root, contentSecurityPolicy: csp });
    const response = await handler(new Request('app://station/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>x</title>');
  });

  it('serves assets with their type', async () => {
    const handler = createAppFileHandler({ root, contentSecurityPolicy: csp });
    const response = await handler(new Request('app://station/assets/main.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toBe('export {};');
  });

  it('answers HEAD without a body', async () => {
    const handler = createAppFileHandler({ root, contentSecurityPolicy: csp });
    const response = await handler(new Request('app://station/index.html', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('31');
    expect(await response.text()).toBe('');
  });

  it('refuses traversal to a file next to the root, with the CSP still set', async () => {
    const handler = createAppFileHandler({ root, contentSecurityPolicy: csp });
    for (const url of ['app://station/..%2fsecret.txt', 'app://station/%2e%2e/secret.txt']) {
      const response = await handler(new Request(url));
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(csp);
      expect(await response.text()).not.toContain('geheim');
    }
  });

  it('answers 404 for missing files and directories', async () => {
    const handler = createAppFileHandler({ root, contentSecurityPolicy: csp });
    expect((await handler(new Request('app://station/nope.js'))).status).toBe(404);
    expect((await handler(new Request('app://station/assets'))).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const handler = createAppFileHandler({ root, contentSecurityPolicy: csp });
    const response = await handler(new Request('app://station/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });

  it('answers 500 without detail when reading fails unexpectedly', async () => {
    const handler = createAppFileHandler({
      root,
      contentSecurityPolicy: csp,
      readFile: () => Promise.reject(Object.assign(new Error('EIO: disk on fire'), { code: 'EIO' })),
    });
    const original = console.error;
    console.error = () => undefined; // the handler logs; keep the test output clean
    try {
      const response = await handler(new Request('app://station/index.html'));
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('disk');
    } finally {
      console.error = original;
    }
  });
});
