/** The till screen as the shell opens it: builds the store from the app's services once. */
import { useCallback, useMemo } from 'react';
import { useServices } from '../../app/services.js';
import { useI18n } from '../../i18n/context.js';
import { ErrorNotice } from '../../lib/ErrorNotice.js';
import { usePdfDownload } from '../use-pdf-download.js';
import { createTillBackend } from './backend.js';
import { TillScreen } from './components/TillScreen.js';
import { createTillStore } from './store.js';

export function TillRoute() {
  const services = useServices();
  const { language } = useI18n();
  const backend = useMemo(() => createTillBackend(services.backend), [services]);
  const store = useMemo(
    () =>
      createTillStore({
        backend,
        workstationId: () => {
          const check = services.session.getState().workstation;
          return check.state === 'ok' ? check.whoami.workstation.id : undefined;
        },
      }),
    [backend, services],
  );
  const format = useMemo(() => new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }), [language]);
  const formatDateTime = useCallback((iso: string) => format.format(new Date(iso)), [format]);
  const { error: pdfError, download } = usePdfDownload();
  const closingPdf = backend.closingPdf;
  const onPdf = useMemo(
    () => (closingPdf === undefined ? undefined : (closing: { tillSessionId: string; closingLabel: string }) => download(() => closingPdf(closing.tillSessionId), `${closing.closingLabel}.pdf`)),
    [closingPdf, download],
  );
  return (
    <>
      {pdfError !== null && <ErrorNotice error={pdfError} />}
      <TillScreen store={store} formatDateTime={formatDateTime} onPdf={onPdf} />
    </>
  );
}
