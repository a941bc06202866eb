import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { formatEuro } from '../../../../shared/money-format.js';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import { priceTypes, type SalesStore } from '../store.js';
import { formatDateTime, isSameLocalDay } from './format.js';
import { SeatMapView } from './SeatMapView.js';

/** The chosen performance: remaining capacity per category, F-key price types, best seats, seat map. */
export function EventOverview({ store }: { readonly store: SalesStore }) {
  const { t, language } = useI18n();
  const { now } = useServices();
  const event = useStore(store, (state) => state.event);
  const seatMap = useStore(store, (state) => state.seatMap);
  const seats = useStore(store, (state) => state.seats);
  const hold = useStore(store, (state) => state.hold);
  if (event === undefined) return null;
  const types = priceTypes(event);
  const keyOf = (categoryId: string) => types.findIndex((type) => type.categoryId === categoryId && type.variantId === null);
  const selected = new Set(seats.map((seat) => seat.seatId));
  const ownHold = new Set(hold?.seatIds ?? []);

  return (
    <section className="event" aria-labelledby="event-heading">
      <h2 id="event-heading" className="event__name">
        {event.name}
      </h2>
      <p className="event__facts">
        {formatDateTime(event.startsAt, language)} · {event.venue.name}, {event.venue.city}
      </p>
      {isSameLocalDay(event.startsAt, now()) ? null : (
        <p className="notice notice--warning" role="note" data-testid="other-day">
          {t('sales.event.otherDay', { date: formatDateTime(event.startsAt, language) })}
        </p>
      )}
      {event.salesOpen ? null : (
        <p className="notice notice--warning" role="note">
          {t('sales.event.notOpen')}
        </p>
      )}
      <table className="table" aria-label={t('sales.event.categories')}>
        <thead>
          <tr>
            <th scope="col">{t('sales.event.category')}</th>
            <th scope="col">{t('sales.event.price')}</th>
            <th scope="col">{t('sales.event.remaining')}</th>
            <th scope="col">{t('sales.event.key')}</th>
          </tr>
        </thead>
        <tbody>
          {event.categories.map((category) => (
            <tr key={category.id} data-testid={`category-${category.name}`}>
              <th scope="row">{category.name}</th>
              <td>{formatEuro(category.priceCents)}</td>
              <td data-testid="remaining">{category.remaining}</td>
              <td>{category.seated ? t('sales.event.seated') : keyOf(category.id) === -1 ? '' : <kbd>F{keyOf(category.id) + 1}</kbd>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {types.length === 0 ? null : (
        <section className="price-keys" aria-labelledby="price-keys-heading">
          <h3 id="price-keys-heading">{t('sales.keys.heading')}</h3>
          <p className="hint">{t('sales.keys.hint')}</p>
          <div className="price-keys__buttons">
            {types.map((type, index) => (
              <button
                key={`${type.categoryId}:${type.variantId ?? ''}`}
                type="button"
                className="button price-keys__button"
                aria-keyshortcuts={`F${index + 1}`}
                onClick={() => {
                  store.getState().addPriceType(index);
                }}
              >
                <kbd>F{index + 1}</kbd>
                <span>{type.name}</span>
                <span>{formatEuro(type.priceCents)}</span>
              </button>
            ))}
          </div>
        </section>
      )}
      {seatMap === undefined ? null : (
        <>
          <BestAvailable store={store} />
          <SeatMapView
            map={seatMap}
            selected={selected}
            ownHold={ownHold}
            onToggle={(seatId) => {
              store.getState().toggleSeat(seatId);
            }}
          />
        </>
      )}
    </section>
  );
}

function BestAvailable({ store }: { readonly store: SalesStore }) {
  const { t } = useI18n();
  const seatMap = useStore(store, (state) => state.seatMap);
  const hold = useStore(store, (state) => state.hold);
  const busy = useStore(store, (state) => state.busy);
  const categories = seatMap?.categories ?? [];
  const [categoryId, setCategoryId] = useState(categories[0]?.id ?? '');
  const [quantity, setQuantity] = useState(2);

  useEffect(() => {
    if (!categories.some((category) => category.id === categoryId) && categories[0] !== undefined) setCategoryId(categories[0].id);
  }, [categories, categoryId]);

  // B: best seats, unless the clerk is typing somewhere.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'b' && event.key !== 'B') return;
      if (event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      event.preventDefault();
      if (categoryId !== '') void store.getState().bestAvailable(categoryId, quantity);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [store, categoryId, quantity]);

  return (
    <section className="best" aria-labelledby="best-heading">
      <h3 id="best-heading">{t('sales.best.heading')}</h3>
      <label className="form__field">
        <span>{t('sales.best.category')}</span>
        <select
          value={categoryId}
          onChange={(event) => {
            setCategoryId(event.target.value);
          }}
        >
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name} · {formatEuro(category.priceCents)}
            </option>
          ))}
        </select>
      </label>
      <label className="form__field">
        <span>{t('sales.best.quantity')}</span>
        <input
          type="number"
          min={1}
          max={50}
          value={quantity}
          onChange={(event) => {
            setQuantity(Math.max(1, Math.min(50, Number(event.target.value) || 1)));
          }}
        />
      </label>
      <button type="button" className="button" aria-keyshortcuts="B" disabled={busy || categoryId === ''} onClick={() => void store.getState().bestAvailable(categoryId, quantity)}>
        {t('sales.best.button')}
      </button>
      <button type="button" className="button" aria-keyshortcuts="N" disabled={busy || hold === undefined} onClick={() => void store.getState().nextBest()}>
        {t('sales.best.next')}
      </button>
    </section>
  );
}
