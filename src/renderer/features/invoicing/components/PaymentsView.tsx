import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { EscrowTransactionView, InvoiceView } from '../../../../shared/api/invoicing.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { centsForCsv, parseEuroInput } from '../../../lib/list-tools.js';
import { failureMessage, formatDay, localDay } from '../../../lib/office-format.js';
import type { InvoicingStore } from '../store.js';

/** Incoming escrow payments: statement import with its review, and booking a transfer by hand. */
export function PaymentsView({ store, now }: { store: InvoicingStore; now: () => number }) {
  return (
    <>
      <StatementImport store={store} />
      <ImportReview store={store} />
      <PaymentForm store={store} now={now} />
    </>
  );
}

export function StatementImport({ store }: { store: InvoicingStore }) {
  const { t } = useI18n();
  const state = useStore(store, (s) => s.import);
  const inputRef = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'reading' || state.phase === 'uploading';
  return (
    <section className="office-panel" aria-labelledby="import-heading">
      <h3 id="import-heading">{t('invoicing.import.heading')}</h3>
      <label>
        {t('invoicing.import.file')}
        <input
          ref={inputRef}
          type="file"
          accept=".xml,.csv,application/xml,text/xml,text/csv"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file === undefined) return;
            void store
              .getState()
              .importStatement(file)
              .then(() => {
                if (inputRef.current !== null) inputRef.current.value = '';
              });
          }}
        />
      </label>
      {busy ? (
        <div role="status" className="office-progress">
          <progress aria-label={t(state.phase === 'reading' ? 'invoicing.import.reading' : 'invoicing.import.uploading', { name: state.fileName ?? '' })} />
          <span>{t(state.phase === 'reading' ? 'invoicing.import.reading' : 'invoicing.import.uploading', { name: state.fileName ?? '' })}</span>
        </div>
      ) : null}
      {state.phase === 'failed' && state.error !== null ? <p role="alert">{failureMessage(t, state.error, 'invoicing')}</p> : null}
      {state.phase === 'done' && state.result !== null ? (
        <div role="status">
          <p>{t('invoicing.import.done', { ref: state.result.statementRef })}</p>
          <p className="office-counts" data-testid="import-counts">
            {t('invoicing.import.counts', { matched: state.result.matched, unmatched: state.result.unmatched, rejected: state.result.rejected })}
          </p>
        </div>
      ) : null}
    </section>
  );
}

/**
 * Unmatched transfers: each can be assigned by typing the invoice number (the server refuses a paid
 * invoice, and the row says why), or several can be set aside at once with one reason.
 */
export function ImportReview({ store }: { store: InvoicingStore }) {
  const { t } = useI18n();
  const rows = useStore(store, (s) => s.unmatched);
  const assignErrors = useStore(store, (s) => s.assignErrors);
  const busy = useStore(store, (s) => s.busy);
  const actionError = useStore(store, (s) => s.actionError);
  const [numbers, setNumbers] = useState<Readonly<Record<string, string>>>({});
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');

  const columns = useMemo<Column<EscrowTransactionView>[]>(
    () => [
      { key: 'date', label: t('invoicing.review.date'), value: (r) => r.bookingDate, render: (r) => formatDay(r.bookingDate) },
      { key: 'payer', label: t('invoicing.review.payer'), value: (r) => r.payerName },
      { key: 'reference', label: t('invoicing.review.reference'), value: (r) => r.reference },
      { key: 'amount', label: t('invoicing.review.amount'), value: (r) => r.amountCents, render: (r) => formatEuro(r.amountCents), csv: (r) => centsForCsv(r.amountCents), numeric: true },
      {
        key: 'assign',
        label: t('invoicing.review.assign'),
        sortable: false,
        value: () => null,
        csv: () => null,
        render: (r) => {
          const error = assignErrors[r.id];
          const errorId = `assign-error-${r.id}`;
          return (
            <form
              className="office-inline"
              onSubmit={(e) => {
                e.preventDefault();
                const table = e.currentTarget.closest('table');
                void store
                  .getState()
                  .assign(r.id, numbers[r.id] ?? '')
                  .then((done) => {
                    // The row is gone: the next waiting payment's number field takes the focus.
                    if (done) table?.querySelector<HTMLInputElement>('tbody input[type="text"]')?.focus();
                  });
              }}
            >
              <input
                type="text"
                aria-label={t('invoicing.review.assignTo', { payer: r.payerName })}
                aria-invalid={error === undefined ? undefined : true}
                aria-describedby={error === undefined ? undefined : errorId}
                value={numbers[r.id] ?? ''}
                maxLength={40}
                onChange={(e) => setNumbers({ ...numbers, [r.id]: e.target.value })}
              />
              <button type="submit" className="button" disabled={busy}>
                {t('invoicing.review.assign')}
              </button>
              {error === undefined ? null : (
                <span id={errorId} role="alert" className="office-error">
                  {failureMessage(t, error, 'invoicing')}
                </span>
              )}
            </form>
          );
        },
      },
    ],
    [t, assignErrors, numbers, busy, store],
  );

  const discard = (event: FormEvent) => {
    event.preventDefault();
    void store
      .getState()
      .discard([...selected].filter((id) => rows.some((r) => r.id === id)), reason)
      .then((done) => {
        if (done > 0) {
          setSelected(new Set());
          setReason('');
        }
      });
  };

  return (
    <section className="office-panel" aria-labelledby="review-heading">
      <h3 id="review-heading">{t('invoicing.review.caption')}</h3>
      <p className="office-hint">{t('invoicing.review.assignHint')}</p>
      {rows.length === 0 ? (
        <p>{t('invoicing.review.empty')}</p>
      ) : (
        <>
          <DataTable
            caption={t('invoicing.review.caption')}
            rows={rows}
            columns={columns}
            rowKey={(r) => r.id}
            selection={{ selected, onChange: setSelected, label: (r) => `${r.payerName} ${formatEuro(r.amountCents)}` }}
            exportName="zahlungseingaenge.csv"
          />
          <form className="office-form office-form--row" onSubmit={discard} aria-label={t('invoicing.review.discardHeading')}>
            <label>
              {t('invoicing.review.discardReason')}
              <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            </label>
            <button type="submit" className="button" disabled={busy || selected.size === 0}>
              {t('invoicing.review.discard', { count: selected.size })}
            </button>
          </form>
        </>
      )}
      {actionError !== null ? <p role="alert">{failureMessage(t, actionError, 'invoicing')}</p> : null}
    </section>
  );
}

/** Books a transfer by hand: for the open invoice (amount, payer and reference prefilled) or unassigned. */
export function PaymentForm({ store, now, invoice }: { store: InvoicingStore; now: () => number; invoice?: InvoiceView }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const [amount, setAmount] = useState(() => (invoice === undefined ? '' : (invoice.openCents / 100).toFixed(2).replace('.', ',')));
  const [date, setDate] = useState(() => localDay(now()));
  const [payer, setPayer] = useState(invoice?.recipient?.name ?? '');
  const [reference, setReference] = useState(invoice?.numberLabel ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const payment = { amountCents: parseEuroInput(amount) ?? Number.NaN, bookingDate: date, payerName: payer.trim(), reference: reference.trim() };
    void store
      .getState()
      .bookPayment(invoice === undefined ? payment : { ...payment, invoiceId: invoice.id })
      .then((done) => {
        if (done && invoice === undefined) {
          setAmount('');
          setPayer('');
          setReference('');
        }
      });
  };
  const headingId = invoice === undefined ? 'manual-heading' : 'book-heading';
  return (
    <section className="office-panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('invoicing.book.heading')}</h3>
      {invoice === undefined ? <p className="office-hint">{t('invoicing.book.unassignedHint')}</p> : null}
      <form className="office-form office-form--row" onSubmit={submit}>
        <label>
          {t('invoicing.book.amount')}
          <input type="text" inputMode="decimal" value={amount} required onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label>
          {t('invoicing.book.date')}
          <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
        </label>
        <label>
          {t('invoicing.book.payer')}
          <input type="text" value={payer} required maxLength={200} onChange={(e) => setPayer(e.target.value)} />
        </label>
        <label>
          {t('invoicing.book.reference')}
          <input type="text" value={reference} maxLength={1000} onChange={(e) => setReference(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={busy}>
          {t('invoicing.book.submit')}
        </button>
      </form>
    </section>
  );
}
