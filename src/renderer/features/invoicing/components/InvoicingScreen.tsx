import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { Permission } from '../../../../shared/domain/permissions.js';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import { failureMessage } from '../../../lib/office-format.js';
import { useAltKeys } from '../../../lib/use-alt-keys.js';
import { invoicingApi } from '../api.js';
import { createInvoicingStore, type InvoicingStore, type InvoicingView } from '../store.js';
import { CreateInvoice, Exports } from './CreateInvoice.js';
import { InvoiceDetail } from './InvoiceDetail.js';
import { InvoiceList, OpenItems } from './InvoiceList.js';
import { PaymentsView } from './PaymentsView.js';
import { useEffect } from 'react';

const TABS: ReadonlyArray<{ view: InvoicingView; key: string }> = [
  { view: 'invoices', key: 'R' },
  { view: 'open', key: 'O' },
  { view: 'payments', key: 'Z' },
];
const SEARCH_ID = 'invoice-quick-search';

/** The registry's entry point: builds the store over the app's backend port. */
export function InvoicingScreen() {
  const services = useServices();
  const api = useMemo(() => invoicingApi(services.backend), [services.backend]);
  const store = useMemo(() => createInvoicingStore({ api }), [api]);
  const permissions = useStore(services.session, (s) => s.session?.permissions);
  const workstation = useStore(services.session, (s) => s.workstation);
  const can = (p: Permission) => permissions?.includes(p) === true;
  return <InvoicingView store={store} api={api} can={can} now={services.now} tenantKind={workstation.state === 'ok' ? workstation.whoami.tenant.kind : undefined} />;
}

export interface InvoicingViewProps {
  readonly store: InvoicingStore;
  readonly api: ReturnType<typeof invoicingApi>;
  readonly can: (permission: Permission) => boolean;
  readonly now: () => number;
  readonly tenantKind: string | undefined;
}

export function InvoicingView({ store, api, can, now, tenantKind }: InvoicingViewProps) {
  const { t } = useI18n();
  const view = useStore(store, (s) => s.view);
  const notice = useStore(store, (s) => s.notice);
  const actionError = useStore(store, (s) => s.actionError);
  const listError = useStore(store, (s) => s.listError);
  const tabs = TABS.filter((tab) => tab.view !== 'payments' || can('payments.book'));

  useEffect(() => {
    void store.getState().loadInvoices();
  }, [store]);

  useAltKeys({
    r: () => store.getState().setView('invoices'),
    o: () => store.getState().setView('open'),
    ...(can('payments.book') ? { z: () => store.getState().setView('payments') } : {}),
    s: () => {
      store.getState().setView('invoices');
      // After the switch has rendered the list.
      setTimeout(() => document.getElementById(SEARCH_ID)?.focus(), 0);
    },
  });

  return (
    <div className="office-screen">
      <h2>{t('invoicing.title')}</h2>
      <div role="tablist" aria-label={t('invoicing.tabs')} className="office-tabs">
        {tabs.map((tab) => (
          <button
            key={tab.view}
            type="button"
            role="tab"
            id={`invoicing-tab-${tab.view}`}
            aria-selected={view === tab.view}
            aria-controls="invoicing-panel"
            aria-keyshortcuts={`Alt+${tab.key}`}
            className="button office-tab"
            onClick={() => store.getState().setView(tab.view)}
          >
            {t(`invoicing.tab.${tab.view}`)} <kbd>{t('invoicing.shortcut', { key: tab.key })}</kbd>
          </button>
        ))}
      </div>
      <div aria-live="polite" className="office-messages">
        {notice === null ? null : <p className="office-notice">{t(`invoicing.notice.${notice.key}`, { label: notice.label })}</p>}
      </div>
      {actionError !== null && view !== 'payments' ? <p role="alert">{failureMessage(t, actionError, 'invoicing')}</p> : null}
      {listError !== null ? <p role="alert">{failureMessage(t, listError, 'invoicing')}</p> : null}
      <div role="tabpanel" id="invoicing-panel" aria-labelledby={`invoicing-tab-${view}`} className="office-split">
        <div className="office-split__main">
          {view === 'invoices' ? (
            <>
              <InvoiceList store={store} searchId={SEARCH_ID} />
              {can('invoices.issue') ? <CreateInvoice store={store} tenantKind={tenantKind} /> : null}
              <Exports store={store} api={api} />
            </>
          ) : null}
          {view === 'open' ? <OpenItems store={store} /> : null}
          {view === 'payments' ? <PaymentsView store={store} now={now} /> : null}
        </div>
        {view === 'payments' ? null : (
          <div className="office-split__side">
            <InvoiceDetail store={store} api={api} can={can} now={now} />
          </div>
        )}
      </div>
    </div>
  );
}
