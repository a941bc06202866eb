import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { InvoiceableOrder } from '../../../../shared/api/invoicing.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useStore } from 'zustand';
import { useI18n } from '../../../i18n/context.js';
import { saveFile } from '../../../lib/download.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { centsForCsv } from '../../../lib/list-tools.js';
import { failureMessage, formatInstant } from '../../../lib/office-format.js';
import type { InvoicingApi } from '../api.js';
import type { InvoicingStore } from '../store.js';

/** Drafts from a business order, an outlet's period or a promoter's event; issuing happens in the detail. */
export function CreateInvoice({ store, tenantKind }: { store: InvoicingStore; tenantKind: string | undefined }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const settle = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().draftOutletSettlement(from, to);
  };
  return (
    <section className="office-panel" aria-labelledby="create-heading">
      <h3 id="create-heading">{t('invoicing.create.heading')}</h3>
      <WaitingOrders store={store} />
      {tenantKind === 'outlet' ? (
        <form className="office-form office-form--row" onSubmit={settle}>
          <label>
            {t('invoicing.create.outletFrom')}
            <input type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('invoicing.create.outletTo')}
            <input type="date" value={to} required onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={busy}>
            {t('invoicing.create.outletSubmit')}
          </button>
        </form>
      ) : null}
      {tenantKind === 'operator' ? (
        <IdForm label={t('invoicing.create.event')} submit={t('invoicing.create.eventSubmit')} busy={busy} run={(id) => store.getState().draftPromoterSettlement(id)} />
      ) : null}
    </section>
  );
}

/** The business orders waiting for an invoice; one button drafts it (then check and issue in the detail). */
function WaitingOrders({ store }: { store: InvoicingStore }) {
  const { t } = useI18n();
  const orders = useStore(store, (s) => s.invoiceable);
  const busy = useStore(store, (s) => s.busy);
  useEffect(() => {
    void store.getState().loadInvoiceable();
  }, [store]);
  const columns = useMemo<Column<InvoiceableOrder>[]>(
    () => [
      { key: 'number', label: t('invoicing.col.order'), value: (o) => o.orderNumber, numeric: true },
      { key: 'customer', label: t('invoicing.col.recipient'), value: (o) => o.customerName },
      { key: 'event', label: t('invoicing.col.event'), value: (o) => o.eventName },
      { key: 'date', label: t('invoicing.col.date'), value: (o) => o.createdAt, render: (o) => formatInstant(o.createdAt) },
      { key: 'total', label: t('invoicing.col.gross'), value: (o) => o.totalCents, render: (o) => formatEuro(o.totalCents), csv: (o) => centsForCsv(o.totalCents), numeric: true },
      {
        key: 'draft',
        label: t('invoicing.create.orderSubmit'),
        sortable: false,
        value: () => null,
        csv: () => null,
        render: (o) => (
          <button type="button" className="button" disabled={busy} aria-label={t('invoicing.create.draftFor', { number: o.orderNumber, customer: o.customerName })} onClick={() => void store.getState().draftForOrder(o.orderId)}>
            {t('invoicing.create.orderSubmit')}
          </button>
        ),
      },
    ],
    [t, busy, store],
  );
  return <DataTable caption={t('invoicing.create.waiting')} rows={orders} columns={columns} rowKey={(o) => o.orderId} initialSort={{ key: 'date', direction: 'asc' }} />;
}

/** One UUID field and its button (an order's or an event's id). */
function IdForm({ label, submit, busy, run }: { label: string; submit: string; busy: boolean; run: (id: string) => Promise<boolean> }) {
  const [id, setId] = useState('');
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(id).then((done) => {
      if (done) setId('');
    });
  };
  return (
    <form className="office-form office-form--row" onSubmit={send}>
      <label>
        {label}
        <input type="text" value={id} required pattern="[0-9a-fA-F\-]{36}" onChange={(e) => setId(e.target.value)} />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {submit}
      </button>
    </form>
  );
}

/** DATEV booking list of the issued invoices in the filter's period. */
export function Exports({ store, api }: { store: InvoicingStore; api: InvoicingApi }) {
  const { t } = useI18n();
  const filters = useStore(store, (s) => s.filters);
  const [error, setError] = useState<{ code: string } | null>(null);
  const fetchDocument = api.document;
  return (
    <section className="office-panel" aria-labelledby="export-heading">
      <h3 id="export-heading">{t('invoicing.export.heading')}</h3>
      {fetchDocument === undefined ? (
        <p className="office-hint">{t('invoicing.export.webOnly')}</p>
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => {
            setError(null);
            void fetchDocument(api.datevPath(filters.from || undefined, filters.to || undefined)).then((result) => {
              if (result.ok) saveFile(document, 'buchungen.csv', result.value);
              else setError(result.error);
            });
          }}
        >
          {t('invoicing.export.datev')}
        </button>
      )}
      {error === null ? null : <p role="alert">{failureMessage(t, error, 'invoicing')}</p>}
    </section>
  );
}
