import { Value } from 'typebox/value';
import { describe, expect, it, vi } from 'vitest';
import { registerIpcHandlers, type IpcHandlers, type IpcMainLike } from '../../../src/main/ipc/register.js';
import { isTrustedSender, type FrameLike, type InvokeEventLike, type TrustedContents } from '../../../src/main/ipc/sender.js';
import type { Logger } from '../../../src/main/ports/logger.js';
import { contractMethods, IPC_CONTRACT, ipcChannel } from '../../../src/shared/ipc/contract.js';
import { ipcResultSchema } from '../../../src/shared/ipc/result.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const registered = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
      registered.set(channel, listener);
    },
    removeHandler: (channel) => {
      registered.delete(channel);
    },
  };
  return { ipcMain, registered };
}

const quietLog = (): Logger & { lines: unknown[][] } => {
  const lines: unknown[][] = [];
  return { lines, info: (...a) => lines.push(a), warn: (...a) => lines.push(a), error: (...a) => lines.push(a) };
};

/** Handlers that record their calls and answer something valid for each channel. */
function spyHandlers() {
  const calls: string[] = [];
  const ok = (channel: string, value: unknown) =>
    vi.fn(async (args: unknown) => {
      calls.push(`${channel} ${JSON.stringify(args)}`);
      return { ok: true as const, value };
    });
  const session = { user: { id: '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1a', tenantId: '5f0a7c8e-3d2b-4c1a-9e8f-7a6b5c4d3e2f', login: 'k', displayName: 'K' }, permissions: [], mustChangePassword: false, expiresAt: '2030-01-01T00:00:00.000Z' };
  const handlers = {
    setup: {
      getState: ok('setup.getState', { configured: false, defaultServerUrl: 'https://localhost:8443' }),
      chooseCertificate: ok('setup.chooseCertificate', null),
      importCertificate: ok('setup.importCertificate', {}),
      saveSettings: ok('setup.saveSettings', {}),
    },
    auth: { login: ok('auth.login', session), me: ok('auth.me', session), logout: ok('auth.logout', null), changePassword: ok('auth.changePassword', { expiresAt: '2030-01-01T00:00:00.000Z' }) },
    system: { whoami: ok('system.whoami', {}), connectivity: ok('system.connectivity', { state: 'online' }) },
    printing: {
      listPrinters: ok('printing.listPrinters', []),
      printerStatus: ok('printing.printerStatus', { name: 'PDF', state: 'idle', isDefault: true }),
      printCalibrationSheet: ok('printing.printCalibrationSheet', { spoolerJobId: 'PDF-1' }),
      printOrder: ok('printing.printOrder', {}),
      reprintTicket: ok('printing.reprintTicket', {}),
      retryJob: ok('printing.retryJob', {}),
      spoilJob: ok('printing.spoilJob', null),
      unresolvedJobs: ok('printing.unresolvedJobs', []),
    },
    entry: {
      lists: ok('entry.lists', []),
      open: ok('entry.open', { entryListId: null, gate: null, mode: 'online', listAgeMs: null, pendingUploads: 0, lastError: null }),
      scan: ok('entry.scan', { mode: 'online', verdict: 'admitted', ok: true, scannedAt: '2026-12-04T18:00:00.000Z' }),
      status: ok('entry.status', { entryListId: null, gate: null, mode: 'online', listAgeMs: null, pendingUploads: 0, lastError: null }),
      close: ok('entry.close', { entryListId: null, gate: null, mode: 'online', listAgeMs: null, pendingUploads: 0, lastError: null }),
    },
    api: { request: ok('api.request', []) },
  } as unknown as IpcHandlers;
  return { handlers, calls };
}

const mainFrame: FrameLike = { url: 'app://station/index.html', parent: null, processId: 4, routingId: 1 };
const trusted: TrustedContents = { id: 7, mainFrame };
const fromMainFrame: InvokeEventLike = { sender: { id: 7 }, senderFrame: mainFrame };

describe('isTrustedSender', () => {
  it('accepts the station window’s main frame on the app origin', () => {
    expect(isTrustedSender(fromMainFrame, trusted)).toBe(true);
  });

  it.each<[string, InvokeEventLike, TrustedContents | undefined]>([
    ['a subframe', { sender: { id: 7 }, senderFrame: { url: 'app://station/frame.html', parent: mainFrame, processId: 4, routingId: 9 } }, trusted],
    ['another WebContents (devtools, a dialog)', { sender: { id: 8 }, senderFrame: { ...mainFrame } }, trusted],
    ['a main frame that navigated away', { sender: { id: 7 }, senderFrame: { ...mainFrame, url: 'https://evil.example.com/' } }, trusted],
    ['a frame from another process', { sender: { id: 7 }, senderFrame: { ...mainFrame, processId: 5 } }, trusted],
    ['a destroyed frame', { sender: { id: 7 }, senderFrame: null }, trusted],
    ['any frame while there is no window', fromMainFrame, undefined],
  ])('refuses %s', (_name, event, contents) => {
    expect(isTrustedSender(event, contents)).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  function setup() {
    const fake = fakeIpcMain();
    const spies = spyHandlers();
    const log = quietLog();
    const unregister = registerIpcHandlers({ ipcMain: fake.ipcMain, handlers: spies.handlers, log, isTrustedSender: (event) => isTrustedSender(event, trusted) });
    const invoke = (channel: string, event: InvokeEventLike, ...args: unknown[]) => {
      const listener = fake.registered.get(channel);
      if (listener === undefined) throw new Error(`no handler for ${channel}`);
      return listener(event, ...args);
    };
    return { ...fake, ...spies, log, unregister, invoke };
  }

  it('registers exactly one handler per contract method, and removes them all again', () => {
    const { registered, unregister } = setup();
    expect([...registered.keys()].sort()).toEqual(contractMethods().map(({ area, method }) => ipcChannel(area, method)).sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('passes a valid call from the main frame to the handler', async () => {
    const { invoke, calls } = setup();
    const result = await invoke('boxoffice:auth.login', fromMainFrame, { login: 'kasse', password: 'Geheim!123' });
    expect(result).toMatchObject({ ok: true });
    expect(Value.Check(ipcResultSchema(IPC_CONTRACT.auth.login.result), result)).toBe(true);
    expect(calls).toEqual(['auth.login {"login":"kasse","password":"Geheim!123"}']);
  });

  it('refuses a call from a foreign frame with a coded error, without running the handler', async () => {
    const { invoke, calls, log } = setup();
    const subframe: InvokeEventLike = { sender: { id: 7 }, senderFrame: { url: 'app://station/x', parent: mainFrame, processId: 4, routingId: 3 } };
    for (const channel of ['boxoffice:auth.login', 'boxoffice:setup.getState']) {
      const result = await invoke(channel, subframe, channel.endsWith('login') ? { login: 'a', password: 'b' } : {});
      expect(result).toEqual({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', message: expect.any(String) } });
    }
    expect(calls).toEqual([]);
    expect(log.lines.length).toBeGreaterThan(0);
  });

  it.each<[string, unknown[]]>([
    ['no argument', []],
    ['two arguments', [{ login: 'a', password: 'b' }, { extra: true }]],
    ['a string', ['kasse']],
    ['null', [null]],
    ['a missing field', [{ login: 'a' }]],
    ['a wrong type', [{ login: 'a', password: 42 }]],
    ['an unknown field', [{ login: 'a', password: 'b', isAdmin: true }]],
    ['an over-long value', [{ login: 'a'.repeat(65), password: 'b' }]],
  ])('refuses %s with IPC_INVALID_ARGUMENT and no side effect', async (_name, args) => {
    const { invoke, calls } = setup();
    const result = await invoke('boxoffice:auth.login', fromMainFrame, ...args);
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENT' } });
    expect(calls).toEqual([]);
  });

  it('never echoes argument values in the error (they may be passwords)', async () => {
    const { invoke } = setup();
    const result = (await invoke('boxoffice:auth.login', fromMainFrame, { login: 'kasse', password: 12345678, note: 'Geheim!Passwort' })) as { error: { message: string } };
    expect(result.error.message).not.toContain('Geheim');
    expect(result.error.message).not.toContain('12345678');
    expect(result.error.message).toContain('/password');
  });

  it('refuses arguments to methods that take none', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('boxoffice:auth.logout', fromMainFrame, { everywhere: true })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENT' } });
    expect(await invoke('boxoffice:auth.logout', fromMainFrame, {})).toMatchObject({ ok: true });
    expect(calls).toEqual(['auth.logout {}']);
  });

  it('answers INTERNAL without detail when a handler throws, and logs the detail in main', async () => {
    const fake = fakeIpcMain();
    const { handlers } = spyHandlers();
    const log = quietLog();
    const failing = { ...handlers, system: { ...handlers.system, whoami: async () => Promise.reject(new Error('db password=hunter2 wrong')) } } as IpcHandlers;
    registerIpcHandlers({ ipcMain: fake.ipcMain, handlers: failing, log, isTrustedSender: () => true });
    const result = await fake.registered.get('boxoffice:system.whoami')!(fromMainFrame, {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boxoffice:system.whoami: unexpected error' } });
    expect(JSON.stringify(log.lines)).toContain('hunter2');
  });

  it('refuses to start with a handler missing', () => {
    const { handlers } = spyHandlers();
    const incomplete = { ...handlers, auth: { ...handlers.auth, me: undefined } } as unknown as IpcHandlers;
    expect(() => registerIpcHandlers({ ipcMain: fakeIpcMain().ipcMain, handlers: incomplete, log: quietLog(), isTrustedSender: () => true })).toThrow(/auth\.me/);
  });
});
