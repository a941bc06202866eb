// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingProfileInput, BillingProfileView } from '../../../../src/shared/api/invoicing.js';
import { ok } from '../../../../src/shared/api-client/errors.js';
import { adminApi } from '../../../../src/renderer/features/admin/api.js';
import { AdminView } from '../../../../src/renderer/features/admin/components/AdminScreen.js';
import { createEventsStore } from '../../../../src/renderer/features/admin/events-store.js';
import { createAdminStore } from '../../../../src/renderer/features/admin/store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { apiError, createFakeBackend } from '../support/fake-backend.js';

afterEach(cleanup);

describe('billing data', () => {
  it('enters the tenant’s billing data from an empty profile, leaving empty optional fields out, and explains a refusal', async () => {
    const user = userEvent.setup();
    const backend = createFakeBackend();
    backend.answers.set('GET /api/v1/users', ok([]));
    backend.answers.set('GET /api/v1/billing-profile', ok({ profile: null }));
    const sent: BillingProfileInput[] = [];
    backend.answers.set('PUT /api/v1/billing-profile', (request) => {
      const body = request.body as BillingProfileInput;
      sent.push(body);
      if (body.vatId === 'XX') return { ok: false, error: apiError('VALIDATION_FAILED', 400) };
      const view: BillingProfileView = {
        tenantId: '00000000-0000-4000-8000-0000000000b1',
        legalName: body.legalName,
        street: body.street,
        postalCode: body.postalCode,
        city: body.city,
        country: body.country,
        taxNumber: null,
        vatId: body.vatId ?? null,
        email: null,
        contactName: null,
        phone: null,
        iban: null,
        bankName: null,
        invoicePrefix: body.invoicePrefix ?? 'RE',
        cancellationPrefix: body.cancellationPrefix ?? 'ST',
        numberDigits: 6,
        commissionBp: 0,
        platformFeeBp: 0,
        updatedAt: '2026-12-04T18:00:00.000Z',
      };
      return ok(view);
    });
    const api = adminApi(backend);
    render(
      <I18nProvider store={createLanguageStore('de')}>
        <AdminView admin={createAdminStore({ api })} events={createEventsStore({ api })} permissions={['users.manage']} tenantKind="outlet" />
      </I18nProvider>,
    );
    await user.keyboard('{Alt>}r{/Alt}');
    const name = await screen.findByLabelText('Firmenname');
    expect(screen.getByLabelText<HTMLInputElement>('Land (z. B. DE)').value).toBe('DE');
    expect(screen.getByLabelText<HTMLInputElement>('Präfix der Rechnungsnummern').value).toBe('RE');
    await user.type(name, 'VVK Nord GmbH');
    await user.type(screen.getByLabelText('Straße und Hausnummer'), 'Hafenstraße 1');
    await user.type(screen.getByLabelText('PLZ'), '20457');
    await user.type(screen.getByLabelText('Ort'), 'Hamburg');
    await user.type(screen.getByLabelText('USt-IdNr.'), 'XX');
    await user.click(screen.getByRole('button', { name: 'Rechnungsdaten speichern' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/vom Server abgelehnt/);

    await user.clear(screen.getByLabelText('USt-IdNr.'));
    await user.type(screen.getByLabelText('USt-IdNr.'), 'DE123456789');
    await user.click(screen.getByRole('button', { name: 'Rechnungsdaten speichern' }));
    expect(await screen.findByText('Rechnungsdaten von VVK Nord GmbH gespeichert.')).toBeTruthy();
    expect(sent.at(-1)).toEqual({ legalName: 'VVK Nord GmbH', street: 'Hafenstraße 1', postalCode: '20457', city: 'Hamburg', country: 'DE', vatId: 'DE123456789', invoicePrefix: 'RE', cancellationPrefix: 'ST' });
  });
});
