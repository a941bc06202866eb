import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { BillingProfileInput, BillingProfileView } from '../../../../shared/api/invoicing.js';
import { useI18n } from '../../../i18n/context.js';
import type { MessageKey } from '../../../i18n/messages.js';
import type { AdminStore } from '../store.js';

type Field = Exclude<keyof BillingProfileInput, 'numberDigits'>;
const REQUIRED: readonly Field[] = ['legalName', 'street', 'postalCode', 'city', 'country'];
const OPTIONAL: readonly Field[] = ['taxNumber', 'vatId', 'email', 'contactName', 'phone', 'iban', 'bankName', 'invoicePrefix', 'cancellationPrefix'];

function fromProfile(profile: BillingProfileView | null): Record<Field, string> {
  const value = (v: string | null | undefined) => v ?? '';
  return {
    legalName: value(profile?.legalName),
    street: value(profile?.street),
    postalCode: value(profile?.postalCode),
    city: value(profile?.city),
    country: profile?.country ?? 'DE',
    taxNumber: value(profile?.taxNumber),
    vatId: value(profile?.vatId),
    email: value(profile?.email),
    contactName: value(profile?.contactName),
    phone: value(profile?.phone),
    iban: value(profile?.iban),
    bankName: value(profile?.bankName),
    invoicePrefix: profile?.invoicePrefix ?? 'RE',
    cancellationPrefix: profile?.cancellationPrefix ?? 'ST',
  };
}

/** The tenant's billing data as printed on its invoices (users.manage); issuing needs it complete. */
export function BillingProfilePanel({ store }: { store: AdminStore }) {
  const profile = useStore(store, (s) => s.profile);
  useEffect(() => {
    void store.getState().loadProfile();
  }, [store]);
  // The form starts from what the server holds, once that has arrived.
  return profile === undefined ? null : <ProfileForm key={profile?.updatedAt ?? 'new'} store={store} profile={profile} />;
}

function ProfileForm({ store, profile }: { store: AdminStore; profile: BillingProfileView | null }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const [values, setValues] = useState(() => fromProfile(profile));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const optional: Partial<Record<Field, string>> = {};
    // Empty optional fields are left out: the server keeps them empty.
    for (const name of OPTIONAL) if (values[name].trim() !== '') optional[name] = values[name].trim();
    const input: BillingProfileInput = {
      ...optional,
      legalName: values.legalName.trim(),
      street: values.street.trim(),
      postalCode: values.postalCode.trim(),
      city: values.city.trim(),
      country: values.country.trim().toUpperCase(),
    };
    void store.getState().saveProfile(input);
  };
  const field = (name: Field, required: boolean) => (
    <label key={name}>
      {t(`admin.profile.${name}` as MessageKey)}
      <input type="text" value={values[name]} required={required} maxLength={200} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
    </label>
  );
  return (
    <form className="office-panel office-form office-form--row" onSubmit={submit} aria-labelledby="profile-heading">
      <h3 id="profile-heading">{t('admin.profile.heading')}</h3>
      <p className="office-hint">{t('admin.profile.explain')}</p>
      {REQUIRED.map((name) => field(name, true))}
      {OPTIONAL.map((name) => field(name, false))}
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('admin.profile.save')}
      </button>
    </form>
  );
}
