import { useStore } from 'zustand';
import type { CategoryView } from '../../../../shared/api/events.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { cartCount, cartTotalCents, linePrice, type SalesStore } from '../store.js';

function VariantSelect({ category, value, label, onChange }: { readonly category: CategoryView; readonly value: string | null; readonly label: string; readonly onChange: (variantId: string | null) => void }) {
  const { t } = useI18n();
  if (category.variants.length === 0) return null;
  return (
    <select
      aria-label={t('sales.cart.variant', { item: label })}
      value={value ?? ''}
      onChange={(event) => {
        onChange(event.target.value === '' ? null : event.target.value);
      }}
    >
      <option value="">{t('sales.cart.basePrice', { price: formatEuro(category.priceCents) })}</option>
      {category.variants.map((variant) => (
        <option key={variant.id} value={variant.id}>
          {t('sales.cart.variantPrice', { name: variant.name, price: formatEuro(variant.priceCents) })}
        </option>
      ))}
    </select>
  );
}

/** The tickets of the sale being made, each with its price variant, and the total. */
export function Cart({ store }: { readonly store: SalesStore }) {
  const { t } = useI18n();
  const event = useStore(store, (state) => state.event);
  const gaLines = useStore(store, (state) => state.gaLines);
  const seats = useStore(store, (state) => state.seats);
  const categories = new Map((event?.categories ?? []).map((category) => [category.id, category]));
  const count = cartCount({ gaLines, seats });
  const total = cartTotalCents({ event, gaLines, seats });

  return (
    <section className="cart" aria-labelledby="cart-heading">
      <h2 id="cart-heading">{t('sales.cart.heading')}</h2>
      {count === 0 ? (
        <p className="hint">{t('sales.cart.empty')}</p>
      ) : (
        <ul className="cart__lines" data-testid="cart-lines">
          {gaLines.map((line) => {
            const category = categories.get(line.categoryId);
            const label = t('sales.cart.ga', { quantity: line.quantity, category: category?.name ?? '' });
            return (
              <li key={`${line.categoryId}:${line.variantId ?? ''}`} className="cart__line">
                <span>{label}</span>
                {category === undefined ? null : (
                  <VariantSelect category={category} value={line.variantId} label={label} onChange={(variantId) => store.getState().setGaVariant(line, variantId)} />
                )}
                <span className="cart__price">{formatEuro(line.quantity * linePrice(category, line.variantId))}</span>
              </li>
            );
          })}
          {seats.map((seat) => {
            const category = categories.get(seat.categoryId);
            const label = t('sales.cart.seat', { category: category?.name ?? '', block: seat.block, row: seat.row, number: seat.number });
            return (
              <li key={seat.seatId} className="cart__line">
                <span>{label}</span>
                {category === undefined ? null : (
                  <VariantSelect category={category} value={seat.variantId} label={label} onChange={(variantId) => store.getState().setSeatVariant(seat.seatId, variantId)} />
                )}
                <span className="cart__price">{formatEuro(linePrice(category, seat.variantId))}</span>
                <button type="button" className="button button--small" aria-label={`${t('sales.cart.remove')}: ${label}`} onClick={() => store.getState().toggleSeat(seat.seatId)}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p className="cart__total">
        <span>{t('sales.cart.count', { count })}</span>
        <span>
          {t('sales.cart.total')}: <strong data-testid="cart-total">{formatEuro(total)}</strong>
        </span>
      </p>
      {count === 0 ? null : (
        <button type="button" className="button" onClick={() => void store.getState().clearCart()}>
          {t('sales.cart.clear')}
        </button>
      )}
    </section>
  );
}
