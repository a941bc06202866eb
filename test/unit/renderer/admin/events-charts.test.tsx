// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDetail, EventSummary } from '../../../../src/shared/api/events.js';
import type { EventSalesStats } from '../../../../src/shared/api/reports.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { adminApi } from '../../../../src/renderer/features/admin/api.js';
import { AdminView } from '../../../../src/renderer/features/admin/components/AdminScreen.js';
import { niceMax, SalesCharts } from '../../../../src/renderer/features/admin/components/SalesCharts.js';
import { createEventsStore } from '../../../../src/renderer/features/admin/events-store.js';
import { createAdminStore } from '../../../../src/renderer/features/admin/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { createFakeBackend } from '../support/fake-backend.js';

afterEach(cleanup);

const EVENT = '00000000-0000-4000-8000-00000000e001';
const CAT = '00000000-0000-4000-8000-00000000e002';
const OUTLET = '00000000-0000-4000-8000-00000000e003';

const stats: EventSalesStats = {
  eventId: EVENT,
  eventName: 'Sommerkonzert',
  days: [
    { day: '2026-12-01', tickets: 4, grossCents: 14_000 },
    { day: '2026-12-02', tickets: 10, grossCents: 35_000 },
    { day: '2026-12-04', tickets: 1, grossCents: 3_500 },
  ],
  categories: [
    { categoryId: CAT, name: 'Stehplatz', capacity: 100, tickets: 15, grossCents: 52_500 },
    { categoryId: '00000000-0000-4000-8000-00000000e004', name: 'Balkon', capacity: 0, tickets: 0, grossCents: 0 },
  ],
  totalTickets: 15,
  totalGrossCents: 52_500,
};

const wrap = (node: React.ReactNode) => <I18nProvider store={createLanguageStore('de')}>{node}</I18nProvider>;

describe('sales charts', () => {
  it('draws one column per sales day and one bar per category, each with its number as text', () => {
    render(wrap(<SalesCharts stats={stats} />));
    const days = screen.getAllByTestId('day-bar');
    expect(days).toHaveLength(3);
    expect(days.map((g) => g.querySelector('title')?.textContent)).toEqual(['01.12.2026: 4 Tickets, 140,00\u00a0€', '02.12.2026: 10 Tickets, 350,00\u00a0€', '04.12.2026: 1 Tickets, 35,00\u00a0€']);
    // Column heights follow the counts on a round scale (max 10).
    const heights = days.map((g) => Number(g.querySelector('rect')?.getAttribute('height')));
    expect(heights[1]).toBeCloseTo(140);
    expect(heights[0]).toBeCloseTo(56);
    const bars = screen.getAllByTestId('category-bar');
    expect(bars.map((g) => g.textContent)).toEqual(['Stehplatz: 15 von 100 verkauft (15 %)Stehplatz15/100', 'Balkon: 0 von 0 verkauft (0 %)Balkon0/0']);
    expect(screen.getByText((_, element) => element?.tagName === 'P' && element.textContent === '15 Tickets, 525,00\u00a0€')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Verkaufte Tickets pro Tag' })).toBeTruthy();
  });

  it('says so when nothing is sold yet', () => {
    render(wrap(<SalesCharts stats={{ ...stats, days: [], totalTickets: 0, totalGrossCents: 0 }} />));
    expect(screen.getByText('Noch keine Verkäufe.')).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('rounds the axis to 1-2-5 steps', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 2001].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 200, 5000]);
  });
});

describe('events of a promoter', () => {
  const summary: EventSummary = {
    id: EVENT,
    name: 'Sommerkonzert',
    startsAt: '2027-01-10T19:00:00.000Z',
    salesStart: '2026-12-01T00:00:00.000Z',
    salesEnd: '2027-01-10T19:00:00.000Z',
    status: 'draft',
    effectiveStatus: 'draft',
    salesOpen: false,
    venue: { id: '00000000-0000-4000-8000-00000000e005', name: 'Stadthalle', city: 'Hamburg' },
  };
  const detail: EventDetail = {
    ...summary,
    venue: { ...summary.venue, address: 'Am Park 1' },
    seated: true,
    categories: [{ id: CAT, name: 'Kat 1', priceCents: 5_500, vatRateBp: 700, seated: true, sortOrder: 0, capacity: 0, sold: 0, remaining: 0, quota: null, variants: [] }],
  };

  it('checks a seat plan with the shared parser before sending, then creates the seats; grants an outlet with a quota', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/events', ok([summary]));
    backend.answers.set('GET /api/v1/venues', ok([]));
    backend.answers.set(`GET /api/v1/events/${EVENT}`, ok(detail));
    backend.answers.set(`GET /api/v1/events/${EVENT}/outlets`, ok([{ id: OUTLET, code: 'vvk-nord', name: 'VVK Nord', granted: false }]));
    backend.answers.set(`GET /api/v1/events/${EVENT}/sales-rights`, ok([]));
    backend.answers.set(`GET /api/v1/events/${EVENT}/sales-stats`, ok({ ...stats, days: [], totalTickets: 0, totalGrossCents: 0 }));
    backend.answers.set(`POST /api/v1/events/${EVENT}/seats`, ok({ createdSeats: 20, totalSeats: 20, categories: [{ id: CAT, name: 'Kat 1', capacity: 20 }] }));
    backend.answers.set(`PUT /api/v1/events/${EVENT}/sales-rights/${OUTLET}`, (request) => {
      expect(request.body).toEqual({ quotas: [{ categoryId: CAT, quota: 8 }] });
      return ok({ outletId: OUTLET, outletCode: 'vvk-nord', outletName: 'VVK Nord', grantedAt: '2026-12-04T18:00:00.000Z', categories: [{ categoryId: CAT, quota: 8, sold: 0 }] });
    });
    const api = adminApi(backend);
    render(wrap(<AdminView admin={createAdminStore({ api })} events={createEventsStore({ api })} permissions={['events.manage']} tenantKind="promoter" />));
    await user.click(await screen.findByRole('button', { name: 'Sommerkonzert' }));
    expect(document.activeElement).toBe(await screen.findByRole('heading', { name: 'Sommerkonzert' }));

    const plan = screen.getByLabelText('Saalplan-Definition');
    await user.type(plan, 'Block A Platz Kategorie');
    await user.click(screen.getByRole('button', { name: 'Plätze anlegen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Zeile 1: Die Zeile ist nicht lesbar/);
    expect(plan.getAttribute('aria-invalid')).toBe('true');
    expect(backend.requests.some((r) => r.path.endsWith('/seats'))).toBe(false);

    await user.clear(plan);
    await user.type(plan, 'Block A Reihe 1-2 Platz 1-10 Kategorie "Kat 1"');
    await user.click(screen.getByRole('button', { name: 'Plätze anlegen' }));
    expect(await screen.findByText('20 Plätze angelegt.')).toBeTruthy();

    const rights = screen.getByRole('table', { name: 'Verkaufsrechte der Vorverkaufsstellen' });
    await user.type(within(rights).getByLabelText('VVK Nord: Kontingent Kat 1'), '8');
    await user.click(within(rights).getByRole('button', { name: 'Verkaufsrecht speichern' }));
    expect(await screen.findByText('Verkaufsrecht für VVK Nord gespeichert.')).toBeTruthy();
  });
});
