/**
 * Who is signed in at this station, with which rights, until when — and why the last session ended.
 * A factory (no module-level store): main.tsx creates one per page, tests their own. The session token
 * is not in here: the backend port keeps it (web: memory of the API client; desktop: main).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { WhoAmI } from '../../shared/api/system.js';
import type { ApiError, ApiResult } from '../../shared/api-client/errors.js';
import type { SessionEnd } from '../../shared/api-client/http-client.js';
import type { SessionInfo } from '../../shared/api-client/session-info.js';
import type { Permission } from '../../shared/domain/permissions.js';
import type { Backend } from '../lib/backend.js';

export type WorkstationCheck =
  | { readonly state: 'checking' }
  | { readonly state: 'ok'; readonly whoami: WhoAmI }
  /** No certificate, an unknown or revoked one, or no server: `error.code` says which. */
  | { readonly state: 'failed'; readonly error: ApiError };

export interface SessionState {
  readonly workstation: WorkstationCheck;
  /** undefined: signed out. */
  readonly session: SessionInfo | undefined;
  /** Why the previous session ended (shown on the login screen until the next sign-in). */
  readonly ended: SessionEnd | undefined;
  readonly busy: boolean;
  readonly checkWorkstation: () => Promise<void>;
  readonly login: (login: string, password: string) => Promise<ApiResult<SessionInfo>>;
  readonly changePassword: (currentPassword: string, newPassword: string) => Promise<ApiResult<SessionInfo>>;
  readonly logout: () => Promise<void>;
  /** The server (or the expiry timer) ended the session. */
  readonly sessionEnded: (end: SessionEnd) => void;
  /** Milliseconds until the session's absolute expiry (0 when signed out or past). */
  readonly timeLeftMs: () => number;
  readonly hasAny: (permissions: readonly Permission[]) => boolean;
}

export type SessionStore = StoreApi<SessionState>;

export interface SessionStoreDeps {
  readonly backend: Backend;
  readonly now: () => number;
}

export function createSessionStore({ backend, now }: SessionStoreDeps): SessionStore {
  const store = createStore<SessionState>()((set, get) => ({
    workstation: { state: 'checking' },
    session: undefined,
    ended: undefined,
    busy: false,

    async checkWorkstation() {
      set({ workstation: { state: 'checking' } });
      const result = await backend.whoami();
      set({ workstation: result.ok ? { state: 'ok', whoami: result.value } : { state: 'failed', error: result.error } });
    },

    async login(login, password) {
      set({ busy: true });
      const result = await backend.login({ login, password });
      set(result.ok ? { busy: false, session: result.value, ended: undefined } : { busy: false });
      return result;
    },

    async changePassword(currentPassword, newPassword) {
      set({ busy: true });
      const changed = await backend.changePassword({ currentPassword, newPassword });
      if (!changed.ok) {
        set({ busy: false });
        return changed;
      }
      // The server ended every session of the user and issued a new one; ask it what that one holds.
      const me = await backend.me();
      set(me.ok ? { busy: false, session: me.value } : { busy: false, session: undefined });
      return me;
    },

    async logout() {
      set({ busy: true });
      await backend.logout();
      // Signed out here whatever the server answered: the person at the counter has asked to leave.
      set({ busy: false, session: undefined, ended: undefined });
    },

    sessionEnded(end) {
      if (get().session === undefined) return;
      set({ session: undefined, ended: end });
    },

    timeLeftMs() {
      const session = get().session;
      if (session === undefined) return 0;
      return Math.max(0, Date.parse(session.expiresAt) - now());
    },

    hasAny(permissions) {
      const session = get().session;
      if (session === undefined) return false;
      if (permissions.length === 0) return true;
      return permissions.some((permission) => session.permissions.includes(permission));
    },
  }));
  backend.onSessionEnded((end) => {
    store.getState().sessionEnded(end);
  });
  return store;
}
