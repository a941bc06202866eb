import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import type { SalesStore } from '../store.js';

/**
 * "Undo last sale" (UX.md 5): the key is shown while the last sale is on screen; Ctrl+Z opens one inline
 * confirmation that says what happens to printed tickets (the server voids their barcodes). Enter
 * confirms (the confirm button has the focus), Esc keeps the sale; afterwards the focus is back in the
 * event search.
 */
export function UndoLastSale({ store, onDone }: { readonly store: SalesStore; readonly onDone: () => void }) {
  const { t } = useI18n();
  const undo = useStore(store, (state) => state.undo);
  const sale = useStore(store, (state) => state.lastSale);
  const printing = useStore(store, (state) => state.print.state === 'printing');
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (undo.state === 'confirm') confirmButton.current?.focus();
    if (undo.state === 'done') onDone();
  }, [undo.state, onDone]);

  if (undo.state === 'done') {
    return (
      <div className="notice notice--ok" role="status" data-testid="undo-done">
        <p>{t('sales.undo.done', { number: undo.order.orderNumber })}</p>
        {undo.refundCents === 0 ? null : (
          <p className="sale-result__change">{t(undo.refundMethod === 'card' ? 'sales.undo.refundCard' : 'sales.undo.refundCash', { amount: formatEuro(undo.refundCents) })}</p>
        )}
      </div>
    );
  }
  if (undo.state === 'confirm' || undo.state === 'cancelling') {
    const { order } = undo.sale;
    return (
      <div className="print-confirm notice notice--warning" role="group" aria-labelledby="undo-question" data-testid="undo-confirm">
        <p id="undo-question">{t('sales.undo.question', { number: order.orderNumber, amount: formatEuro(order.totalCents) })}</p>
        <p>{undo.printedBlanks.length === 0 ? t('sales.undo.notPrinted') : t('sales.undo.printed', { blanks: undo.printedBlanks.join(', ') })}</p>
        {undo.state === 'cancelling' ? (
          <p role="status">{t('sales.undo.cancelling')}</p>
        ) : (
          <>
            <button ref={confirmButton} type="button" className="button button--primary" onClick={() => void store.getState().undoLastSale()}>
              {t('sales.undo.confirm')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                store.getState().abortUndo();
                onDone();
              }}
            >
              {t('sales.undo.abort')}
            </button>
          </>
        )}
      </div>
    );
  }
  if (sale === undefined || sale.order.status !== 'paid' || printing) return null;
  return (
    <p className="sales__undo" data-testid="undo-hint">
      <button
        type="button"
        className="button"
        onClick={() => {
          store.getState().askUndo();
        }}
      >
        {t('sales.undo.hint')} <kbd>{t('sales.undo.key')}</kbd>
      </button>
    </p>
  );
}
