import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { InvoiceView } from '../../../../shared/api/invoicing.js';
import type { Permission } from '../../../../shared/domain/permissions.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { saveFile } from '../../../lib/download.js';
import { failureMessage, formatDay, formatInstant } from '../../../lib/office-format.js';
import type { InvoicingApi } from '../api.js';
import type { InvoicingStore } from '../store.js';
import { PaymentForm } from './PaymentsView.js';

export interface InvoiceDetailProps {
  readonly store: InvoicingStore;
  readonly api: InvoicingApi;
  readonly can: (permission: Permission) => boolean;
  readonly now: () => number;
}

/** The open invoice: content, totals, payment state, PDF preview and the actions its state allows. */
export function InvoiceDetail({ store, api, can, now }: InvoiceDetailProps) {
  const { t } = useI18n();
  const detail = useStore(store, (s) => s.detail);
  const detailError = useStore(store, (s) => s.detailError);
  const selectedId = useStore(store, (s) => s.selectedId);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Focus moves to the invoice that was opened, so keyboard users continue there.
  const openedId = detail?.id;
  useEffect(() => {
    if (openedId !== undefined) headingRef.current?.focus();
  }, [openedId]);

  if (selectedId === null) return null;
  if (detailError !== null) {
    return (
      <section className="office-panel office-detail">
        <p role="alert">{failureMessage(t, detailError, 'invoicing')}</p>
      </section>
    );
  }
  if (detail === null) return <p role="status">{t('invoicing.detail.loading')}</p>;

  const label = detail.numberLabel ?? t('invoicing.noNumber');
  const payable = detail.status === 'issued' && detail.kind !== 'cancellation' && detail.openCents > 0;
  const cancellable = detail.status === 'issued' && detail.kind !== 'cancellation';

  return (
    <section className="office-panel office-detail" aria-labelledby="invoice-detail-heading">
      <div className="office-detail__head">
        <h3 id="invoice-detail-heading" tabIndex={-1} ref={headingRef}>
          {t('invoicing.detail.heading', { number: label })}
        </h3>
        <button type="button" className="button" onClick={() => store.getState().close()}>
          {t('invoicing.detail.close')}
        </button>
      </div>
      <dl className="office-facts">
        <dt>{t('invoicing.col.kind')}</dt>
        <dd>{t(`invoicing.kind.${detail.kind}`)}</dd>
        <dt>{t('invoicing.col.status')}</dt>
        <dd>
          {t(`invoicing.status.${detail.status}`)}
          {detail.status === 'issued' && detail.kind !== 'cancellation' ? ` · ${t(`invoicing.payment.${detail.paymentState}`)}` : ''}
        </dd>
        <dt>{t('invoicing.detail.recipient')}</dt>
        <dd>{detail.recipient === null ? '—' : `${detail.recipient.name}, ${detail.recipient.street}, ${detail.recipient.postalCode} ${detail.recipient.city}`}</dd>
        <dt>{t('invoicing.detail.issueDate')}</dt>
        <dd>{formatDay(detail.issueDate)}</dd>
        <dt>{t('invoicing.detail.serviceDate')}</dt>
        <dd>{formatDay(detail.serviceDate)}</dd>
      </dl>
      {detail.cancelsInvoiceId === null ? null : <p>{t('invoicing.detail.cancels', { id: detail.cancelsInvoiceId })}</p>}
      {detail.cancelledAt === null ? null : <p className="office-flag">{t('invoicing.detail.cancelledBy', { date: formatInstant(detail.cancelledAt), reason: detail.cancelReason ?? '' })}</p>}
      <Lines invoice={detail} />
      <Documents invoice={detail} api={api} />
      {detail.status === 'draft' && can('invoices.issue') ? <DraftActions store={store} invoice={detail} /> : null}
      {cancellable && detail.cancelledByInvoiceId === null && can('invoices.cancel') ? <CancelForm store={store} invoice={detail} /> : null}
      {payable && can('payments.book') ? <PaymentForm key={detail.id} store={store} invoice={detail} now={now} /> : null}
    </section>
  );
}

const LINE_HEADERS = [
  ['invoicing.detail.line.description', false],
  ['invoicing.detail.line.quantity', true],
  ['invoicing.detail.line.unit', true],
  ['invoicing.detail.line.vat', true],
  ['invoicing.detail.line.total', true],
] as const;

function Lines({ invoice }: { invoice: InvoiceView }) {
  const { t } = useI18n();
  return (
    <table className="office-lines">
      <caption>{t('invoicing.detail.lines')}</caption>
      <thead>
        <tr>
          {LINE_HEADERS.map(([key, numeric]) => (
            <th key={key} scope="col" className={numeric ? 'data-table__num' : undefined}>
              {t(key)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {invoice.lines.map((line) => (
          <tr key={line.position}>
            <td>{line.description}</td>
            <td className="data-table__num">{line.quantity}</td>
            <td className="data-table__num">{formatEuro(line.unitGrossCents)}</td>
            <td className="data-table__num">{`${line.vatRateBp / 100} %`}</td>
            <td className="data-table__num">{formatEuro(line.lineGrossCents)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={4}>
            {t('invoicing.detail.net')}
          </th>
          <td className="data-table__num">{formatEuro(invoice.netCents)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={4}>
            {t('invoicing.detail.tax')}
          </th>
          <td className="data-table__num">{formatEuro(invoice.taxCents)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={4}>
            {t('invoicing.detail.gross')}
          </th>
          <td className="data-table__num">
            <strong>{formatEuro(invoice.grossCents)}</strong>
          </td>
        </tr>
        {invoice.status === 'issued' && invoice.kind !== 'cancellation' ? (
          <>
            <tr>
              <th scope="row" colSpan={4}>
                {t('invoicing.detail.paid')}
              </th>
              <td className="data-table__num">{formatEuro(invoice.paidCents)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={4}>
                {t('invoicing.detail.open')}
              </th>
              <td className="data-table__num">{formatEuro(invoice.openCents)}</td>
            </tr>
          </>
        ) : null}
      </tfoot>
    </table>
  );
}

/**
 * PDF preview and downloads. The PDF is fetched with the session (the bearer token is not a cookie, so
 * a plain link would not carry it) and shown from a blob: URL; the CSP allows exactly `frame-src blob:`.
 */
function Documents({ invoice, api }: { invoice: InvoiceView; api: InvoicingApi }) {
  const { t } = useI18n();
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string } | null>(null);
  const fetchDocument = api.document;
  const hasPdf = invoice.pdfSha256 !== null;

  useEffect(() => {
    if (!hasPdf || fetchDocument === undefined) return;
    let url: string | null = null;
    let gone = false;
    setPdfUrl(null);
    setError(null);
    void fetchDocument(api.pdfPath(invoice.id)).then((result) => {
      if (gone) return;
      if (!result.ok) {
        setError(result.error);
        return;
      }
      url = URL.createObjectURL(new Blob([result.value], { type: 'application/pdf' }));
      setPdfUrl(url);
    });
    return () => {
      gone = true;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [invoice.id, hasPdf, fetchDocument, api]);

  if (!hasPdf) return <p className="office-hint">{t('invoicing.detail.pdfDraft')}</p>;
  if (fetchDocument === undefined) return <p className="office-hint">{t('invoicing.detail.pdfStation')}</p>;

  const downloadXml = async () => {
    const result = await fetchDocument(api.xmlPath(invoice.id));
    if (!result.ok) {
      setError(result.error);
      return;
    }
    saveFile(document, `${invoice.numberLabel ?? invoice.id}.xml`, result.value);
  };

  return (
    <div className="office-documents">
      <div className="office-actions">
        {pdfUrl === null ? null : (
          <a className="button" href={pdfUrl} target="_blank" rel="noopener" download={`${invoice.numberLabel ?? invoice.id}.pdf`}>
            {t('invoicing.detail.pdf')}
          </a>
        )}
        {invoice.kind === 'cancellation' ? null : (
          <button type="button" className="button" onClick={() => void downloadXml()}>
            {t('invoicing.detail.xml')}
          </button>
        )}
      </div>
      {error === null ? null : <p role="alert">{failureMessage(t, error, 'invoicing')}</p>}
      {pdfUrl === null ? error === null ? <p role="status">{t('invoicing.detail.pdfLoading')}</p> : null : <iframe className="office-pdf" title={t('invoicing.detail.pdfPreview')} src={`${pdfUrl}#navpanes=0&view=FitH`} />}
    </div>
  );
}

function DraftActions({ store, invoice }: { store: InvoicingStore; invoice: InvoiceView }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  return (
    <div className="office-actions">
      <button type="button" className="button button--primary" disabled={busy} onClick={() => void store.getState().issue(invoice.id)}>
        {t('invoicing.issue')}
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => void store.getState().deleteDraft(invoice.id)}>
        {t('invoicing.deleteDraft')}
      </button>
    </div>
  );
}

function CancelForm({ store, invoice }: { store: InvoicingStore; invoice: InvoiceView }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store
      .getState()
      .cancel(invoice.id, reason)
      .then((done) => {
        if (done) setReason('');
      });
  };
  return (
    <form className="office-form" onSubmit={submit} aria-labelledby="cancel-heading">
      <h4 id="cancel-heading">{t('invoicing.cancel.heading')}</h4>
      <p className="office-hint">{t('invoicing.cancel.explain')}</p>
      <label>
        {t('invoicing.cancel.reason')}
        <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {t('invoicing.cancel.submit')}
      </button>
    </form>
  );
}
