// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditChainStatus } from '../../../../src/shared/api/audit.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { auditApi } from '../../../../src/renderer/features/audit/api.js';
import { AuditView } from '../../../../src/renderer/features/audit/components/AuditScreen.js';
import { createAuditStore, startOfBerlinDay, toQuery, type AuditRow } from '../../../../src/renderer/features/audit/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { createFakeBackend, type FakeBackend } from '../support/fake-backend.js';

afterEach(cleanup);

const row = (seq: number, action: string, details: unknown = {}): AuditRow => ({
  seq,
  at: `2026-12-04T1${seq % 10}:00:00.000Z`,
  actorUserId: '00000000-0000-4000-8000-00000000c001',
  workstationId: '00000000-0000-4000-8000-0000000000a1',
  sourceIp: '10.0.0.5',
  action,
  entity: action.split('.')[0]!,
  entityId: `id-${seq}`,
  details,
  hash: 'f'.repeat(64),
});

const intact: AuditChainStatus = { ok: true, rows: 3, headHash: 'a'.repeat(64), firstBroken: null, checkedAt: '2026-12-04T18:00:00.000Z' };

function renderAudit(backend: FakeBackend) {
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <AuditView store={createAuditStore({ api: auditApi(backend) })} />
    </I18nProvider>,
  );
}

describe('audit screen', () => {
  it('shows the chain status in words, and a broken chain as an alert naming the row', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/audit', ok({ items: [row(3, 'invoice.issue'), row(2, 'auth.login'), row(1, 'auth.login')], nextBeforeSeq: null }));
    let status: AuditChainStatus = intact;
    backend.answers.set('GET /api/v1/audit/verify', () => ok(status));
    renderAudit(backend);
    expect((await screen.findByTestId('chain-status')).textContent).toMatch(/Kette unversehrt: 3 Einträge geprüft/);

    status = { ...intact, ok: false, rows: 2, firstBroken: { seq: 2, reason: 'hash_mismatch' } };
    await user.keyboard('{Alt>}p{/Alt}');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/KETTE GEBROCHEN bei Eintrag Nr\. 2 \(Inhalt wurde verändert\)/);
    expect(backend.requests.filter((r) => r.path === '/api/v1/audit/verify')).toHaveLength(2);
  });

  it('searches with an action prefix and a day range, pages older entries and opens one entry with its details as text', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const payload = { reason: '<img src=x onerror=alert(1)>' };
    backend.answers.set('GET /api/v1/audit', (request) =>
      request.query?.['beforeSeq'] === 5 ? ok({ items: [row(4, 'invoice.cancel', payload)], nextBeforeSeq: null }) : ok({ items: [row(6, 'invoice.issue'), row(5, 'invoice.issue')], nextBeforeSeq: 5 }),
    );
    backend.answers.set('GET /api/v1/audit/verify', ok(intact));
    renderAudit(backend);
    await screen.findByText('2 von 2 Einträgen');

    await user.keyboard('{Alt>}s{/Alt}');
    expect(document.activeElement).toBe(screen.getByLabelText(/Aktion \(z\. B\./));
    await user.keyboard('invoice.*');
    await user.type(screen.getByLabelText('Von (Tag)'), '2026-12-01');
    await user.type(screen.getByLabelText('Bis (Tag)'), '2026-12-04');
    await user.click(screen.getByRole('button', { name: 'Suchen' }));
    const search = backend.requests.filter((r) => r.path === '/api/v1/audit').at(-1)!;
    expect(search.query).toEqual({ limit: 100, action: 'invoice.*', from: '2026-11-30T23:00:00.000Z', to: '2026-12-04T23:00:00.000Z' });

    await user.click(screen.getByRole('button', { name: 'Ältere Einträge laden' }));
    expect(await screen.findByText('3 von 3 Einträgen')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ältere Einträge laden' })).toBeNull();

    await user.click(screen.getByRole('button', { name: '4' }));
    const detail = screen.getByRole('heading', { name: 'Eintrag Nr. 4' }).closest('section')!;
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Eintrag Nr. 4' }));
    expect(within(detail).getByText(/onerror=alert/).tagName).toBe('PRE');
    expect(detail.querySelector('img')).toBeNull();
  });

  it('refuses a malformed action locally', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/audit', ok({ items: [], nextBeforeSeq: null }));
    backend.answers.set('GET /api/v1/audit/verify', ok(intact));
    renderAudit(backend);
    await screen.findByText('0 von 0 Einträgen');
    const before = backend.requests.length;
    await user.type(screen.getByLabelText(/Aktion \(z\. B\./), 'Invoice*x');
    await user.click(screen.getByRole('button', { name: 'Suchen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Kleinbuchstaben/);
    expect(backend.requests.length).toBe(before);
  });

  it('turns German days into the instants the server filters by, across the summer-time change', () => {
    expect(startOfBerlinDay('2026-12-05')).toBe('2026-12-04T23:00:00.000Z');
    expect(startOfBerlinDay('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfBerlinDay('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfBerlinDay('2026-03-30')).toBe('2026-03-29T22:00:00.000Z');
    expect(toQuery({ from: '', to: '2026-03-28', action: '', entity: ' invoice ', entityId: '', userId: '' })).toEqual({ limit: 100, to: '2026-03-28T23:00:00.000Z', entity: 'invoice' });
    expect(toQuery({ from: '', to: '', action: '', entity: '', entityId: '', userId: 'nobody' })).toBe('USER_ID_INVALID');
  });
});
