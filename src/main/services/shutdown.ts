import type { Logger } from '../ports/logger.js';
import type { Timers } from '../ports/timers.js';

/**
 * Work that must happen before the process ends. `flush` tasks run first (pending print confirmations,
 * the offline entry journal: they still need the session), then `close` tasks (logout, connections).
 * Each task gets a time limit, so a hanging network never keeps the station from closing.
 */
export type ShutdownPhase = 'flush' | 'close';

export interface ShutdownCoordinator {
  register(phase: ShutdownPhase, name: string, task: () => Promise<void>): void;
  /** Runs every task once; later calls return the same promise. */
  run(): Promise<void>;
}

export function createShutdownCoordinator(deps: { readonly timers: Timers; readonly log: Logger; readonly taskTimeoutMs?: number }): ShutdownCoordinator {
  const timeoutMs = deps.taskTimeoutMs ?? 5000;
  const tasks: Record<ShutdownPhase, Array<{ name: string; task: () => Promise<void> }>> = { flush: [], close: [] };
  let running: Promise<void> | undefined;

  const runBounded = async (name: string, task: () => Promise<void>): Promise<void> => {
    let timer: unknown;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = deps.timers.setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([task().then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') deps.log.warn('shutdown task timed out', { task: name, timeoutMs });
    } catch (error) {
      deps.log.error('shutdown task failed', { task: name, error: String(error) });
    } finally {
      deps.timers.clearTimeout(timer);
    }
  };

  return {
    register(phase, name, task) {
      if (running !== undefined) throw new Error('shutdown already started');
      tasks[phase].push({ name, task });
    },
    run() {
      running ??= (async () => {
        for (const phase of ['flush', 'close'] as const) {
          await Promise.all(tasks[phase].map(({ name, task }) => runBounded(name, task)));
        }
      })();
      return running;
    },
  };
}
