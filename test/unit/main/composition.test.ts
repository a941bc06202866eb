/**
 * The Electron binary cannot run here, so the composition root is exercised against a recording fake
 * of the electron module: it proves the wiring (order, options, guards), not Chromium's behaviour.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: any[]) => any;

function createFakeElectron(options: { gotLock?: boolean } = {}) {
  const appHandlers = new Map<string, Handler>();
  const calls: string[] = [];
  const windows: { options: any; loadURL: ReturnType<typeof vi.fn> }[] = [];
  const sessionHandlers: Record<string, Handler> = {};

  class FakeBrowserWindow {
    readonly loadURL = vi.fn(async (url: string) => {
      calls.push(`loadURL ${url}`);
    });
    readonly once = vi.fn();
    readonly on = vi.fn();
    readonly isMinimized = vi.fn(() => false);
    readonly restore = vi.fn();
    readonly focus = vi.fn();
    constructor(windowOptions: any) {
      windows.push({ options: windowOptions, loadURL: this.loadURL });
    }
  }

  const fake = {
    app: {
      requestSingleInstanceLock: vi.fn(() => options.gotLock ?? true),
      quit: vi.fn(() => calls.push('quit')),
      exit: vi.fn((code: number) => calls.push(`exit ${code}`)),
      on: vi.fn((event: string, handler: Handler) => appHandlers.set(event, handler)),
      whenReady: vi.fn(() => {
        calls.push('whenReady');
        return Promise.resolve();
      }),
      enableSandbox: vi.fn(() => calls.push('enableSandbox')),
      setAppUserModelId: vi.fn(),
      getAppPath: vi.fn(() => '/opt/station'),
      getVersion: vi.fn(() => '0.1.0'),
      isPackaged: true,
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn((schemes: unknown) => calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`)),
    },
    session: {
      defaultSession: {
        protocol: { handle: vi.fn((scheme: string, handler: Handler) => ((sessionHandlers[`protocol:${scheme}`] = handler), calls.push(`handle ${scheme}`))) },
        setPermissionRequestHandler: vi.fn((handler: Handler) => (sessionHandlers['permissionRequest'] = handler)),
        setPermissionCheckHandler: vi.fn((handler: Handler) => (sessionHandlers['permissionCheck'] = handler)),
        setDevicePermissionHandler: vi.fn((handler: Handler) => (sessionHandlers['devicePermission'] = handler)),
        on: vi.fn((event: string, handler: Handler) => (sessionHandlers[`on:${event}`] = handler)),
        webRequest: { onBeforeRequest: vi.fn((handler: Handler) => (sessionHandlers['beforeRequest'] = handler)) },
      },
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
  return { fake, appHandlers, calls, windows, sessionHandlers };
}

async function startMain(fake: object): Promise<void> {
  vi.resetModules();
  vi.doMock('electron', () => fake);
  await import('../../../src/main/index.js');
}

describe('main composition root', () => {
  beforeEach(() => {
    vi.stubEnv('BOXOFFICE_SERVER_URL', 'https://kasse.example.de:8443');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.doUnmock('electron');
  });

  it('quits at once when another instance holds the lock', async () => {
    const { fake, calls } = createFakeElectron({ gotLock: false });
    await startMain(fake);
    expect(calls).toEqual(['quit']);
  });

  it('refuses a non-https backend URL with a visible error', async () => {
    vi.stubEnv('BOXOFFICE_SERVER_URL', 'http://kasse.example.de');
    const { fake, calls } = createFakeElectron();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await startMain(fake);
    consoleError.mockRestore();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledOnce();
    expect(calls).toEqual(['exit 1']);
  });

  it('registers the scheme before ready, then serves it and loads the app in one secure window', async () => {
    const { fake, calls, windows } = createFakeElectron();
    await startMain(fake);
    await vi.waitFor(() => {
      expect(windows[0]?.loadURL).toHaveBeenCalled();
    });

    expect(calls).toEqual([
      'registerSchemesAsPrivileged [{"scheme":"app","privileges":{"standard":true,"secure":true,"supportFetchAPI":true}}]',
      'enableSandbox',
      'whenReady',
      'handle app',
      'loadURL app://station/index.html',
    ]);
    expect(windows).toHaveLength(1);
    const prefs = windows[0]?.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
      preload: expect.stringMatching(/build[\\/]preload[\\/]index\.cjs$/),
      additionalArguments: ['--boxoffice-app-version=0.1.0'],
    });
  });

  it('denies permissions, devices, downloads and remote requests for the session', async () => {
    const { fake, sessionHandlers } = createFakeElectron();
    await startMain(fake);
    await vi.waitFor(() => {
      expect(sessionHandlers['beforeRequest']).toBeDefined();
    });

    const granted = vi.fn();
    sessionHandlers['permissionRequest']?.({}, 'media', granted, {});
    expect(granted).toHaveBeenCalledWith(false);
    expect(sessionHandlers['permissionCheck']?.(null, 'hid', 'app://station', {})).toBe(false);
    expect(sessionHandlers['devicePermission']?.({})).toBe(false);
    const download = { preventDefault: vi.fn() };
    sessionHandlers['on:will-download']?.(download);
    expect(download.preventDefault).toHaveBeenCalled();

    const decide = (url: string) => {
      const callback = vi.fn();
      sessionHandlers['beforeRequest']?.({ url }, callback);
      return callback.mock.calls[0]?.[0];
    };
    expect(decide('https://cdn.example.com/x.js')).toEqual({ cancel: true });
    expect(decide('https://kasse.example.de:8443/health/ready')).toEqual({ cancel: false });
    expect(decide('app://station/assets/index.js')).toEqual({ cancel: false });
  });

  it('serves app:// with the CSP that limits connect-src to the backend', async () => {
    const { fake, sessionHandlers } = createFakeElectron();
    await startMain(fake);
    await vi.waitFor(() => {
      expect(sessionHandlers['protocol:app']).toBeDefined();
    });
    const response: Response = await sessionHandlers['protocol:app']?.(new Request('app://station/does-not-exist.js'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toContain('connect-src https://kasse.example.de:8443');
  });

  it('guards every new WebContents against navigation and new windows', async () => {
    const { fake, appHandlers } = createFakeElectron();
    await startMain(fake);

    const listeners = new Map<string, Handler>();
    let openHandler: Handler | undefined;
    const contents = {
      on: (event: string, handler: Handler) => listeners.set(event, handler),
      setWindowOpenHandler: (handler: Handler) => {
        openHandler = handler;
      },
    };
    appHandlers.get('web-contents-created')?.({}, contents);

    const navigate = (event: string, url: string, extra: object = {}) => {
      const details = { url, preventDefault: vi.fn(), ...extra };
      listeners.get(event)?.(details);
      return details.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(navigate('will-navigate', 'app://station/index.html')).toBe(false);
    expect(navigate('will-redirect', 'https://evil.example.com/')).toBe(true);
    expect(navigate('will-frame-navigate', 'https://evil.example.com/', { isMainFrame: false })).toBe(true);
    expect(navigate('will-attach-webview', 'app://station/')).toBe(true);
    expect(openHandler?.({ url: 'app://station/index.html' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: 'https://evil.example.com/' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
  });
});
