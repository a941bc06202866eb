/** Timer functions, injected so tests control time instead of waiting for it. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function createSystemTimers(): Timers {
  return {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

export function sleepWith(timers: Timers): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      timers.setTimeout(resolve, ms);
    });
}
