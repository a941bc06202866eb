/** The entry screen as the shell opens it: builds the store from the app's services once. */
import { useMemo, useRef } from 'react';
import { useServices } from '../../app/services.js';
import { useI18n } from '../../i18n/context.js';
import { createDesktopEntryBackend, createWebEntryBackend, fetchEntryStats } from './backend.js';
import { EntryScreen } from './components/EntryScreen.js';
import { createWebAudioPort } from './sound.js';
import { createEntryStore } from './store.js';

export function EntryRoute() {
  const services = useServices();
  const i18n = useI18n();
  const latest = useRef(i18n);
  latest.current = i18n;
  const store = useMemo(() => {
    const backend =
      services.bridge === undefined
        ? createWebEntryBackend({ backend: services.backend, newNonce: () => window.crypto.randomUUID() })
        : createDesktopEntryBackend(services.bridge, (id) => fetchEntryStats(services.backend, id));
    return createEntryStore({
      backend,
      audio: createWebAudioPort(() => (typeof window.AudioContext === 'function' ? new window.AudioContext() : undefined)),
      now: services.now,
      timers: { setInterval: (fn, ms) => window.setInterval(fn, ms), clearInterval: (handle) => window.clearInterval(handle as number) },
      formatTime: (iso) =>
        new Intl.DateTimeFormat(latest.current.language === 'de' ? 'de-DE' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso)),
      deviceText: (device) => latest.current.t('entry.reason.device', { device }),
    });
  }, [services]);
  return <EntryScreen store={store} />;
}
