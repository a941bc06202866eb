import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { MaintenanceError } from '../../../app/MaintenanceBanner.js';
import { SCREENS, visibleScreens } from '../../../app/screens.js';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import { salesApi } from '../api.js';
import { createTicketPrinter } from '../print.js';
import { createSalesStore, type SalesStore } from '../store.js';
import { Cart } from './Cart.js';
import { EventOverview } from './EventOverview.js';
import { EventSearch } from './EventSearch.js';
import { PaymentPanel } from './PaymentPanel.js';
import { SaleResult } from './SaleResult.js';
import { UndoLastSale } from './UndoLastSale.js';
import { useSalesKeys } from './use-sales-keys.js';
import '../sales.css';

/** Paper in the printer (UX.md 8: the printer's state on the sale screen), as the server counts it. */
function TrayStatus({ store }: { readonly store: SalesStore }) {
  const { t } = useI18n();
  const tray = useStore(store, (state) => state.tray);
  if (tray === undefined) return null;
  if (tray.nextBlankNumber === null) {
    return (
      <p className="notice notice--warning" data-testid="tray-status">
        {t('sales.tray.empty')}
      </p>
    );
  }
  return (
    <p className={tray.available < 10 ? 'notice notice--warning' : 'notice'} data-testid="tray-status">
      {t('sales.tray.loaded', { next: tray.nextBlankNumber, available: tray.available })}
    </p>
  );
}

/** The registered screen: builds its store from the app's services once. */
export function SalesScreen() {
  const { backend, bridge } = useServices();
  const store = useMemo(() => createSalesStore({ api: salesApi(backend), printer: createTicketPrinter(backend, bridge) }), [backend, bridge]);
  return <SalesView store={store} />;
}

/** Search, event with seat map and F-keys, cart, payment and the last sale's result side by side. */
export function SalesView({ store }: { readonly store: SalesStore }) {
  const { t } = useI18n();
  const { session, navigate } = useServices();
  const till = useStore(store, (state) => state.till);
  const error = useStore(store, (state) => state.error);
  const event = useStore(store, (state) => state.event);
  const search = useRef<HTMLInputElement>(null);
  const workArea = useRef<HTMLDivElement>(null);
  const mayCancel = session.getState().hasAny(['sales.cancel']);
  const actions = useMemo(
    () => ({
      focusSearch: () => {
        search.current?.focus();
        search.current?.select();
      },
      ...(mayCancel ? { undo: () => store.getState().askUndo() } : {}),
    }),
    [mayCancel, store],
  );
  useSalesKeys(store, actions);

  useEffect(() => {
    void store.getState().checkTill();
    void store.getState().checkTray();
    search.current?.focus();
    // Leaving the screen gives reserved best-available seats back at once instead of after the hold time.
    return () => {
      void store.getState().clearCart();
    };
  }, [store]);

  const tillScreen = visibleScreens(SCREENS, session.getState().hasAny).find((screen) => screen.id === 'till');

  return (
    <div className="sales">
      <div className="sales__left">
        <EventSearch
          ref={search}
          store={store}
          onChosen={() => {
            workArea.current?.focus();
          }}
        />
        <TrayStatus store={store} />
        {till === 'closed' ? (
          <div className="notice notice--warning" role="alert" data-testid="till-closed">
            <p>{t('sales.till.closed')}</p>
            {tillScreen === undefined ? null : (
              <button type="button" className="button" onClick={() => navigate(tillScreen.id)}>
                {t('sales.till.open')} <kbd>Alt+{tillScreen.shortcut}</kbd>
              </button>
            )}
          </div>
        ) : null}
      </div>
      <div className="sales__work" ref={workArea} tabIndex={-1} aria-label={event?.name}>
        {error === undefined || (till === 'closed' && error.code === 'TILL_NOT_OPEN') ? null : error.code === 'MAINTENANCE' ? <MaintenanceError error={error} /> : <ErrorNotice error={error} />}
        {event === undefined ? null : <EventOverview store={store} />}
      </div>
      <div className="sales__right">
        <Cart store={store} />
        <PaymentPanel store={store} />
        <SaleResult store={store} onDone={actions.focusSearch} />
        {mayCancel ? <UndoLastSale store={store} onDone={actions.focusSearch} /> : null}
      </div>
    </div>
  );
}
