import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ApiError } from '../../../../shared/api-client/errors.js';
import { useEndNotice } from '../../../app/Shell.js';
import { useServices } from '../../../app/services.js';
import { LanguageSwitch } from '../../../app/LanguageSwitch.js';
import { useI18n } from '../../../i18n/context.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import { CertificateStatus } from './CertificateStatus.js';
import { TextField } from './TextField.js';

/** Certificate status, why the last session ended, and the password sign-in. */
export function LoginScreen() {
  const { t } = useI18n();
  const { session } = useServices();
  const busy = useStore(session, (state) => state.busy);
  const notice = useEndNotice();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const loginField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    loginField.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const result = await session.getState().login(login.trim(), password);
    if (!result.ok) {
      setError(result.error);
      setPassword('');
      loginField.current?.select();
    }
  };

  return (
    <div className="auth">
      <header className="auth__header">
        <p className="shell__title">{t('app.title')}</p>
        <LanguageSwitch />
      </header>
      <main className="auth__main">
        <h1>{t('auth.heading')}</h1>
        <CertificateStatus />
        {notice === undefined ? null : (
          <p className="notice notice--warning" role="alert" data-testid="session-notice">
            {notice}
          </p>
        )}
        <form className="form" onSubmit={(event) => void submit(event)} aria-busy={busy}>
          <TextField
            label={t('auth.login')}
            inputRef={loginField}
            name="login"
            autoComplete="username"
            required
            maxLength={64}
            value={login}
            onValue={setLogin}
          />
          <TextField
            label={t('auth.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            value={password}
            onValue={setPassword}
          />
          {error === undefined ? null : <ErrorNotice error={error} />}
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('auth.submitting') : t('auth.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
