/**
 * The Electron binary cannot run here, so the composition root is exercised against a recording fake
 * of the electron module: it proves the wiring (order, options, guards, IPC, shutdown), not Chromium's
 * behaviour.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contractMethods, ipcChannel } from '../../../src/shared/ipc/contract.js';

type Handler = (...args: any[]) => any;

function createFakeElectron(options: { gotLock?: boolean } = {}) {
  const appHandlers = new Map<string, Handler>();
  const calls: string[] = [];
  const windows: Array<{ options: any; loadURL: ReturnType<typeof vi.fn>; webContents: any }> = [];
  const sessionHandlers: Record<string, Handler> = {};
  const ipcHandlers = new Map<string, Handler>();
  const sent: Array<[string, unknown]> = [];

  class FakeBrowserWindow {
    readonly webContents = {
      id: 11,
      mainFrame: { url: 'app://station/index.html', parent: null, processId: 3, routingId: 1 },
      getURL: () => 'app://station/index.html',
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    };
    readonly loadURL = vi.fn(async (url: string) => {
      calls.push(`loadURL ${url}`);
    });
    readonly once = vi.fn();
    readonly on = vi.fn();
    readonly isMinimized = vi.fn(() => false);
    readonly isDestroyed = vi.fn(() => false);
    readonly restore = vi.fn();
    readonly focus = vi.fn();
    constructor(windowOptions: any) {
      windows.push({ options: windowOptions, loadURL: this.loadURL, webContents: this.webContents });
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
      getPath: vi.fn(() => '/nonexistent/userData'),
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
    ipcMain: {
      handle: vi.fn((channel: string, handler: Handler) => ipcHandlers.set(channel, handler)),
      removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel)),
    },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      getSelectedStorageBackend: vi.fn(() => 'unknown'),
      encryptString: vi.fn((text: string) => Buffer.from(text).reverse()),
      decryptString: vi.fn((data: Buffer) => Buffer.from(data).reverse().toString()),
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })) },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
  return { fake, appHandlers, calls, windows, sessionHandlers, ipcHandlers, sent };
}

async function startMain(fake: object): Promise<void> {
  vi.resetModules();
  vi.doMock('electron', () => fake);
  await import('../../../src/main/index.js');
}

describe('main composition root', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'station-composition-'));
    vi.stubEnv('BOXOFFICE_SERVER_URL', 'https://kasse.example.de:8443');
    vi.stubEnv('BOXOFFICE_STATION_DATA_DIR', dataDir);
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    vi.doUnmock('electron');
    await rm(dataDir, { recursive: true, force: true });
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

  it('denies permissions, devices, downloads and every remote request for the session', async () => {
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
    expect(decide('https://kasse.example.de:8443/health/ready')).toEqual({ cancel: true });
    expect(decide('app://station/assets/index.js')).toEqual({ cancel: false });
  });

  it('serves app:// with the CSP that allows no connection beyond the app', async () => {
    const { fake, sessionHandlers } = createFakeElectron();
    await startMain(fake);
    await vi.waitFor(() => {
      expect(sessionHandlers['protocol:app']).toBeDefined();
    });
    const response: Response = await sessionHandlers['protocol:app']?.(new Request('app://station/does-not-exist.js'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
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

  it('registers a handler for every contract method that answers the window’s main frame only', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { fake, ipcHandlers, windows } = createFakeElectron();
    await startMain(fake);
    await vi.waitFor(() => {
      expect(windows[0]?.loadURL).toHaveBeenCalled();
    });
    expect([...ipcHandlers.keys()].sort()).toEqual(contractMethods().map(({ area, method }) => ipcChannel(area, method)).sort());

    const getState = ipcHandlers.get('boxoffice:setup.getState')!;
    const mainFrame = windows[0]!.webContents.mainFrame;
    expect(await getState({ sender: { id: 11 }, senderFrame: mainFrame }, {})).toEqual({
      ok: true,
      value: { configured: false, defaultServerUrl: 'https://kasse.example.de:8443' },
    });
    const foreign = { sender: { id: 11 }, senderFrame: { ...mainFrame, parent: mainFrame, routingId: 2 } };
    expect(await getState(foreign, {})).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    const login = ipcHandlers.get('boxoffice:auth.login')!;
    expect(await login({ sender: { id: 11 }, senderFrame: mainFrame }, { login: 'kasse', password: 'x' })).toMatchObject({ ok: false, error: { code: 'STATION_NOT_CONFIGURED' } });
    expect(stderr.mock.calls.map(([line]) => String(line)).join('')).toContain('foreign sender refused');
    stderr.mockRestore();
  });

  it('holds the quit until the shutdown tasks ran, then quits', async () => {
    const { fake, appHandlers, calls, windows } = createFakeElectron();
    await startMain(fake);
    await vi.waitFor(() => {
      expect(windows[0]?.loadURL).toHaveBeenCalled();
    });
    const beforeQuit = appHandlers.get('before-quit')!;
    const event = { preventDefault: vi.fn() };
    beforeQuit(event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
    await vi.waitFor(() => {
      expect(calls.at(-1)).toBe('quit');
    });
    const second = { preventDefault: vi.fn() };
    beforeQuit(second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });
});
