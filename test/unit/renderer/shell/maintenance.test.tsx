// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { lazy } from 'react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SystemStatus } from '../../../../src/shared/api/maintenance.js';
import { fail, ok } from '../../../../src/shared/api-client/errors.js';
import { MaintenanceBanner } from '../../../../src/renderer/app/MaintenanceBanner.js';
import { MAINTENANCE_POLL_MS, maintenanceToShow } from '../../../../src/renderer/app/maintenance.js';
import { ServicesProvider, type AppServices } from '../../../../src/renderer/app/services.js';
import { createSessionStore } from '../../../../src/renderer/app/session-store.js';
import { SalesView } from '../../../../src/renderer/features/sales/components/SalesScreen.js';
import { salesApi } from '../../../../src/renderer/features/sales/api.js';
import { createWebTicketPrinter } from '../../../../src/renderer/features/sales/print.js';
import { createSalesStore } from '../../../../src/renderer/features/sales/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { capabilitiesFor } from '../../../../src/renderer/lib/capabilities.js';
import { createFakeBackend, sessionInfo, type FakeBackend } from '../support/fake-backend.js';
import { DETAIL, EVENT_ID, MAP, SUMMARY } from '../sales/fixtures.js';
import { renderApp } from './test-app.js';

const NOW = '2026-12-04T18:00:00.000Z';
const MESSAGE = 'Update der Plattform auf Version 4.2.';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const status = (maintenance: Partial<SystemStatus['maintenance']>): SystemStatus => ({
  maintenance: { active: false, from: null, until: null, message: null, ...maintenance },
  serverTime: NOW,
});
/** The banner's time format (the test machine's time zone, as the screen uses it). */
const shown = (iso: string) => new Intl.DateTimeFormat('de-DE', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

afterEach(cleanup);

async function renderWith(backend: FakeBackend, children: React.ReactNode) {
  const session = createSessionStore({ backend, now: () => Date.parse(NOW) });
  await session.getState().login('k.schmidt', 'x');
  const services: AppServices = { backend, bridge: undefined, capabilities: capabilitiesFor(undefined), now: () => Date.parse(NOW), session, checkServer: async () => 'reachable', navigate: () => undefined };
  render(
    <I18nProvider store={createLanguageStore('de')}>
      <ServicesProvider services={services}>{children}</ServicesProvider>
    </I18nProvider>,
  );
}

describe('maintenance window to show', () => {
  it('shows an active window and one that starts within the hour (server clock), not later or ended ones', () => {
    expect(MAINTENANCE_POLL_MS).toBe(60_000);
    expect(maintenanceToShow(status({}))).toBeUndefined();
    expect(maintenanceToShow(status({ active: true, from: at(-10), until: at(50), message: MESSAGE }))).toEqual({ active: true, message: MESSAGE, from: new Date(at(-10)), until: new Date(at(50)) });
    expect(maintenanceToShow(status({ active: true, from: at(-10), until: null, message: MESSAGE }))?.until).toBeNull();
    expect(maintenanceToShow(status({ from: at(59), until: at(120), message: MESSAGE }))?.active).toBe(false);
    expect(maintenanceToShow(status({ from: at(61), until: at(120), message: MESSAGE }))).toBeUndefined();
    expect(maintenanceToShow(status({ from: at(-120), until: at(-1), message: MESSAGE }))).toBeUndefined();
  });
});

describe('maintenance banner', () => {
  it('shows the message and the end time, asks again on its interval, and goes when the window is over', async () => {
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell']) });
    const answers = [
      ok(status({ from: at(30), until: at(90), message: MESSAGE })),
      ok(status({ active: true, from: at(-1), until: at(90), message: MESSAGE })),
      // The server cannot be asked once: the last known window stays.
      fail({ code: 'SERVER_UNREACHABLE', status: undefined, message: 'down' }),
      ok(status({})),
    ];
    let call = 0;
    backend.answers.set('GET /api/v1/system/status', () => answers[Math.min(call++, answers.length - 1)]!);
    await renderWith(backend, <MaintenanceBanner pollMs={30} />);

    const scheduled = await screen.findByTestId('maintenance-banner');
    expect(scheduled.textContent).toBe(`Angekündigte Wartung ab ${shown(at(30))}: Dann ist der Verkauf angehalten. ${MESSAGE} Voraussichtlich bis ${shown(at(90))}.`);
    await waitFor(() => {
      expect(screen.getByTestId('maintenance-banner').getAttribute('data-active')).toBe('true');
    });
    expect(screen.getByTestId('maintenance-banner').textContent).toBe(`Wartung: Der Verkauf ist angehalten, der Einlass läuft weiter. ${MESSAGE} Voraussichtlich bis ${shown(at(90))}.`);
    await waitFor(() => {
      expect(screen.queryByTestId('maintenance-banner')).toBeNull();
    });
    expect(call).toBeGreaterThanOrEqual(4);
  });

  it('is part of the signed-in shell, above every screen', async () => {
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell']) });
    backend.answers.set('GET /api/v1/system/status', ok(status({ active: true, from: at(-1), until: at(30), message: MESSAGE })));
    const Sales = () => <p>screen sales</p>;
    const app = renderApp(backend, [{ id: 'sales', titleKey: 'screen.status', permissions: ['sales.sell'], shortcut: '1', component: lazy(async () => ({ default: Sales })) }]);
    await act(async () => {
      await app.session.getState().login('k.schmidt', 'secret');
    });
    expect((await screen.findByTestId('maintenance-banner')).textContent).toContain(MESSAGE);
    await screen.findByText('screen sales');
  });

  it('shows nothing while no window is set', async () => {
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell']) });
    backend.answers.set('GET /api/v1/system/status', ok(status({ from: at(120), until: at(180), message: MESSAGE })));
    await renderWith(backend, <MaintenanceBanner />);
    await waitFor(() => {
      expect(backend.requests.some((r) => r.path === '/api/v1/system/status')).toBe(true);
    });
    expect(screen.queryByTestId('maintenance-banner')).toBeNull();
  });

  it('gives the sales screen’s MAINTENANCE answer the banner’s text', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend({ loginAs: sessionInfo(['sales.sell']) });
    backend.answers.set('GET /api/v1/events', ok([SUMMARY]));
    backend.answers.set(`GET /api/v1/events/${EVENT_ID}`, ok(DETAIL));
    backend.answers.set(`GET /api/v1/events/${EVENT_ID}/seatmap`, ok(MAP));
    backend.answers.set('GET /api/v1/system/status', ok(status({ active: true, from: at(-5), until: null, message: MESSAGE })));
    backend.answers.set('POST /api/v1/orders', fail({ code: 'MAINTENANCE', status: 503, message: MESSAGE, retryAfterSeconds: 600 }));
    const store = createSalesStore({ api: salesApi(backend), printer: createWebTicketPrinter(backend) });
    store.setState({ till: 'open' });
    await renderWith(backend, <SalesView store={store} />);
    await user.keyboard('Sommer');
    await screen.findByRole('option', { name: /Sommerkonzert/ });
    await user.keyboard('{Enter}');
    await screen.findByRole('heading', { name: 'Sommerkonzert' });
    await user.keyboard('{F1}{F9}');
    await waitFor(() => {
      expect(document.querySelector('[data-code="MAINTENANCE"]')?.textContent).toBe(`Wartung: Der Verkauf ist angehalten, der Einlass läuft weiter. ${MESSAGE} Ende noch offen.`);
    });
  });
});
