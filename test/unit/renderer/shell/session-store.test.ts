import { describe, expect, it } from 'vitest';
import { createSessionStore } from '../../../../src/renderer/app/session-store.js';
import { apiError, createFakeBackend, sessionInfo, WHOAMI } from '../support/fake-backend.js';

const NOW = Date.parse('2026-12-04T18:00:00.000Z');

describe('session store', () => {
  it('signs in, knows the rights and the time left, and signs out', async () => {
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell', 'tickets.print']) });
    const store = createSessionStore({ backend, now: () => NOW });
    expect(store.getState().session).toBeUndefined();
    expect(store.getState().hasAny([])).toBe(false);

    const result = await store.getState().login('k.schmidt', 'secret');
    expect(result.ok).toBe(true);
    expect(store.getState().session?.user.login).toBe('k.schmidt');
    expect(store.getState().hasAny(['sales.sell'])).toBe(true);
    expect(store.getState().hasAny(['users.manage', 'tickets.print'])).toBe(true);
    expect(store.getState().hasAny(['users.manage'])).toBe(false);
    expect(store.getState().timeLeftMs()).toBe(2 * 3600_000);

    await store.getState().logout();
    expect(store.getState().session).toBeUndefined();
    expect(store.getState().ended).toBeUndefined();
  });

  it('keeps the server’s refusal and stays signed out', async () => {
    const backend = createFakeBackend({ loginAs: apiError('INVALID_CREDENTIALS', 401) });
    const store = createSessionStore({ backend, now: () => NOW });
    const result = await store.getState().login('k.schmidt', 'wrong');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(store.getState().session).toBeUndefined();
    expect(store.getState().busy).toBe(false);
  });

  it('remembers why the server ended the session until the next sign-in', async () => {
    const backend = createFakeBackend();
    const store = createSessionStore({ backend, now: () => NOW });
    await store.getState().login('k.schmidt', 'secret');
    backend.endSession({ code: 'SESSION_ENDED', reason: 'superseded' });
    expect(store.getState().session).toBeUndefined();
    expect(store.getState().ended).toEqual({ code: 'SESSION_ENDED', reason: 'superseded' });
    await store.getState().login('k.schmidt', 'secret');
    expect(store.getState().ended).toBeUndefined();
  });

  it('ignores a session end while signed out (a stale answer after logout)', () => {
    const backend = createFakeBackend();
    const store = createSessionStore({ backend, now: () => NOW });
    backend.endSession({ code: 'SESSION_EXPIRED' });
    expect(store.getState().ended).toBeUndefined();
  });

  it('after a forced password change asks the server for the new session', async () => {
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell'], { mustChangePassword: true }) });
    const store = createSessionStore({ backend, now: () => NOW });
    await store.getState().login('k.schmidt', 'Initial-1');
    expect(store.getState().session?.mustChangePassword).toBe(true);
    const changed = await store.getState().changePassword('Initial-1', 'Neu-Passwort-2026!');
    expect(changed.ok).toBe(true);
    expect(store.getState().session?.mustChangePassword).toBe(false);
  });

  it('reports the workstation check, failed or not', async () => {
    const backend = createFakeBackend();
    const store = createSessionStore({ backend, now: () => NOW });
    await store.getState().checkWorkstation();
    expect(store.getState().workstation).toEqual({ state: 'ok', whoami: WHOAMI });
    backend.whoami = async () => ({ ok: false, error: apiError('SERVER_UNREACHABLE', 0) });
    await store.getState().checkWorkstation();
    expect(store.getState().workstation).toMatchObject({ state: 'failed', error: { code: 'SERVER_UNREACHABLE' } });
  });
});
