// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, createFakeBackend, sessionInfo } from '../support/fake-backend.js';
import { renderApp } from './test-app.js';

afterEach(cleanup);

describe('login screen', () => {
  it('shows the workstation the server recognised and signs in from the keyboard', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend({ loginAs: sessionInfo([]) });
    renderApp(backend, []);
    expect((await screen.findByTestId('certificate-status')).textContent).toMatch(/Kasse 1 \(VVK Nord\)/);
    // Focus starts in the login field: type, Tab, type, Enter.
    await user.keyboard('k.schmidt{Tab}secret{Enter}');
    expect(await screen.findByText(/Für Ihre Rechte gibt es hier keinen Bereich/)).toBeTruthy();
  });

  it('says what the server answered when the certificate is not accepted', async () => {
    const backend = createFakeBackend();
    backend.whoami = async () => ({ ok: false, error: apiError('WORKSTATION_REVOKED', 403) });
    renderApp(backend, []);
    const status = await screen.findByTestId('certificate-status');
    expect(status.textContent).toMatch(/Arbeitsplatz nicht erkannt/);
    expect(status.querySelector('[data-code]')?.getAttribute('data-code')).toBe('WORKSTATION_REVOKED');
  });

  it('shows the refusal as a sentence and empties the password', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend({ loginAs: apiError('INVALID_CREDENTIALS', 401) });
    renderApp(backend, []);
    await user.keyboard('k.schmidt{Tab}wrong{Enter}');
    expect((await screen.findByRole('alert')).getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    expect(screen.getByLabelText<HTMLInputElement>('Passwort').value).toBe('');
  });

  it('forces the password change with a live checklist before any screen', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend({ loginAs: sessionInfo([], { mustChangePassword: true }) });
    renderApp(backend, []);
    await user.keyboard('k.schmidt{Tab}Initial-1{Enter}');
    expect(await screen.findByRole('heading', { name: 'Neues Passwort festlegen' })).toBeTruthy();
    const submit = screen.getByRole<HTMLButtonElement>('button', { name: 'Passwort ändern' });
    const rule = (id: string) => document.querySelector(`[data-rule="${id}"]`)?.getAttribute('data-passed');

    await user.keyboard('Initial-1{Tab}schmidt');
    expect(rule('not_login')).toBe('false');
    expect(rule('upper')).toBe('false');
    expect(submit.disabled).toBe(true);

    await user.clear(screen.getByLabelText('Neues Passwort'));
    await user.type(screen.getByLabelText('Neues Passwort'), 'Sommer-Kasse-2026!');
    expect(['min_length', 'upper', 'lower', 'digit', 'special', 'not_login'].map(rule)).toEqual(['true', 'true', 'true', 'true', 'true', 'true']);
    expect(rule('match')).toBe('false');
    await user.type(screen.getByLabelText('Neues Passwort wiederholen'), 'Sommer-Kasse-2026!');
    expect(rule('match')).toBe('true');
    expect(submit.disabled).toBe(false);
    await user.click(submit);
    expect(await screen.findByText(/Für Ihre Rechte gibt es hier keinen Bereich/)).toBeTruthy();
  });

  it('lists the server-side rules a refused password failed', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend({ loginAs: sessionInfo([], { mustChangePassword: true }) });
    backend.changePassword = async () => ({ ok: false, error: { ...apiError('PASSWORD_REJECTED', 422), failedRules: ['common'] } });
    renderApp(backend, []);
    await user.keyboard('k.schmidt{Tab}Initial-1{Enter}');
    await screen.findByRole('heading', { name: 'Neues Passwort festlegen' });
    await user.keyboard('Initial-1{Tab}Passwort1!{Tab}Passwort1!{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Kein häufig verwendetes Passwort/);
  });
});
