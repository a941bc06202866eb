import { render } from '@testing-library/react';
import type { ScreenDefinition } from '../../../../src/renderer/app/screens.js';
import { App } from '../../../../src/renderer/app/App.js';
import { createNavigationStore } from '../../../../src/renderer/app/navigation.js';
import type { AppServices } from '../../../../src/renderer/app/services.js';
import { createSessionStore } from '../../../../src/renderer/app/session-store.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';
import { capabilitiesFor } from '../../../../src/renderer/lib/capabilities.js';
import type { FakeBackend } from '../support/fake-backend.js';

export const TEST_NOW = Date.parse('2026-12-04T18:00:00.000Z');

/** The whole app as main.tsx builds it, over a fake backend and with the given screen list. */
export function renderApp(backend: FakeBackend, screens: readonly ScreenDefinition[]) {
  const navigation = createNavigationStore();
  const session = createSessionStore({ backend, now: () => TEST_NOW });
  const services: AppServices = {
    backend,
    bridge: undefined,
    capabilities: capabilitiesFor(undefined),
    now: () => TEST_NOW,
    session,
    checkServer: async () => 'reachable',
    navigate: (id) => {
      navigation.getState().go(id);
    },
  };
  const view = render(
    <I18nProvider store={createLanguageStore('de')}>
      <App services={services} screens={screens} navigation={navigation} />
    </I18nProvider>,
  );
  return { ...view, session, navigation, services };
}
