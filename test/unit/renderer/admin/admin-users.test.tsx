// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserView } from '../../../../src/shared/api/users.js';
import type { TenantKind } from '../../../../src/shared/api/system.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { OPERATOR_ONLY_PERMISSIONS, PERMISSIONS } from '../../../../src/shared/domain/permissions.js';
import { adminApi } from '../../../../src/renderer/features/admin/api.js';
import { AdminView } from '../../../../src/renderer/features/admin/components/AdminScreen.js';
import { createEventsStore } from '../../../../src/renderer/features/admin/events-store.js';
import { grantableRights, lockedRights } from '../../../../src/renderer/features/admin/rights.js';
import { createAdminStore } from '../../../../src/renderer/features/admin/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { apiError, createFakeBackend, type FakeBackend } from '../support/fake-backend.js';

afterEach(cleanup);

const TENANT = '00000000-0000-4000-8000-0000000000b1';
function userView(login: string, permissions: string[], overrides: Partial<UserView> = {}): UserView {
  return { id: `00000000-0000-4000-8000-${login.length.toString().padStart(4, '0')}${String(permissions.length).padStart(8, '0')}`, tenantId: TENANT, login, displayName: login.toUpperCase(), disabled: false, mustChangePassword: false, permissions, createdAt: '2026-12-01T09:00:00.000Z', ...overrides };
}

function renderAdmin(backend: FakeBackend, permissions: string[], tenantKind: TenantKind = 'outlet') {
  const api = adminApi(backend);
  const admin = createAdminStore({ api });
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <AdminView admin={admin} events={createEventsStore({ api })} permissions={permissions} tenantKind={tenantKind} />
    </I18nProvider>,
  );
  return admin;
}

const offered = (form: HTMLElement) =>
  within(form)
    .getAllByRole('checkbox')
    .map((box) => box.id.replace(/^.*-right-/, ''));

describe('grantable rights', () => {
  it('never offers more than the granter holds, and operator-only rights only to operator staff', () => {
    fc.assert(
      fc.property(fc.subarray([...PERMISSIONS]), fc.constantFrom<TenantKind>('operator', 'promoter', 'outlet'), (own, kind) => {
        const grantable = grantableRights(own, kind);
        for (const right of grantable) expect(own).toContain(right);
        for (const right of own) {
          const allowed = kind === 'operator' || !OPERATOR_ONLY_PERMISSIONS.has(right);
          expect(grantable.includes(right)).toBe(allowed);
        }
        expect(lockedRights(own, grantable).every((r) => !grantable.includes(r as never))).toBe(true);
      }),
    );
  });

  it('shows exactly the grantable rights as checkboxes; a template is cut to them and says so', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/users', ok([]));
    renderAdmin(backend, ['users.manage', 'sales.sell', 'entry.scan', 'tenants.manage']);
    const form = (await screen.findByRole('heading', { name: 'Neuen Benutzer anlegen' })).closest('form')!;
    expect(offered(form)).toEqual(['sales.sell', 'entry.scan', 'users.manage']);

    await user.click(within(form).getByRole('button', { name: 'Kasse' }));
    expect(within(form).getByRole('checkbox', { name: /Verkaufen/ })).toHaveProperty('checked', true);
    expect(within(form).getByRole('checkbox', { name: /Einlass scannen/ })).toHaveProperty('checked', false);
    expect(within(form).getByRole('status').textContent).toMatch(/nur die vergebbaren/);

    await user.click(within(form).getByRole('button', { name: 'Einlass' }));
    expect(within(form).queryByRole('status')).toBeNull();
    expect(within(form).getByRole('checkbox', { name: /Einlass scannen/ })).toHaveProperty('checked', true);
    expect(within(form).getByRole('checkbox', { name: /Verkaufen/ })).toHaveProperty('checked', false);
  });

  it('locks the rights of a user who holds a right the granter lacks, instead of letting the server refuse later', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const accountant = userView('buchhaltung', ['invoices.view', 'sales.sell']);
    backend.answers.set('GET /api/v1/users', ok([accountant]));
    renderAdmin(backend, ['users.manage', 'sales.sell']);
    await user.click(await screen.findByRole('button', { name: 'buchhaltung' }));
    expect(screen.getByRole('note').textContent).toMatch(/Rechnungen ansehen/);
    expect(screen.getByRole('button', { name: /Rechte speichern/ })).toHaveProperty('disabled', true);
    const fieldset = screen.getAllByRole('group', { name: 'Rechte' }).at(-1)!;
    expect(fieldset).toHaveProperty('disabled', true);
  });
});

describe('creating a user', () => {
  it('shows the initial password once, focused, and forgets it when the clerk confirms the hand-over', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/users', ok([]));
    const created = userView('m.meier', ['sales.sell'], { mustChangePassword: true });
    backend.answers.set('POST /api/v1/users', (request) => {
      expect(request.body).toEqual({ login: 'm.meier', displayName: 'Maria Meier', permissions: ['sales.sell'] });
      return ok({ user: created, initialPassword: 'Kx7#mPq2-Lw9!', initialPasswordExpiresAt: '2026-12-07T18:00:00.000Z' });
    });
    const store = renderAdmin(backend, ['users.manage', 'sales.sell']);
    const form = (await screen.findByRole('heading', { name: 'Neuen Benutzer anlegen' })).closest('form')!;
    await user.type(within(form).getByLabelText(/Anmeldename/), 'm.meier');
    await user.type(within(form).getByLabelText('Vollständiger Name'), 'Maria Meier');
    await user.click(within(form).getByRole('checkbox', { name: /Verkaufen/ }));
    await user.click(within(form).getByRole('button', { name: 'Benutzer anlegen' }));

    const secret = await screen.findByTestId('one-time-password');
    expect(secret.textContent).toBe('Kx7#mPq2-Lw9!');
    expect(document.activeElement).toBe(secret);
    expect(screen.getByRole('heading', { name: 'Startpasswort für m.meier' })).toBeTruthy();
    expect(screen.getByText(/Gültig bis 07\.12\.2026/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'm.meier' })).toBeTruthy();
    // The form is empty again for the next person.
    expect(within(form).getByLabelText<HTMLInputElement>(/Anmeldename/).value).toBe('');

    await user.click(screen.getByRole('button', { name: /Passwort übergeben/ }));
    expect(screen.queryByTestId('one-time-password')).toBeNull();
    expect(document.body.textContent).not.toContain('Kx7#mPq2-Lw9!');
    expect(store.getState().oneTime).toBeNull();
    expect(document.activeElement).toBe(within(form).getByLabelText(/Anmeldename/));
  });

  it('refuses a bad login before sending and explains a taken one', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/users', ok([]));
    backend.answers.set('POST /api/v1/users', { ok: false, error: apiError('LOGIN_TAKEN') });
    renderAdmin(backend, ['users.manage']);
    const form = (await screen.findByRole('heading', { name: 'Neuen Benutzer anlegen' })).closest('form')!;
    await user.type(within(form).getByLabelText(/Anmeldename/), 'ä b');
    await user.type(within(form).getByLabelText('Vollständiger Name'), 'X');
    await user.click(within(form).getByRole('button', { name: 'Benutzer anlegen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/2 bis 63 Zeichen/);
    expect(backend.requests.some((r) => r.method === 'POST')).toBe(false);

    await user.clear(within(form).getByLabelText(/Anmeldename/));
    await user.type(within(form).getByLabelText(/Anmeldename/), 'k.schmidt');
    await user.click(within(form).getByRole('button', { name: 'Benutzer anlegen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/schon vergeben/);
    expect(screen.queryByTestId('one-time-password')).toBeNull();
  });
});

describe('sessions', () => {
  it('ends a session by its row button', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/users', ok([]));
    const session = {
      id: '00000000-0000-4000-8000-00000000d001',
      userId: '00000000-0000-4000-8000-00000000c002',
      login: 'k.schmidt',
      displayName: 'Karin Schmidt',
      workstationId: '00000000-0000-4000-8000-0000000000a1',
      workstationName: 'Kasse 1',
      createdAt: '2026-12-04T08:00:00.000Z',
      lastSeenAt: '2026-12-04T17:59:00.000Z',
      expiresAt: '2026-12-04T16:00:00.000Z',
    };
    backend.answers.set('GET /api/v1/sessions', ok([session]));
    backend.answers.set(`POST /api/v1/sessions/${session.id}/end`, ok(null));
    renderAdmin(backend, ['users.manage']);
    await user.keyboard('{Alt>}i{/Alt}');
    await user.click(await screen.findByRole('button', { name: 'Sitzung beenden: k.schmidt an Kasse 1' }));
    expect(await screen.findByText('Sitzung beendet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Sitzung beenden: k.schmidt/ })).toBeNull();
  });
});
