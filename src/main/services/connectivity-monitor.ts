import type { Timers } from '../ports/timers.js';

export type ConnectivityState = 'online' | 'offline' | 'unknown';

export interface ConnectivityMonitorDeps {
  /** One cheap request to the backend (readiness); true when it answered ok. */
  readonly probe: () => Promise<boolean>;
  readonly onChange: (state: 'online' | 'offline') => void;
  readonly timers: Timers;
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
}

export interface ConnectivityMonitor {
  /** Fed by the API client after every request: an answer means online, a network failure offline. */
  report(state: 'online' | 'offline'): void;
  /** Probes now (at start and after setup), without waiting for the next real request. */
  check(): Promise<void>;
  current(): ConnectivityState;
  stop(): void;
}

/**
 * Offline detection without polling while things work: real requests report their outcome; only
 * while offline does the monitor probe the backend, at growing intervals, to notice that it is back.
 */
export function createConnectivityMonitor(deps: ConnectivityMonitorDeps): ConnectivityMonitor {
  const firstRetryMs = deps.firstRetryMs ?? 5000;
  const maxRetryMs = deps.maxRetryMs ?? 30_000;
  let state: ConnectivityState = 'unknown';
  let timer: unknown;
  let stopped = false;

  const cancel = () => {
    if (timer !== undefined) deps.timers.clearTimeout(timer);
    timer = undefined;
  };

  const probeOnce = async (): Promise<boolean> => {
    try {
      return await deps.probe();
    } catch {
      return false;
    }
  };

  const schedule = (delayMs: number) => {
    cancel();
    timer = deps.timers.setTimeout(() => {
      timer = undefined;
      void probeOnce().then((up) => {
        if (stopped) return;
        if (up) report('online');
        else if (state === 'offline') schedule(Math.min(delayMs * 2, maxRetryMs));
      });
    }, delayMs);
  };

  function report(next: 'online' | 'offline'): void {
    if (stopped || next === state) return;
    state = next;
    if (next === 'offline') schedule(firstRetryMs);
    else cancel();
    deps.onChange(next);
  }

  return {
    report,
    async check() {
      const up = await probeOnce();
      if (!stopped) report(up ? 'online' : 'offline');
    },
    current: () => state,
    stop() {
      stopped = true;
      cancel();
    },
  };
}
