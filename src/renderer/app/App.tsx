import { useEffect } from 'react';
import { useI18n } from '../i18n/context.js';
import type { BoxofficeApi } from './bridge.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import type { Reachability } from './readiness.js';
import { StatusPanel } from './StatusPanel.js';

export interface AppProps {
  readonly bridge: BoxofficeApi | undefined;
  readonly checkServer: () => Promise<Reachability>;
}

export function App({ bridge, checkServer }: AppProps) {
  const { language, t } = useI18n();

  // Screen readers pick pronunciation from <html lang>; keep it in step with the switch.
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  return (
    <div className="shell">
      <header className="shell__header">
        <h1 className="shell__title">{t('app.title')}</h1>
        <LanguageSwitch />
      </header>
      <main className="shell__main">
        <StatusPanel bridge={bridge} checkServer={checkServer} />
      </main>
    </div>
  );
}
