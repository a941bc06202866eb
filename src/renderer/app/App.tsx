import { useEffect } from 'react';
import { useI18n } from '../i18n/context.js';
import { AuthGate } from './AuthGate.js';
import { screenIdFromHash, type NavigationStore } from './navigation.js';
import type { ScreenDefinition } from './screens.js';
import { ServicesProvider, type AppServices } from './services.js';
import { Shell } from './Shell.js';

export interface AppProps {
  readonly services: AppServices;
  readonly screens: readonly ScreenDefinition[];
  readonly navigation: NavigationStore;
}

export function App({ services, screens, navigation }: AppProps) {
  const { language, t } = useI18n();

  // Screen readers pick pronunciation from <html lang>; keep it in step with the switch.
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  // The open screen lives in the hash (#/sales), so reload and back/forward keep it.
  useEffect(() => {
    const fromHash = () => {
      const id = screenIdFromHash(window.location.hash);
      if (id !== undefined && id !== navigation.getState().current) navigation.getState().go(id);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    const unsubscribe = navigation.subscribe((state) => {
      if (state.current !== undefined && screenIdFromHash(window.location.hash) !== state.current) window.location.hash = `#/${state.current}`;
    });
    return () => {
      window.removeEventListener('hashchange', fromHash);
      unsubscribe();
    };
  }, [navigation]);

  return (
    <ServicesProvider services={services}>
      <AuthGate>
        <Shell screens={screens} navigation={navigation} />
      </AuthGate>
    </ServicesProvider>
  );
}
