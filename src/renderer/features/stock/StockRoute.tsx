/** The printing and stock screen as the shell opens it: builds the store from the app's services once. */
import { useCallback, useEffect, useMemo } from 'react';
import { useServices } from '../../app/services.js';
import { useI18n } from '../../i18n/context.js';
import { ErrorNotice } from '../../lib/ErrorNotice.js';
import { usePdfDownload } from '../use-pdf-download.js';
import { createStationPrinting, createStockBackend } from './backend.js';
import { StockScreen } from './components/StockScreen.js';
import { createStockStore, type WarnLevelStorage } from './store.js';

const WARN_LEVEL_KEY = 'boxoffice.stock.warnLevel';

/** The warning level is a setting of this station (this browser profile), like its printer. */
function localWarnLevel(storage: Storage | undefined): WarnLevelStorage {
  return {
    get: () => {
      const raw = storage?.getItem(WARN_LEVEL_KEY);
      return raw !== null && raw !== undefined && /^\d{1,5}$/.test(raw) ? Number(raw) : undefined;
    },
    set: (level) => storage?.setItem(WARN_LEVEL_KEY, String(level)),
  };
}

export function StockRoute() {
  const services = useServices();
  const { language } = useI18n();
  const backend = useMemo(() => createStockBackend(services.backend), [services]);
  const store = useMemo(() => {
    const session = services.session.getState();
    let storage: Storage | undefined;
    try {
      storage = window.localStorage;
    } catch {
      storage = undefined;
    }
    return createStockStore({
      backend,
      station: services.bridge === undefined ? undefined : createStationPrinting(services.bridge),
      canPrint: session.hasAny(['tickets.print']),
      canManage: session.hasAny(['stock.manage']),
      warnLevel: localWarnLevel(storage),
    });
  }, [backend, services]);
  // At the station, main reports printer changes (paper out, back online): the screen follows at once.
  const bridge = services.bridge;
  useEffect(() => bridge?.events.printerStatus(() => void store.getState().refresh()), [bridge, store]);
  const format = useMemo(() => new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }), [language]);
  const formatDateTime = useCallback((iso: string) => format.format(new Date(iso)), [format]);
  const { error: pdfError, download } = usePdfDownload();
  const reportPdf = backend.reportPdf;
  const onReportPdf = useMemo(() => (reportPdf === undefined ? undefined : () => download(reportPdf, 'Blankobestand.pdf')), [reportPdf, download]);
  return (
    <>
      {pdfError !== null && <ErrorNotice error={pdfError} />}
      <StockScreen store={store} formatDateTime={formatDateTime} onReportPdf={onReportPdf} />
    </>
  );
}
