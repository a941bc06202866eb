// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlockDetail, BlockView } from '../../../../src/shared/api/intrusion.js';
import { fail, ok } from '../../../../src/shared/api-client/errors.js';
import { intrusionApi } from '../../../../src/renderer/features/intrusion/api.js';
import { IntrusionView } from '../../../../src/renderer/features/intrusion/components/IntrusionScreen.js';
import { createIntrusionStore } from '../../../../src/renderer/features/intrusion/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { apiError, createFakeBackend, type FakeBackend } from '../support/fake-backend.js';

afterEach(cleanup);

const ID_A = '0b7c4a52-3f0e-4a8e-9c41-2d3b5e6f7a81';
const ID_B = '0b7c4a52-3f0e-4a8e-9c41-2d3b5e6f7a82';
const OPERATOR = '00000000-0000-4000-8000-00000000c001';

const block = (id: string, source: string, patch: Partial<BlockView> = {}): BlockView => ({
  id,
  source,
  trigger: 'login_failure',
  level: 1,
  blockedAt: '2026-12-04T18:00:00.000Z',
  blockedUntil: '2026-12-04T22:00:00.000Z',
  active: true,
  liftedAt: null,
  liftedBy: null,
  liftReason: null,
  signals: { windowSeconds: 300, threshold: 20, counts: { login_failure: 21 }, samples: ['login admin'] },
  ...patch,
});

const detailOf = (b: BlockView): BlockDetail => ({
  block: b,
  recentSignals: [
    { at: '2026-12-04T17:59:30.000Z', kind: 'login_failure', detail: 'login <script>alert(1)</script>' },
    { at: '2026-12-04T17:58:00.000Z', kind: 'scan', detail: 'GET /wp-admin' },
  ],
});

function renderBlocks(backend: FakeBackend) {
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <IntrusionView store={createIntrusionStore({ api: intrusionApi(backend) })} />
    </I18nProvider>,
  );
}

const listRequests = (backend: FakeBackend) => backend.requests.filter((r) => r.path === '/api/v1/intrusion/blocks');

describe('blocks screen', () => {
  it('lists active blocks first, then all blocks of a searched source', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/intrusion/blocks', (request) =>
      request.query?.['state'] === 'all'
        ? ok([block(ID_B, '203.0.113.7', { active: false, liftedAt: '2026-12-04T19:00:00.000Z', liftedBy: OPERATOR, liftReason: 'Kunde bestätigt' })])
        : ok([block(ID_A, '198.51.100.4')]),
    );
    renderBlocks(backend);
    expect(await screen.findByRole('button', { name: '198.51.100.4' })).toBeTruthy();
    expect(listRequests(backend)[0]!.query).toEqual({ state: 'active', limit: 200 });
    expect(screen.getByRole('row', { name: /198\.51\.100\.4/ }).textContent).toMatch(/Wirksam/);

    await user.selectOptions(screen.getByLabelText('Welche Sperren'), 'all');
    await user.keyboard('{Alt>}s{/Alt}');
    expect(document.activeElement).toBe(screen.getByLabelText(/Quell-Adresse enthält/));
    await user.keyboard('203.0{Enter}');
    expect(await screen.findByRole('button', { name: '203.0.113.7' })).toBeTruthy();
    expect(listRequests(backend).at(-1)!.query).toEqual({ state: 'all', limit: 200, source: '203.0' });
    expect(screen.getByRole('row', { name: /203\.0\.113\.7/ }).textContent).toMatch(/Aufgehoben/);
    expect(screen.queryByRole('button', { name: '198.51.100.4' })).toBeNull();
  });

  it('refuses a one-character source search locally', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/intrusion/blocks', ok([]));
    renderBlocks(backend);
    await screen.findByText('0 von 0 Einträgen');
    const before = backend.requests.length;
    await user.type(screen.getByLabelText(/Quell-Adresse enthält/), '1{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/mindestens 2 Zeichen/);
    expect(backend.requests.length).toBe(before);
  });

  it('opens a block with its recent signals as text and moves the focus to it', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const a = block(ID_A, '198.51.100.4');
    backend.answers.set('GET /api/v1/intrusion/blocks', ok([a]));
    backend.answers.set(`GET /api/v1/intrusion/blocks/${ID_A}`, ok(detailOf(a)));
    renderBlocks(backend);
    await user.click(await screen.findByRole('button', { name: '198.51.100.4' }));
    const heading = await screen.findByRole('heading', { name: 'Sperre 198.51.100.4' });
    expect(document.activeElement).toBe(heading);
    const detail = heading.closest('section')!;
    const signals = within(detail).getByRole('table', { name: 'Letzte Signale dieser Adresse' });
    const rows = within(signals).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toMatch(/Fehlgeschlagene Anmeldungen/);
    expect(rows[1]!.textContent).toContain('login <script>alert(1)</script>');
    expect(rows[2]!.textContent).toMatch(/Abtasten \(Scan\).*GET \/wp-admin/);
    expect(signals.querySelector('script')).toBeNull();
    expect(within(detail).getByText('20 Signale in 300 s')).toBeTruthy();
  });

  it('lifts a block only with a reason, sends the reason and reloads the list', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const a = block(ID_A, '198.51.100.4');
    let lifted = false;
    backend.answers.set('GET /api/v1/intrusion/blocks', () => ok(lifted ? [] : [a]));
    backend.answers.set(`GET /api/v1/intrusion/blocks/${ID_A}`, ok(detailOf(a)));
    backend.answers.set(`POST /api/v1/intrusion/blocks/${ID_A}/lift`, (request) => {
      lifted = true;
      const reason = (request.body as { reason: string }).reason;
      return ok({ ...a, active: false, liftedAt: '2026-12-04T19:30:00.000Z', liftedBy: OPERATOR, liftReason: reason });
    });
    renderBlocks(backend);
    await user.click(await screen.findByRole('button', { name: '198.51.100.4' }));
    await user.click(await screen.findByRole('button', { name: 'Sperre aufheben …' }));
    const reason = screen.getByLabelText(/Begründung \(Pflicht/);
    expect(document.activeElement).toBe(reason);

    // Esc closes the confirmation and gives the focus back to the button that opened it.
    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText(/Begründung \(Pflicht/)).toBeNull();
    await screen.findByRole('button', { name: 'Sperre aufheben …' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sperre aufheben …' }));

    await user.click(screen.getByRole('button', { name: 'Sperre aufheben …' }));
    await user.type(screen.getByLabelText(/Begründung \(Pflicht/), ' x ');
    await user.click(screen.getByRole('button', { name: 'Aufheben bestätigen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/mindestens 3 Zeichen/);
    expect(backend.requests.some((r) => r.method === 'POST')).toBe(false);

    await user.clear(screen.getByLabelText(/Begründung \(Pflicht/));
    await user.type(screen.getByLabelText(/Begründung \(Pflicht/), 'Hotel-WLAN, Gast bestätigt');
    await user.click(screen.getByRole('button', { name: 'Aufheben bestätigen' }));
    const done = await screen.findByText('Sperre aufgehoben.');
    const posts = backend.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({ reason: 'Hotel-WLAN, Gast bestätigt' });
    expect(document.activeElement).toBe(done);
    expect(screen.getByText('Hotel-WLAN, Gast bestätigt')).toBeTruthy();
    await screen.findByText('0 von 0 Einträgen');
    expect(listRequests(backend)).toHaveLength(2);
  });

  it('shows the server refusing to lift a block that is no longer active', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    const a = block(ID_A, '198.51.100.4');
    backend.answers.set('GET /api/v1/intrusion/blocks', ok([a]));
    backend.answers.set(`GET /api/v1/intrusion/blocks/${ID_A}`, ok(detailOf(a)));
    backend.answers.set(`POST /api/v1/intrusion/blocks/${ID_A}/lift`, fail(apiError('BLOCK_NOT_ACTIVE')));
    renderBlocks(backend);
    await user.click(await screen.findByRole('button', { name: '198.51.100.4' }));
    await user.click(await screen.findByRole('button', { name: 'Sperre aufheben …' }));
    await user.type(screen.getByLabelText(/Begründung \(Pflicht/), 'Fehlalarm');
    await user.click(screen.getByRole('button', { name: 'Aufheben bestätigen' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Diese Sperre ist bereits abgelaufen oder aufgehoben.');
    expect(screen.queryByText('Sperre aufgehoben.')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText(/Begründung \(Pflicht/));
  });
});
