import { useEffect, useRef } from 'react';
import { useI18n } from '../../../i18n/context.js';
import { formatInstant } from '../../../lib/office-format.js';
import type { OneTimePassword as OneTime } from '../store.js';

/**
 * The initial password, shown once: large, in a monospaced font, grouped for reading aloud, with its
 * expiry. Closing it forgets it; the server keeps only the hash. Not a modal: the clerk can still
 * navigate, and focus lands on the password so a screen reader reads it out.
 */
export function OneTimePassword({ secret, onDone }: { secret: OneTime; onDone: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLOutputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [secret.password]);
  return (
    <section className="office-panel office-onetime" aria-labelledby="onetime-heading" role="region">
      <h3 id="onetime-heading">{t('admin.onetime.heading', { login: secret.login })}</h3>
      <p>{t('admin.onetime.explain')}</p>
      <output ref={ref} tabIndex={-1} className="office-onetime__password" data-testid="one-time-password">
        {secret.password}
      </output>
      <p>{t('admin.onetime.expires', { at: formatInstant(secret.expiresAt) })}</p>
      <button type="button" className="button button--primary" onClick={onDone}>
        {t('admin.onetime.done')}
      </button>
    </section>
  );
}
