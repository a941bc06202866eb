import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { SpoilReason, type SpoilReason as SpoilReasonValue } from '../../../../shared/api/printing.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import type { MessageKey } from '../../../i18n/messages.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import type { PrintState, SalesStore } from '../store.js';

const SPOIL_REASONS: readonly SpoilReasonValue[] = SpoilReason.anyOf.map((literal) => literal.const);

/** A blob as a download the browser starts at once, and a link to open it again. */
export function useDocumentUrl(document: Blob | undefined): string | undefined {
  const url = useMemo(() => (document === undefined ? undefined : URL.createObjectURL(document)), [document]);
  useEffect(
    () => () => {
      if (url !== undefined) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

/**
 * The last sale until the next one starts: the change in big figures, the print state (browser: the
 * confirmation that makes the tickets count as printed) and the receipt.
 */
export function SaleResult({ store, onDone }: { readonly store: SalesStore; readonly onDone: () => void }) {
  const { t } = useI18n();
  const sale = useStore(store, (state) => state.lastSale);
  const print = useStore(store, (state) => state.print);
  if (sale === undefined) return null;
  const { order } = sale;
  return (
    <section className="sale-result" aria-labelledby="sale-result-heading" data-testid="sale-result">
      <h2 id="sale-result-heading">{t('sales.done.heading', { number: order.orderNumber })}</h2>
      {sale.changeCents === null ? null : (
        <p className="sale-result__change" data-testid="change" role="status">
          {sale.changeCents === 0 ? t('sales.done.noChange') : t('sales.done.change', { amount: formatEuro(sale.changeCents) })}
        </p>
      )}
      {sale.givenCents === null ? null : <p>{t('sales.done.given', { amount: formatEuro(sale.givenCents) })}</p>}
      <PrintStatus store={store} onDone={onDone} key={print.state} />
      <Receipt store={store} />
    </section>
  );
}

function PrintStatus({ store, onDone }: { readonly store: SalesStore; readonly onDone: () => void }) {
  const print = useStore(store, (state) => state.print);
  const sale = useStore(store, (state) => state.lastSale);
  return (
    <PrintProgress
      print={print}
      fileName={`Tickets-${sale?.order.orderNumber ?? ''}.pdf`}
      onDone={onDone}
      onConfirm={() => void store.getState().confirmPrinted()}
      onSpoil={(reason) => void store.getState().spoilPrint(reason)}
      onRetry={() => void store.getState().retryPrint()}
    />
  );
}

export interface PrintProgressProps {
  readonly print: PrintState;
  readonly fileName: string;
  /** Called once the tickets count as printed (focus goes back to the search). */
  readonly onDone: () => void;
  readonly onConfirm: () => void;
  readonly onSpoil: (reason: SpoilReasonValue) => void;
  readonly onRetry: () => void;
}

/**
 * Where a print stands. In the browser the PDF downloads at once and "printed" takes the focus, so
 * Enter confirms; a misprint is booked as spoiled with a reason, and "print again" issues new blanks.
 */
export function PrintProgress({ print, fileName, onDone, onConfirm, onSpoil, onRetry }: PrintProgressProps) {
  const { t } = useI18n();
  const document = print.state === 'confirm' ? print.document : undefined;
  const url = useDocumentUrl(document);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const download = useRef<HTMLAnchorElement>(null);
  const [reason, setReason] = useState<SpoilReasonValue>('misprint');

  useEffect(() => {
    if (print.state === 'confirm') {
      download.current?.click();
      confirmButton.current?.focus();
    }
    if (print.state === 'printed') onDone();
  }, [print.state, onDone]);

  if (print.state === 'idle') return null;
  if (print.state === 'printing') {
    return (
      <p role="status" className="status status--checking">
        {t('sales.print.printing')}
      </p>
    );
  }
  if (print.state === 'printed') {
    return (
      <p role="status" className="notice notice--ok" data-testid="print-status" data-state="printed">
        {t('sales.print.printed', { blanks: print.blankNumbers.join(', ') })}
      </p>
    );
  }
  const retry = (
    <button type="button" className="button" onClick={onRetry}>
      {t('sales.print.retry')}
    </button>
  );
  if (print.state === 'failed') {
    return (
      <div data-testid="print-status" data-state="failed">
        <p className="notice notice--error">{t('sales.print.failed')}</p>
        <ErrorNotice error={print.error} />
        {retry}
      </div>
    );
  }
  if (print.state === 'spoiled') {
    return (
      <div data-testid="print-status" data-state="spoiled">
        <p className="notice notice--warning">{t('sales.print.spoiled', { blanks: print.job.prints.map((entry) => entry.blankNumber).join(', ') })}</p>
        {retry}
      </div>
    );
  }
  const blanks = print.job.prints.map((entry) => entry.blankNumber);
  return (
    <div className="print-confirm" data-testid="print-status" data-state="confirm">
      <p className="notice notice--warning">{t('sales.print.confirm', { first: Math.min(...blanks), last: Math.max(...blanks) })}</p>
      {url === undefined ? null : (
        <a ref={download} href={url} download={fileName} className="button" data-testid="ticket-pdf">
          {t('sales.print.open')}
        </a>
      )}
      <button ref={confirmButton} type="button" className="button button--primary" onClick={onConfirm}>
        {t('sales.print.confirmButton')}
      </button>
      <label className="form__field">
        <span>{t('sales.print.spoilReason')}</span>
        <select
          value={reason}
          onChange={(event) => {
            setReason(event.target.value as SpoilReasonValue);
          }}
        >
          {SPOIL_REASONS.map((value) => (
            <option key={value} value={value}>
              {t(`sales.spoil.${value}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button" onClick={() => onSpoil(reason)}>
        {t('sales.print.spoilButton')}
      </button>
    </div>
  );
}

function Receipt({ store }: { readonly store: SalesStore }) {
  const { t } = useI18n();
  const sale = useStore(store, (state) => state.lastSale);
  if (sale === undefined) return null;
  const { order } = sale;
  const cash = order.payments.some((payment) => payment.method === 'cash');
  return (
    <section className="receipt" aria-labelledby="receipt-heading" data-testid="receipt">
      <h3 id="receipt-heading">{t('sales.receipt.heading')}</h3>
      <p>{t('sales.receipt.order', { number: order.orderNumber })}</p>
      <ul>
        {order.tickets.map((ticket) => (
          <li key={ticket.id}>
            {ticket.categoryName}
            {ticket.seat === null ? '' : ` · ${ticket.seat.block} ${ticket.seat.row}/${ticket.seat.number}`} · {formatEuro(ticket.priceCents)}
          </li>
        ))}
      </ul>
      <p>
        {t('sales.cart.total')}: <strong>{formatEuro(order.totalCents)}</strong> · {t(cash ? 'sales.receipt.paidCash' : 'sales.receipt.paidCard')}
      </p>
      <button type="button" className="button" onClick={() => window.print()}>
        {t('sales.receipt.print')}
      </button>
    </section>
  );
}
