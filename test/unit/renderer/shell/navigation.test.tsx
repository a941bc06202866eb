// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { lazy } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScreenDefinition } from '../../../../src/renderer/app/screens.js';
import { SCREENS, visibleScreens } from '../../../../src/renderer/app/screens.js';
import { createFakeBackend, sessionInfo } from '../support/fake-backend.js';
import { renderApp } from './test-app.js';

function testScreen(id: string, permissions: ScreenDefinition['permissions'], shortcut: ScreenDefinition['shortcut']): ScreenDefinition {
  const Component = () => <p>{`screen ${id}`}</p>;
  return { id, titleKey: 'screen.status', permissions, shortcut, component: lazy(async () => ({ default: Component })) };
}

const SALES = testScreen('sales', ['sales.sell'], '1');
const ORDERS = testScreen('orders', ['sales.sell', 'sales.cancel'], '2');
const ADMIN = testScreen('admin', ['users.manage', 'workstations.manage'], '7');
const STATUS = testScreen('status', [], '9');
const ALL = [SALES, ORDERS, ADMIN, STATUS];

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function signIn(permissions: string[]) {
  const backend = createFakeBackend({ loginAs: sessionInfo(permissions) });
  const app = renderApp(backend, ALL);
  await act(async () => {
    await app.session.getState().login('k.schmidt', 'secret');
  });
  return app;
}

function navButtons() {
  return within(screen.getByRole('navigation')).getAllByRole('button');
}

describe('rights-scoped navigation', () => {
  it('filters the registry by any of the listed rights', () => {
    const has = (held: string[]) => (needed: readonly string[]) => needed.length === 0 || needed.some((p) => held.includes(p));
    expect(visibleScreens(ALL, has(['sales.cancel'])).map((s) => s.id)).toEqual(['orders', 'status']);
    expect(visibleScreens(ALL, has([])).map((s) => s.id)).toEqual(['status']);
  });

  it('registers every real screen once, with distinct shortcuts', () => {
    expect(new Set(SCREENS.map((s) => s.id)).size).toBe(SCREENS.length);
    expect(new Set(SCREENS.map((s) => s.shortcut)).size).toBe(SCREENS.length);
  });

  it('shows a clerk only the clerk’s screens, each with its shortcut', async () => {
    await signIn(['sales.sell']);
    expect(navButtons().map((b) => b.textContent)).toEqual(['SystemstatusAlt+1', 'SystemstatusAlt+2', 'SystemstatusAlt+9']);
    expect(await screen.findByText('screen sales')).toBeTruthy();
    expect(screen.queryByText('screen admin')).toBeNull();
  });

  it('opens screens with Alt+digit and ignores the digit of a hidden screen', async () => {
    await signIn(['sales.sell']);
    await screen.findByText('screen sales');
    fireEvent.keyDown(window, { key: '2', code: 'Digit2', altKey: true });
    expect(await screen.findByText('screen orders')).toBeTruthy();
    expect(window.location.hash).toBe('#/orders');
    fireEvent.keyDown(window, { key: '7', code: 'Digit7', altKey: true });
    expect(await screen.findByText('screen orders')).toBeTruthy();
    expect(screen.queryByText('screen admin')).toBeNull();
    // Ctrl+Alt (AltGr on German keyboards) types characters; it is not a shortcut.
    fireEvent.keyDown(window, { key: '1', code: 'Digit1', altKey: true, ctrlKey: true });
    expect(screen.queryByText('screen sales')).toBeNull();
  });

  it('puts the Alt+0 screen last and opens it with Alt+0', async () => {
    const blocks = testScreen('blocks', ['intrusion.manage'], '0');
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell', 'intrusion.manage']) });
    const app = renderApp(backend, [blocks, ...ALL]);
    await act(async () => {
      await app.session.getState().login('k.schmidt', 'secret');
    });
    expect(navButtons().map((b) => b.textContent)).toEqual(['SystemstatusAlt+1', 'SystemstatusAlt+2', 'SystemstatusAlt+9', 'SystemstatusAlt+0']);
    await screen.findByText('screen sales');
    fireEvent.keyDown(window, { key: '0', code: 'Digit0', altKey: true });
    expect(await screen.findByText('screen blocks')).toBeTruthy();
  });

  it('does not open a hidden screen from the address either', async () => {
    window.location.hash = '#/admin';
    await signIn(['sales.sell']);
    expect(await screen.findByText('screen sales')).toBeTruthy();
    expect(screen.queryByText('screen admin')).toBeNull();
  });

  it('an administrator sees the admin screen and not the sales screens', async () => {
    await signIn(['users.manage']);
    expect(navButtons()).toHaveLength(2);
    expect(await screen.findByText('screen admin')).toBeTruthy();
  });

  it('returns to the login with the reason when the server ends the session', async () => {
    const app = await signIn(['sales.sell']);
    await screen.findByText('screen sales');
    act(() => {
      (app.services.backend as ReturnType<typeof createFakeBackend>).endSession({ code: 'SESSION_ENDED', reason: 'superseded' });
    });
    expect(screen.getByRole('heading', { name: 'Anmeldung' })).toBeTruthy();
    expect(screen.getByTestId('session-notice').textContent).toMatch(/anderen Arbeitsplatz/);
  });

  it('signs out with the header button', async () => {
    const user = userEvent.setup();
    await signIn(['sales.sell']);
    await screen.findByText('screen sales');
    expect(screen.getByTestId('session-left').textContent).toBe('Sitzung endet in 2:00 h');
    await user.click(screen.getByRole('button', { name: 'Abmelden' }));
    expect(screen.getByRole('heading', { name: 'Anmeldung' })).toBeTruthy();
    expect(screen.queryByTestId('session-notice')).toBeNull();
  });
});
