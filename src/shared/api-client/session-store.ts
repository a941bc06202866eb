/**
 * Holds the session token of the one logged-in person. In the station it lives only in the main
 * process (the renderer never sees it); in the browser back office only in memory, never in storage
 * that outlives the tab.
 */
export interface SessionTokenStore {
  get(): string | undefined;
  set(token: string): void;
  clear(): void;
}

export function createMemorySessionStore(): SessionTokenStore {
  let token: string | undefined;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
    clear: () => {
      token = undefined;
    },
  };
}
