import { afterEach, describe, expect, it, vi } from 'vitest';

describe('preload', () => {
  afterEach(() => {
    vi.doUnmock('electron');
  });

  it('exposes one bridge object, window.boxoffice, with platform and app version', async () => {
    const exposeInMainWorld = vi.fn();
    vi.resetModules();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld } }));
    const argv = process.argv;
    process.argv = [...argv, '--boxoffice-app-version=2.0.1'];
    try {
      await import('../../../src/preload/index.js');
    } finally {
      process.argv = argv;
    }
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    expect(exposeInMainWorld).toHaveBeenCalledWith('boxoffice', { platform: 'electron', versions: { app: '2.0.1' } });
  });
});
