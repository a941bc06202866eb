import { createStore, type StoreApi } from 'zustand/vanilla';

export interface NavigationState {
  /** Registry id of the open screen; undefined: the first screen the session may see. */
  readonly current: string | undefined;
  go(screenId: string): void;
}

export type NavigationStore = StoreApi<NavigationState>;

/** Which screen is open. A factory, like every store; the shell mirrors it into location.hash. */
export function createNavigationStore(initial?: string): NavigationStore {
  return createStore<NavigationState>()((set) => ({
    current: initial,
    go: (screenId) => {
      set({ current: screenId });
    },
  }));
}

/** `#/sales` → `sales`; anything else → undefined. */
export function screenIdFromHash(hash: string): string | undefined {
  const match = /^#\/([a-z][a-z0-9-]{0,40})$/.exec(hash);
  return match?.[1];
}
