import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { PrintRecord, ReprintReason } from '../../../../shared/api/printing.js';
import type { OrderView } from '../../../../shared/api/sales.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import type { MessageKey } from '../../../i18n/messages.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import { createTicketPrinter } from '../../sales/print.js';
import { PrintProgress } from '../../sales/components/SaleResult.js';
import { formatDateTime } from '../../sales/components/format.js';
import { ordersApi } from '../api.js';
import { createOrdersStore, currentPrint, type OrdersStore } from '../store.js';
import '../orders.css';

const REPRINT_REASONS: readonly ReprintReason[] = ['damaged', 'lost', 'printer_fault', 'other'];

export function OrdersScreen() {
  const { backend, bridge } = useServices();
  const store = useMemo(() => createOrdersStore({ api: ordersApi(backend), printer: createTicketPrinter(backend, bridge) }), [backend, bridge]);
  return <OrdersView store={store} />;
}

type Ticket = OrderView['tickets'][number];

function useTicketLabel() {
  const { t } = useI18n();
  return (ticket: Ticket) =>
    ticket.seat === null
      ? t('orders.ticket.ga', { category: ticket.categoryName })
      : t('orders.ticket.seat', { category: ticket.categoryName, block: ticket.seat.block, row: ticket.seat.row, number: ticket.seat.number });
}

/** Search (typed or scanned), the order with its tickets and print history, cancel and reprint. */
export function OrdersView({ store }: { readonly store: OrdersStore }) {
  const { t, language } = useI18n();
  const { session, now } = useServices();
  const [text, setText] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const results = useStore(store, (state) => state.results);
  const searched = useStore(store, (state) => state.searched);
  const order = useStore(store, (state) => state.order);
  const error = useStore(store, (state) => state.error);
  const busy = useStore(store, (state) => state.busy);
  const done = useStore(store, (state) => state.done);
  const print = useStore(store, (state) => state.print);
  const focusSearch = useCallback(() => {
    search.current?.focus();
    search.current?.select();
  }, []);

  useEffect(() => {
    void store.getState().today(new Date(now()));
  }, [store, now]);

  useEffect(() => {
    focusSearch();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      store.getState().ask(undefined);
      focusSearch();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [store, focusSearch]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().search(text);
  };

  return (
    <div className="orders">
      <form className="orders__search" onSubmit={submit} role="search">
        <label className="form__field">
          <span>{t('orders.search.label')}</span>
          <input
            ref={search}
            id="order-search"
            type="search"
            autoComplete="off"
            aria-describedby="order-search-hint"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
            }}
          />
        </label>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('orders.search.button')}
        </button>
        <p id="order-search-hint" className="hint">
          {t('orders.search.hint')}
        </p>
      </form>
      {error === undefined ? null : <ErrorNotice error={error} />}
      {done === undefined ? null : (
        <p className="notice notice--ok" role="status" data-testid="orders-done">
          {done.kind === 'cancelled' ? t('orders.cancel.done', { count: done.tickets }) : t('orders.reprint.done')}
        </p>
      )}
      <PrintProgress
        print={print}
        fileName={`Nachdruck-${order?.orderNumber ?? ''}.pdf`}
        onDone={focusSearch}
        onConfirm={() => void store.getState().confirmPrinted()}
        onSpoil={(reason) => void store.getState().spoilPrint(reason)}
        onRetry={focusSearch}
      />
      {searched && results.length === 0 ? <p role="status">{t('orders.search.none')}</p> : null}
      {results.length > 1 || (!searched && results.length > 0) ? (
        <section aria-labelledby="orders-results-heading">
          <h2 id="orders-results-heading">{t(searched ? 'orders.results' : 'orders.today')}</h2>
          <ul className="orders__results">
            {results.map((result) => (
              <li key={result.id}>
                <button type="button" className="button orders__result" aria-current={order?.id === result.id} onClick={() => void store.getState().open(result.id)}>
                  {t('orders.result', {
                    number: result.orderNumber,
                    customer: result.customerName === '' ? t('orders.noCustomer') : result.customerName,
                    total: formatEuro(result.totalCents),
                    date: formatDateTime(result.createdAt, language),
                  })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {order === undefined ? null : <OrderDetail store={store} canCancel={session.getState().hasAny(['sales.cancel'])} canReprint={session.getState().hasAny(['tickets.reprint'])} />}
    </div>
  );
}

function OrderDetail({ store, canCancel, canReprint }: { readonly store: OrdersStore; readonly canCancel: boolean; readonly canReprint: boolean }) {
  const { t } = useI18n();
  const label = useTicketLabel();
  const order = useStore(store, (state) => state.order);
  const prints = useStore(store, (state) => state.prints);
  const eventName = useStore(store, (state) => state.eventName);
  const action = useStore(store, (state) => state.action);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    setChosen(new Set());
  }, [order?.id]);
  if (order === undefined) return null;
  const valid = order.tickets.filter((ticket) => ticket.status === 'valid');
  const toCancel = chosen.size === 0 ? valid.map((ticket) => ticket.id) : [...chosen];

  return (
    <section className="order" aria-labelledby="order-heading" data-testid="order-detail">
      <h2 id="order-heading">{t('orders.detail.heading', { number: order.orderNumber })}</h2>
      <p>
        {eventName === undefined ? null : <>{t('orders.detail.event', { event: eventName })} · </>}
        {t('orders.detail.status', { status: t(`orders.status.${order.status}` as MessageKey) })} · {formatEuro(order.totalCents)}
      </p>
      <table className="table">
        <caption className="visually-hidden">{t('orders.tickets')}</caption>
        <thead>
          <tr>
            {canCancel ? <th scope="col"><span className="visually-hidden">{t('orders.cancel.button')}</span></th> : null}
            <th scope="col">{t('orders.ticket')}</th>
            <th scope="col">{t('orders.ticket.status')}</th>
            <th scope="col">{t('orders.ticket.print')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('orders.ticket.reprint')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {order.tickets.map((ticket) => {
            const current = currentPrint(prints, ticket.id);
            return (
              <tr key={ticket.id} data-testid="order-ticket" data-status={ticket.status}>
                {canCancel ? (
                  <td>
                    {ticket.status === 'valid' ? (
                      <input
                        type="checkbox"
                        aria-label={t('orders.ticket.select', { ticket: label(ticket) })}
                        checked={chosen.has(ticket.id)}
                        onChange={(event) => {
                          const next = new Set(chosen);
                          if (event.target.checked) next.add(ticket.id);
                          else next.delete(ticket.id);
                          setChosen(next);
                        }}
                      />
                    ) : null}
                  </td>
                ) : null}
                <td>
                  {label(ticket)} · {formatEuro(ticket.priceCents)}
                </td>
                <td>{t(ticket.status === 'valid' ? 'orders.ticket.valid' : 'orders.ticket.cancelled')}</td>
                <td>
                  {current === undefined
                    ? t('orders.ticket.notPrinted')
                    : t(current.status === 'active' ? 'orders.ticket.printedOn' : 'orders.ticket.pending', { blank: current.blankNumber })}
                </td>
                <td>
                  {canReprint && ticket.status === 'valid' && current?.status === 'active' ? (
                    <button type="button" className="button" onClick={() => store.getState().ask({ kind: 'reprint', ticketId: ticket.id })}>
                      {t('orders.ticket.reprint')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canCancel && valid.length > 0 && action === undefined ? (
        <button type="button" className="button" onClick={() => store.getState().ask({ kind: 'cancel', ticketIds: toCancel })}>
          {t('orders.cancel.button')}
        </button>
      ) : null}
      {action?.kind === 'cancel' ? <CancelConfirm store={store} order={order} count={action.ticketIds.length} /> : null}
      {action?.kind === 'reprint' ? <ReprintConfirm store={store} ticket={order.tickets.find((ticket) => ticket.id === action.ticketId)} print={currentPrint(prints, action.ticketId)} /> : null}
      <PrintHistory prints={prints} order={order} />
    </section>
  );
}

function CancelConfirm({ store, order, count }: { readonly store: OrdersStore; readonly order: OrderView; readonly count: number }) {
  const { t } = useI18n();
  const busy = useStore(store, (state) => state.busy);
  const paidCash = order.payments.some((payment) => payment.method === 'cash');
  const [reason, setReason] = useState('');
  const [refund, setRefund] = useState<'cash' | 'card' | 'none'>(paidCash ? 'cash' : 'none');
  const [reference, setReference] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, []);
  const valid = reason.trim().length >= 3 && (refund !== 'card' || reference.trim() !== '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    void store.getState().cancel({
      reason: reason.trim(),
      ...(refund === 'cash' ? { refund: { method: 'cash' as const } } : refund === 'card' ? { refund: { method: 'card' as const, reference: reference.trim() } } : {}),
    });
  };
  return (
    <form className="confirm" onSubmit={submit} aria-labelledby="cancel-heading" data-testid="cancel-confirm">
      <h3 id="cancel-heading">{t('orders.cancel.heading')}</h3>
      <p>{t('orders.cancel.what', { count, number: order.orderNumber })}</p>
      <p className="notice notice--warning">{t('orders.cancel.barcode')}</p>
      <label className="form__field">
        <span>{t('orders.cancel.reason')}</span>
        <input
          ref={first}
          required
          minLength={3}
          maxLength={500}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
          }}
        />
      </label>
      <fieldset>
        <legend>{t('orders.cancel.refund')}</legend>
        {(['cash', 'card', 'none'] as const).map((option) => (
          <label key={option} className="radio">
            <input type="radio" name="refund" value={option} checked={refund === option} onChange={() => setRefund(option)} />
            {t(option === 'cash' ? 'orders.cancel.refundCash' : option === 'card' ? 'orders.cancel.refundCard' : 'orders.cancel.refundNone')}
          </label>
        ))}
      </fieldset>
      {refund === 'card' ? (
        <label className="form__field">
          <span>{t('orders.cancel.cardReference')}</span>
          <input maxLength={100} value={reference} onChange={(event) => setReference(event.target.value)} />
        </label>
      ) : null}
      <ConfirmButtons store={store} disabled={busy || !valid} label={t('orders.cancel.confirm')} />
    </form>
  );
}

function ReprintConfirm({ store, ticket, print }: { readonly store: OrdersStore; readonly ticket: Ticket | undefined; readonly print: PrintRecord | undefined }) {
  const { t } = useI18n();
  const label = useTicketLabel();
  const busy = useStore(store, (state) => state.busy);
  const [reason, setReason] = useState<ReprintReason>('damaged');
  const [note, setNote] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, []);
  if (ticket === undefined || print === undefined) return null;
  const valid = reason !== 'other' || note.trim() !== '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    void store.getState().reprint(reason, note.trim() === '' ? undefined : note.trim());
  };
  return (
    <form className="confirm" onSubmit={submit} aria-labelledby="reprint-heading" data-testid="reprint-confirm">
      <h3 id="reprint-heading">{t('orders.reprint.heading')}</h3>
      <p>{t('orders.reprint.what', { ticket: label(ticket) })}</p>
      <p className="notice notice--warning">{t('orders.reprint.barcode', { blank: print.blankNumber })}</p>
      <label className="form__field">
        <span>{t('orders.reprint.reason')}</span>
        <select ref={first} value={reason} onChange={(event) => setReason(event.target.value as ReprintReason)}>
          {REPRINT_REASONS.map((value) => (
            <option key={value} value={value}>
              {t(`orders.reprint.reason.${value}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="form__field">
        <span>{t('orders.reprint.note')}</span>
        <input maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} />
      </label>
      <ConfirmButtons store={store} disabled={busy || !valid} label={t('orders.reprint.confirm')} />
    </form>
  );
}

/** Submit (the action) and back; Esc does the same as back. */
function ConfirmButtons({ store, disabled, label }: { readonly store: OrdersStore; readonly disabled: boolean; readonly label: string }) {
  const { t } = useI18n();
  return (
    <div className="confirm__buttons">
      <button type="submit" className="button button--primary" disabled={disabled}>
        {label}
      </button>
      <button type="button" className="button" onClick={() => store.getState().ask(undefined)}>
        {t('orders.back')}
      </button>
    </div>
  );
}

function PrintHistory({ prints, order }: { readonly prints: readonly PrintRecord[] | undefined; readonly order: OrderView }) {
  const { t, language } = useI18n();
  const label = useTicketLabel();
  if (prints === undefined) return null;
  const tickets = new Map(order.tickets.map((ticket) => [ticket.id, ticket]));
  return (
    <section aria-labelledby="prints-heading">
      <h3 id="prints-heading">{t('orders.prints')}</h3>
      {prints.length === 0 ? (
        <p>{t('orders.prints.none')}</p>
      ) : (
        <table className="table" data-testid="print-history">
          <thead>
            <tr>
              <th scope="col">{t('orders.prints.blank')}</th>
              <th scope="col">{t('orders.ticket')}</th>
              <th scope="col">{t('orders.prints.state')}</th>
              <th scope="col">{t('orders.prints.when')}</th>
              <th scope="col">{t('orders.prints.who')}</th>
              <th scope="col">{t('orders.prints.why')}</th>
            </tr>
          </thead>
          <tbody>
            {prints.map((print) => {
              const ticket = tickets.get(print.ticketId);
              const state = print.status === 'void' ? `orders.prints.void.${print.voidReason ?? 'cancelled'}` : `orders.prints.${print.status}`;
              return (
                <tr key={print.printId} data-status={print.status}>
                  <td>{print.blankNumber}</td>
                  <td>{ticket === undefined ? '' : label(ticket)}</td>
                  <td>{t(state as MessageKey)}</td>
                  <td>{formatDateTime(print.confirmedAt ?? print.issuedAt, language)}</td>
                  <td>
                    {print.issuedBy.displayName} / {print.workstation.name}
                  </td>
                  <td>
                    {print.reprint === null
                      ? ''
                      : t('orders.prints.reprintOf', { blank: print.reprint.previousBlankNumber, reason: t(`orders.reprint.reason.${print.reprint.reason}` as MessageKey) })}
                    {print.reprint !== null && print.reprint.note !== null ? ` (${print.reprint.note})` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
