import type { Timers } from '../../src/main/ports/timers.js';

/** Timers that fire only when the test says so. */
export function manualTimers() {
  let next = 1;
  const pending = new Map<number, { callback: () => void; ms: number }>();
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      const id = next++;
      pending.set(id, { callback, ms });
      return id;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  /** Fires every pending timer now; timers they set stay pending for the next call. */
  const fireAllNow = (): void => {
    const due = [...pending.values()];
    pending.clear();
    for (const timer of due) timer.callback();
  };
  /** fireAllNow, then lets the promises the callbacks started settle. */
  const fireAll = async (): Promise<void> => {
    fireAllNow();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { timers, pending, fireAll, fireAllNow };
}
