import { useMemo, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { InvoiceKind, InvoiceStatus, InvoiceSummary } from '../../../../shared/api/invoicing.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { centsForCsv, filterRows } from '../../../lib/list-tools.js';
import { formatDay } from '../../../lib/office-format.js';
import type { InvoicingStore } from '../store.js';

const STATUSES: readonly InvoiceStatus[] = ['draft', 'issued', 'cancelled'];
const KINDS: readonly InvoiceKind[] = ['business_order', 'outlet_settlement', 'promoter_settlement', 'cancellation'];

/** Columns shared by the invoice list and the open items. */
export function useInvoiceColumns(): Column<InvoiceSummary>[] {
  const { t } = useI18n();
  return useMemo(
    () => [
      { key: 'number', label: t('invoicing.col.number'), value: (r) => r.numberLabel, render: (r) => r.numberLabel ?? t('invoicing.noNumber') },
      { key: 'date', label: t('invoicing.col.date'), value: (r) => r.issueDate, render: (r) => formatDay(r.issueDate) },
      { key: 'recipient', label: t('invoicing.col.recipient'), value: (r) => r.recipientName },
      { key: 'kind', label: t('invoicing.col.kind'), value: (r) => t(`invoicing.kind.${r.kind}`) },
      { key: 'status', label: t('invoicing.col.status'), value: (r) => t(`invoicing.status.${r.status}`) },
      { key: 'gross', label: t('invoicing.col.gross'), value: (r) => r.grossCents, render: (r) => formatEuro(r.grossCents), csv: (r) => centsForCsv(r.grossCents), numeric: true },
      { key: 'open', label: t('invoicing.col.open'), value: (r) => r.openCents, render: (r) => formatEuro(r.openCents), csv: (r) => centsForCsv(r.openCents), numeric: true },
      { key: 'payment', label: t('invoicing.col.payment'), value: (r) => (r.status === 'issued' ? t(`invoicing.payment.${r.paymentState}`) : null) },
    ],
    [t],
  );
}

const summaryTexts = (r: InvoiceSummary) => [r.numberLabel, r.recipientName, r.issueDate];

/** Server-side filters (status, kind, period, recipient) plus a quick text search over what arrived. */
export function InvoiceList({ store, searchId }: { store: InvoicingStore; searchId: string }) {
  const { t } = useI18n();
  const filters = useStore(store, (s) => s.filters);
  const invoices = useStore(store, (s) => s.invoices);
  const state = useStore(store, (s) => s.invoicesState);
  const selectedId = useStore(store, (s) => s.selectedId);
  const [quick, setQuick] = useState('');
  const columns = useInvoiceColumns();
  const shown = useMemo(() => filterRows(invoices, quick, summaryTexts), [invoices, quick]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().loadInvoices();
  };

  return (
    <section aria-labelledby="invoice-filter-heading" className="office-panel">
      <h3 id="invoice-filter-heading">{t('invoicing.filter.heading')}</h3>
      <form className="office-form office-form--row" onSubmit={submit}>
        <label>
          {t('invoicing.filter.status')}
          <select
            value={filters.status ?? ''}
            onChange={(e) => {
              store.getState().setFilters({ status: (e.target.value || undefined) as InvoiceStatus | undefined });
            }}
          >
            <option value="">{t('invoicing.filter.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`invoicing.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('invoicing.filter.kind')}
          <select
            value={filters.kind ?? ''}
            onChange={(e) => {
              store.getState().setFilters({ kind: (e.target.value || undefined) as InvoiceKind | undefined });
            }}
          >
            <option value="">{t('invoicing.filter.any')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`invoicing.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('invoicing.filter.from')}
          <input type="date" value={filters.from ?? ''} onChange={(e) => store.getState().setFilters({ from: e.target.value })} />
        </label>
        <label>
          {t('invoicing.filter.to')}
          <input type="date" value={filters.to ?? ''} onChange={(e) => store.getState().setFilters({ to: e.target.value })} />
        </label>
        <label>
          {t('invoicing.filter.recipient')}
          <input type="text" value={filters.recipient ?? ''} maxLength={100} onChange={(e) => store.getState().setFilters({ recipient: e.target.value })} />
        </label>
        <button type="submit" className="button">
          {t('invoicing.filter.apply')}
        </button>
      </form>
      <label className="office-search">
        {t('invoicing.filter.quick')} <kbd>{t('invoicing.shortcut', { key: 'S' })}</kbd>
        <input id={searchId} type="search" value={quick} onChange={(e) => setQuick(e.target.value)} />
      </label>
      {state === 'loading' ? <p role="status">{t('list.loading')}</p> : null}
      <DataTable
        caption={t('invoicing.list.caption')}
        rows={shown}
        columns={columns}
        rowKey={(r) => r.id}
        onOpen={(r) => void store.getState().open(r.id)}
        exportName="rechnungen.csv"
        activeKey={selectedId ?? undefined}
        totalCount={invoices.length}
      />
    </section>
  );
}

/** Issued invoices not fully paid, with the open total. */
export function OpenItems({ store }: { store: InvoicingStore }) {
  const { t } = useI18n();
  const items = useStore(store, (s) => s.openItems);
  const state = useStore(store, (s) => s.openItemsState);
  const selectedId = useStore(store, (s) => s.selectedId);
  const columns = useInvoiceColumns();
  const total = items.reduce((sum, i) => sum + i.openCents, 0);
  return (
    <section className="office-panel" aria-label={t('invoicing.open.caption')}>
      {state === 'loading' ? <p role="status">{t('list.loading')}</p> : null}
      <p className="office-total">{t('invoicing.open.total', { amount: formatEuro(total) })}</p>
      <DataTable
        caption={t('invoicing.open.caption')}
        rows={items}
        columns={columns}
        rowKey={(r) => r.id}
        onOpen={(r) => void store.getState().open(r.id)}
        exportName="offene-posten.csv"
        initialSort={{ key: 'date', direction: 'asc' }}
        activeKey={selectedId ?? undefined}
      />
    </section>
  );
}
