/**
 * The window factory and the guards against a fake electron module (the binary cannot run here):
 * the exact webPreferences, and navigation, window.open, webviews, permissions, devices, downloads and
 * remote requests denied.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: any[]) => any;

const created: any[] = [];
const openExternal = vi.fn(async (_url: string) => undefined);

class FakeBrowserWindow {
  readonly once = vi.fn();
  constructor(readonly options: any) {
    created.push(options);
  }
}

beforeEach(() => {
  created.length = 0;
  openExternal.mockClear();
  vi.resetModules();
  vi.doMock('electron', () => ({ BrowserWindow: FakeBrowserWindow, shell: { openExternal } }));
});

afterEach(() => {
  vi.doUnmock('electron');
});

describe('createMainWindow', () => {
  it('uses exactly the hardened webPreferences', async () => {
    const { createMainWindow } = await import('../../../src/main/app/window.js');
    createMainWindow({ preloadPath: '/opt/station/build/preload/index.cjs', additionalArguments: ['--boxoffice-app-version=1.0.0'], devTools: false });
    expect(created).toHaveLength(1);
    expect(created[0].webPreferences).toEqual({
      preload: '/opt/station/build/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
      additionalArguments: ['--boxoffice-app-version=1.0.0'],
    });
    expect(created[0].show).toBe(false);
  });
});

function fakeContents() {
  const listeners = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  const contents = {
    on: (event: string, handler: Handler) => listeners.set(event, handler),
    setWindowOpenHandler: (handler: Handler) => {
      openHandler = handler;
    },
  };
  const fire = (event: string, url: string, extra: object = {}) => {
    const details = { url, preventDefault: vi.fn(), ...extra };
    listeners.get(event)?.(details);
    return details.preventDefault.mock.calls.length > 0 ? 'prevented' : 'allowed';
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('guardWebContents', () => {
  it('keeps navigation on the app origin and denies everything else', async () => {
    const { guardWebContents } = await import('../../../src/main/app/guards.js');
    const { contents, fire } = fakeContents();
    guardWebContents(contents as any, { externalOrigins: [] });
    expect(fire('will-navigate', 'app://station/index.html')).toBe('allowed');
    expect(fire('will-navigate', 'https://evil.example.com/')).toBe('prevented');
    expect(fire('will-navigate', 'file:///C:/Windows/win.ini')).toBe('prevented');
    expect(fire('will-redirect', 'https://evil.example.com/')).toBe('prevented');
    expect(fire('will-frame-navigate', 'https://evil.example.com/', { isMainFrame: false })).toBe('prevented');
    expect(fire('will-attach-webview', 'app://station/')).toBe('prevented');
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies window.open always and hands only allow-listed https to the system browser', async () => {
    const { guardWebContents } = await import('../../../src/main/app/guards.js');
    const { contents, open, fire } = fakeContents();
    guardWebContents(contents as any, { externalOrigins: ['https://hilfe.example.de'] });
    expect(open('app://station/index.html')).toEqual({ action: 'deny' });
    expect(open('https://evil.example.com/')).toEqual({ action: 'deny' });
    expect(open('https://hilfe.example.de/kasse')).toEqual({ action: 'deny' });
    expect(fire('will-navigate', 'https://hilfe.example.de/x')).toBe('prevented');
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual(['https://hilfe.example.de/kasse', 'https://hilfe.example.de/x']);
  });
});

describe('guardSession', () => {
  it('denies permissions, devices, downloads and every network request of the renderer', async () => {
    const { guardSession } = await import('../../../src/main/app/guards.js');
    const handlers: Record<string, Handler> = {};
    const session = {
      setPermissionRequestHandler: (h: Handler) => (handlers['request'] = h),
      setPermissionCheckHandler: (h: Handler) => (handlers['check'] = h),
      setDevicePermissionHandler: (h: Handler) => (handlers['device'] = h),
      on: (event: string, h: Handler) => (handlers[event] = h),
      webRequest: { onBeforeRequest: (h: Handler) => (handlers['beforeRequest'] = h) },
    };
    guardSession(session as any);
    for (const permission of ['media', 'notifications', 'hid', 'serial', 'clipboard-read', 'geolocation']) {
      const callback = vi.fn();
      handlers['request']?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(handlers['check']?.(null, permission, 'app://station', {})).toBe(false);
    }
    expect(handlers['device']?.({ deviceType: 'hid' })).toBe(false);
    const download = { preventDefault: vi.fn() };
    handlers['will-download']?.(download);
    expect(download.preventDefault).toHaveBeenCalled();
    const decide = (url: string) => {
      const callback = vi.fn();
      handlers['beforeRequest']?.({ url }, callback);
      return callback.mock.calls[0]?.[0];
    };
    expect(decide('https://kasse.example.de:8443/api/v1/whoami')).toEqual({ cancel: true });
    expect(decide('http://127.0.0.1/')).toEqual({ cancel: true });
    expect(decide('wss://kasse.example.de/')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('app://station/assets/index.js')).toEqual({ cancel: false });
  });
});
