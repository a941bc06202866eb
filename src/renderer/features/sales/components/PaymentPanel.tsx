import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { parseEuroInput, quickCashOptions } from '../cash.js';
import { cartCount, cartTotalCents, type SalesStore } from '../store.js';
import { QUICK_CASH_KEYS } from './use-sales-keys.js';

/** Cash with quick-cash buttons or a typed amount, or card with the terminal's receipt number. */
export function PaymentPanel({ store }: { readonly store: SalesStore }) {
  const { t } = useI18n();
  const event = useStore(store, (state) => state.event);
  const gaLines = useStore(store, (state) => state.gaLines);
  const seats = useStore(store, (state) => state.seats);
  const busy = useStore(store, (state) => state.busy);
  const till = useStore(store, (state) => state.till);
  const [given, setGiven] = useState('');
  const [reference, setReference] = useState('');
  const count = cartCount({ gaLines, seats });
  const total = cartTotalCents({ event, gaLines, seats });
  const disabled = busy || count === 0 || till === 'closed';

  const payGiven = (formEvent: FormEvent) => {
    formEvent.preventDefault();
    const cents = parseEuroInput(given);
    if (cents === undefined) return;
    void store
      .getState()
      .pay({ method: 'cash', givenCents: cents })
      .then((sold) => {
        if (sold) setGiven('');
      });
  };
  const payCard = (formEvent: FormEvent) => {
    formEvent.preventDefault();
    if (reference.trim() === '') return;
    void store
      .getState()
      .pay({ method: 'card', reference: reference.trim() })
      .then((sold) => {
        if (sold) setReference('');
      });
  };

  return (
    <section className="payment" aria-labelledby="payment-heading" aria-busy={busy}>
      <h2 id="payment-heading">{t('sales.pay.heading')}</h2>
      <div className="payment__quick">
        {quickCashOptions(total).map((option, index) => (
          <button
            key={option.id}
            type="button"
            className={option.id === 'exact' ? 'button button--primary' : 'button'}
            aria-keyshortcuts={QUICK_CASH_KEYS[index]}
            disabled={disabled || !option.enough}
            onClick={() => void store.getState().pay({ method: 'cash', givenCents: option.givenCents })}
          >
            {option.id === 'exact' ? t('sales.pay.exact') : t('sales.pay.note', { amount: formatEuro(option.givenCents), key: 9 + index })}
          </button>
        ))}
      </div>
      <form className="payment__row" onSubmit={payGiven}>
        <label className="form__field">
          <span>{t('sales.pay.given')}</span>
          <input
            inputMode="decimal"
            value={given}
            onChange={(changeEvent) => {
              setGiven(changeEvent.target.value);
            }}
          />
        </label>
        <button type="submit" className="button" disabled={disabled || parseEuroInput(given) === undefined}>
          {t('sales.pay.cash')}
        </button>
      </form>
      <form className="payment__row" onSubmit={payCard}>
        <label className="form__field">
          <span>{t('sales.pay.cardReference')}</span>
          <input
            value={reference}
            maxLength={100}
            onChange={(changeEvent) => {
              setReference(changeEvent.target.value);
            }}
          />
        </label>
        <button type="submit" className="button" disabled={disabled || reference.trim() === ''}>
          {t('sales.pay.cardPay')}
        </button>
      </form>
      {busy ? (
        <p role="status" className="status status--checking">
          {t('sales.pay.selling')}
        </p>
      ) : null}
    </section>
  );
}
