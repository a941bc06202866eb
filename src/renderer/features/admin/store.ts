/**
 * The admin screen's people-and-devices state: users (with the one-time initial password), sessions and
 * workstations. A factory over the admin API; failures stay coded for the screen to explain.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BillingProfileInput, BillingProfileView } from '../../../shared/api/invoicing.js';
import type { SessionView, UserView } from '../../../shared/api/users.js';
import type { WorkstationView } from '../../../shared/api/workstations.js';
import type { ApiError } from '../../../shared/api-client/errors.js';
import { createAct } from '../../lib/store-action.js';
import type { Permission } from '../../../shared/domain/permissions.js';
import type { Static } from 'typebox';
import type { AdminApi } from './api.js';

export type AdminLocalError = 'LOGIN_INVALID' | 'NAME_REQUIRED' | 'REASON_TOO_SHORT';
export type AdminFailure = { readonly code: AdminLocalError } | ApiError;

/** Shown once, right after creation or reset; never stored anywhere else and gone once acknowledged. */
export interface OneTimePassword {
  readonly login: string;
  readonly password: string;
  readonly expiresAt: string;
}

export interface AdminState {
  readonly users: readonly UserView[];
  readonly sessions: readonly Static<typeof SessionView>[];
  readonly workstations: readonly WorkstationView[];
  readonly loading: boolean;
  readonly busy: boolean;
  readonly error: AdminFailure | null;
  readonly notice: { readonly key: 'created' | 'saved' | 'disabled' | 'enabled' | 'unlocked' | 'sessionEnded' | 'revoked' | 'reset' | 'profileSaved'; readonly label: string } | null;
  /** The tenant's billing data; undefined until loaded, null when never entered. */
  readonly profile: BillingProfileView | null | undefined;
  readonly oneTime: OneTimePassword | null;
  readonly selectedUserId: string | null;

  loadUsers(): Promise<void>;
  loadSessions(): Promise<void>;
  loadWorkstations(): Promise<void>;
  selectUser(id: string | null): void;
  createUser(input: { login: string; displayName: string; permissions: readonly Permission[] }): Promise<boolean>;
  setPermissions(userId: string, permissions: readonly Permission[]): Promise<boolean>;
  setDisabled(userId: string, disabled: boolean): Promise<boolean>;
  unlock(userId: string): Promise<boolean>;
  resetPassword(userId: string): Promise<boolean>;
  acknowledgeOneTime(): void;
  endSession(sessionId: string): Promise<boolean>;
  revokeWorkstation(workstationId: string, reason: string): Promise<boolean>;
  loadProfile(): Promise<void>;
  saveProfile(input: BillingProfileInput): Promise<boolean>;
}

export type AdminStore = StoreApi<AdminState>;

const LOGIN_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,62}$/;

export function createAdminStore({ api }: { api: AdminApi }): AdminStore {
  return createStore<AdminState>()((set, get) => {
    const act = createAct<AdminState>(set, { error: null, notice: null }, (error) => ({ error }));
    const replaceUser = (changed: UserView) => get().users.map((u) => (u.id === changed.id ? changed : u));
    const loginOf = (id: string) => get().users.find((u) => u.id === id)?.login ?? '';

    return {
      users: [],
      sessions: [],
      workstations: [],
      loading: false,
      busy: false,
      error: null,
      notice: null,
      oneTime: null,
      selectedUserId: null,
      profile: undefined,

      async loadUsers() {
        set({ loading: true });
        const result = await api.users();
        set(result.ok ? { loading: false, users: result.value } : { loading: false, error: result.error });
      },
      async loadSessions() {
        set({ loading: true });
        const result = await api.sessions();
        set(result.ok ? { loading: false, sessions: result.value } : { loading: false, error: result.error });
      },
      async loadWorkstations() {
        set({ loading: true });
        const result = await api.workstations();
        set(result.ok ? { loading: false, workstations: result.value } : { loading: false, error: result.error });
      },
      selectUser(id) {
        set({ selectedUserId: id, error: null, notice: null });
      },

      async createUser(input) {
        const login = input.login.trim();
        if (!LOGIN_PATTERN.test(login)) {
          set({ error: { code: 'LOGIN_INVALID' } });
          return false;
        }
        if (input.displayName.trim() === '') {
          set({ error: { code: 'NAME_REQUIRED' } });
          return false;
        }
        return act(
          () => api.createUser({ login, displayName: input.displayName.trim(), permissions: [...input.permissions] }),
          (created) => {
            set({
              users: [...get().users, created.user],
              oneTime: { login: created.user.login, password: created.initialPassword, expiresAt: created.initialPasswordExpiresAt },
              notice: { key: 'created', label: created.user.login },
            });
          },
        );
      },

      setPermissions: (userId, permissions) =>
        act(
          () => api.setPermissions(userId, permissions),
          (user) => set({ users: replaceUser(user), notice: { key: 'saved', label: user.login } }),
        ),

      setDisabled: (userId, disabled) =>
        act(
          () => api.setDisabled(userId, disabled),
          (user) => set({ users: replaceUser(user), notice: { key: disabled ? 'disabled' : 'enabled', label: user.login } }),
        ),

      unlock: (userId) =>
        act(
          () => api.unlock(userId),
          () => set({ notice: { key: 'unlocked', label: loginOf(userId) } }),
        ),

      resetPassword: (userId) =>
        act(
          () => api.resetPassword(userId),
          async (reset) => {
            set({ oneTime: { login: loginOf(userId), password: reset.initialPassword, expiresAt: reset.initialPasswordExpiresAt }, notice: { key: 'reset', label: loginOf(userId) } });
            await get().loadUsers();
          },
        ),

      acknowledgeOneTime() {
        set({ oneTime: null });
      },

      endSession: (sessionId) =>
        act(
          () => api.endSession(sessionId),
          () => set({ sessions: get().sessions.filter((s) => s.id !== sessionId), notice: { key: 'sessionEnded', label: '' } }),
        ),

      async loadProfile() {
        const result = await api.billingProfile();
        set(result.ok ? { profile: result.value.profile } : { error: result.error });
      },

      saveProfile: (input) =>
        act(
          () => api.saveBillingProfile(input),
          (profile) => set({ profile, notice: { key: 'profileSaved', label: profile.legalName } }),
        ),

      async revokeWorkstation(workstationId, reason) {
        if (reason.trim().length < 3) {
          set({ error: { code: 'REASON_TOO_SHORT' } });
          return false;
        }
        const name = get().workstations.find((w) => w.id === workstationId)?.name ?? '';
        return act(
          () => api.revokeWorkstation(workstationId, reason.trim()),
          async () => {
            set({ notice: { key: 'revoked', label: name } });
            await get().loadWorkstations();
          },
        );
      },
    };
  });
}
