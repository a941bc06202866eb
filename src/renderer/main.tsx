/**
 * Composition root of the renderer: creates the stores and the side-effecting functions once and
 * passes them down, so components stay free of globals.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { getBridge } from './app/bridge.js';
import { checkServerReadiness } from './app/readiness.js';
import { I18nProvider } from './i18n/context.js';
import { createLanguageStore } from './i18n/store.js';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

const languageStore = createLanguageStore('de');
// Same origin as the page: the backend serves the renderer under /app/ and /health/ready beside it.
const checkServer = () => checkServerReadiness((input, init) => window.fetch(input, init), window.location.origin);

createRoot(container).render(
  <StrictMode>
    <I18nProvider store={languageStore}>
      <App bridge={getBridge(window)} checkServer={checkServer} />
    </I18nProvider>
  </StrictMode>,
);
