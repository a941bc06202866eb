import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/main/ports/logger.js';
import { createConnectivityMonitor } from '../../../src/main/services/connectivity-monitor.js';
import { createShutdownCoordinator } from '../../../src/main/services/shutdown.js';
import { manualTimers } from '../../support/manual-timers.js';

const log = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
};

describe('connectivity monitor', () => {
  it('reports changes only, and probes with growing pauses while offline', async () => {
    const { timers, pending, fireAll } = manualTimers();
    const changes: string[] = [];
    let up = false;
    const probe = vi.fn(async () => up);
    const monitor = createConnectivityMonitor({ probe, timers, onChange: (state) => changes.push(state), firstRetryMs: 1000, maxRetryMs: 4000 });
    expect(monitor.current()).toBe('unknown');
    monitor.report('online');
    monitor.report('online');
    expect(changes).toEqual(['online']);
    expect(pending.size).toBe(0);

    monitor.report('offline');
    expect(changes).toEqual(['online', 'offline']);
    expect([...pending.values()].map((t) => t.ms)).toEqual([1000]);
    await fireAll();
    expect([...pending.values()].map((t) => t.ms)).toEqual([2000]);
    await fireAll();
    await fireAll();
    expect([...pending.values()].map((t) => t.ms)).toEqual([4000]);
    up = true;
    await fireAll();
    expect(changes).toEqual(['online', 'offline', 'online']);
    expect(pending.size).toBe(0);
    expect(probe).toHaveBeenCalledTimes(4);
  });

  it('checks once on demand and stops probing when stopped', async () => {
    const { timers, pending } = manualTimers();
    const changes: string[] = [];
    const monitor = createConnectivityMonitor({ probe: async () => Promise.reject(new Error('boom')), timers, onChange: (state) => changes.push(state) });
    await monitor.check();
    expect(changes).toEqual(['offline']);
    expect(pending.size).toBe(1);
    monitor.stop();
    expect(pending.size).toBe(0);
    monitor.report('online');
    expect(changes).toEqual(['offline']);
  });
});

describe('shutdown coordinator', () => {
  it('flushes before it closes, runs each task once and bounds hanging ones', async () => {
    const order: string[] = [];
    const { timers, fireAll } = manualTimers();
    const logger = log();
    const shutdown = createShutdownCoordinator({ timers, log: logger, taskTimeoutMs: 50 });
    shutdown.register('close', 'logout', async () => {
      order.push('logout');
    });
    shutdown.register('flush', 'print confirmations', async () => {
      order.push('print confirmations');
    });
    shutdown.register('flush', 'entry journal', () => new Promise<void>(() => undefined));
    shutdown.register('flush', 'broken', async () => Promise.reject(new Error('disk full')));
    const first = shutdown.run();
    expect(shutdown.run()).toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['print confirmations']);
    await fireAll(); // the hanging task's time limit
    await first;
    expect(order).toEqual(['print confirmations', 'logout']);
    expect(logger.lines).toEqual(expect.arrayContaining(['shutdown task timed out', 'shutdown task failed']));
    expect(() => shutdown.register('close', 'late', async () => undefined)).toThrow(/already started/);
  });
});
