import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildBridge, type IpcRendererLike } from '../../../src/preload/bridge.js';
import { contractMethods, IPC_CONTRACT, IPC_EVENTS, ipcEventChannel } from '../../../src/shared/ipc/contract.js';

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } })),
    on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    }),
    // Members a leaky bridge might pass on; none of them may reach the page.
    send: vi.fn(),
    sendSync: vi.fn(),
  } satisfies IpcRendererLike & Record<string, unknown>;
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: ipc, senderId: 0 }, payload);
  };
  return { ipc, emit, listeners };
}

/** Every function reachable from the object, with its path. */
function functionPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'function') return [prefix];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => functionPaths(child, prefix === '' ? key : `${prefix}.${key}`));
}

describe('bridge built from the IPC contract', () => {
  it('exposes exactly one function per contract method and per event, and nothing else', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = buildBridge(ipc, ['--boxoffice-app-version=2.0.1']);
    const expected = [
      ...contractMethods().map(({ area, method }) => `${area}.${method}`),
      ...Object.keys(IPC_EVENTS).map((name) => `events.${name}`),
    ].sort();
    expect(functionPaths(bridge).sort()).toEqual(expected);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(IPC_CONTRACT), 'events', 'platform', 'versions'].sort());
    expect(bridge.platform).toBe('electron');
    expect(bridge.versions).toEqual({ app: '2.0.1' });
  });

  it('never hands out ipcRenderer or any of its members', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = buildBridge(ipc, []);
    const seen: unknown[] = [];
    const walk = (value: unknown) => {
      if (typeof value !== 'object' || value === null) return;
      seen.push(value);
      Object.values(value).forEach(walk);
    };
    walk(bridge);
    expect(seen).not.toContain(ipc);
    for (const fn of functionPaths(bridge)) expect([ipc.invoke, ipc.on, ipc.send, ipc.sendSync, ipc.removeListener]).not.toContain(fn);
  });

  it('invokes the method’s channel with exactly one argument ({} for methods without)', async () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = buildBridge(ipc, []);
    await bridge.auth.login({ login: 'kasse', password: 'Geheim!1' });
    await bridge.auth.logout();
    await bridge.setup.getState();
    expect(ipc.invoke.mock.calls).toEqual([
      ['boxoffice:auth.login', { login: 'kasse', password: 'Geheim!1' }],
      ['boxoffice:auth.logout', {}],
      ['boxoffice:setup.getState', {}],
    ]);
  });

  it('delivers only the payload of an event and unsubscribes once', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const bridge = buildBridge(ipc, []);
    const received: unknown[] = [];
    const unsubscribe = bridge.events.sessionEnded((payload) => received.push(payload));
    emit(ipcEventChannel('sessionEnded'), { code: 'SESSION_ENDED', reason: 'superseded' });
    expect(received).toEqual([{ code: 'SESSION_ENDED', reason: 'superseded' }]);
    unsubscribe();
    unsubscribe();
    emit(ipcEventChannel('sessionEnded'), { code: 'SESSION_EXPIRED' });
    expect(received).toHaveLength(1);
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.get(ipcEventChannel('sessionEnded'))?.size).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = buildBridge(ipc, []);
    expect(() => bridge.events.connectivityChanged('alert(1)' as never)).toThrow(TypeError);
  });
});

describe('preload entry', () => {
  afterEach(() => {
    vi.doUnmock('electron');
  });

  it('exposes the bridge once, as window.boxoffice', async () => {
    const exposeInMainWorld = vi.fn();
    const { ipc } = fakeIpcRenderer();
    vi.resetModules();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: ipc }));
    const argv = process.argv;
    process.argv = [...argv, '--boxoffice-app-version=2.0.1'];
    try {
      await import('../../../src/preload/index.js');
    } finally {
      process.argv = argv;
    }
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    const [name, api] = exposeInMainWorld.mock.calls[0]!;
    expect(name).toBe('boxoffice');
    expect(api).toMatchObject({ platform: 'electron', versions: { app: '2.0.1' } });
    expect(functionPaths(api)).toContain('auth.login');
  });
});
