import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../../app/services.js';
import { CheckIcon, CrossIcon, HourglassIcon } from '../../../app/icons.js';
import { useI18n } from '../../../i18n/context.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';

/**
 * What the server says about this workstation's client certificate (GET /api/v1/whoami). In the
 * browser a missing or unknown certificate shows up as the server's refusal or as "not reachable":
 * the TLS handshake fails before any HTTP answer, and the browser does not say why.
 */
export function CertificateStatus() {
  const { t, language } = useI18n();
  const { session } = useServices();
  const workstation = useStore(session, (state) => state.workstation);

  useEffect(() => {
    void session.getState().checkWorkstation();
  }, [session]);

  if (workstation.state === 'checking') {
    return (
      <p className="status status--checking" role="status">
        <HourglassIcon />
        <span>{t('auth.certificate.checking')}</span>
      </p>
    );
  }
  if (workstation.state === 'ok') {
    const { whoami } = workstation;
    const until = new Date(whoami.workstation.certificateNotAfter).toLocaleDateString(language === 'de' ? 'de-DE' : 'en-GB');
    return (
      <p className="status status--ok" role="status" data-testid="certificate-status">
        <CheckIcon />
        <span>{t('auth.certificate.ok', { workstation: whoami.workstation.name, tenant: whoami.tenant.name, until })}</span>
      </p>
    );
  }
  return (
    <div role="alert" data-testid="certificate-status">
      <p className="status status--unreachable">
        <CrossIcon />
        <span>{t('auth.certificate.failed')}</span>
      </p>
      <ErrorNotice error={workstation.error} />
      <button
        type="button"
        className="button"
        onClick={() => {
          void session.getState().checkWorkstation();
        }}
      >
        {t('auth.certificate.retry')}
      </button>
    </div>
  );
}
