/**
 * Composition root of the renderer: creates the stores and the side-effecting functions once and
 * passes them down, so components stay free of globals.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { getBridge } from './app/bridge.js';
import { createNavigationStore } from './app/navigation.js';
import { checkServerReadiness } from './app/readiness.js';
import { SCREENS } from './app/screens.js';
import type { AppServices } from './app/services.js';
import { createSessionStore } from './app/session-store.js';
import { I18nProvider } from './i18n/context.js';
import { createLanguageStore } from './i18n/store.js';
import { createBackend } from './lib/backend.js';
import { capabilitiesFor } from './lib/capabilities.js';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

const bridge = getBridge(window);
const languageStore = createLanguageStore('de');
const backend = createBackend(window, bridge);
const now = () => Date.now();
const navigation = createNavigationStore();
const services: AppServices = {
  backend,
  bridge,
  capabilities: capabilitiesFor(bridge),
  now,
  session: createSessionStore({ backend, now }),
  // Same origin as the page: the backend serves the renderer under /app/ and /health/ready beside it.
  checkServer: () => checkServerReadiness((input, init) => window.fetch(input, init), window.location.origin),
  navigate: (screenId) => {
    navigation.getState().go(screenId);
  },
};

createRoot(container).render(
  <StrictMode>
    <I18nProvider store={languageStore}>
      <App services={services} screens={SCREENS} navigation={navigation} />
    </I18nProvider>
  </StrictMode>,
);
