import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ApiError } from '../../../../shared/api-client/errors.js';
import {
  checkPasswordRules,
  isPasswordAcceptable,
  PASSWORD_RULE_TEXT,
  PASSWORD_SERVER_RULE_TEXT,
  type PasswordRuleText,
} from '../../../../shared/domain/password-rules.js';
import { LanguageSwitch } from '../../../app/LanguageSwitch.js';
import { useServices } from '../../../app/services.js';
import { CheckIcon, CrossIcon } from '../../../app/icons.js';
import { useI18n } from '../../../i18n/context.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import { TextField } from './TextField.js';

const RULE_TEXTS: Readonly<Record<string, PasswordRuleText>> = { ...PASSWORD_RULE_TEXT, ...PASSWORD_SERVER_RULE_TEXT };

/** The forced change at first login (or after a reset): a live checklist of the same rules the server applies. */
export function PasswordChangeScreen() {
  const { t, language } = useI18n();
  const { session } = useServices();
  const info = useStore(session, (state) => state.session);
  const busy = useStore(session, (state) => state.busy);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    firstField.current?.focus();
  }, []);

  const context = { login: info?.user.login ?? '', displayName: info?.user.displayName };
  const check = checkPasswordRules(next, context);
  const matches = next !== '' && next === repeat;
  const acceptable = isPasswordAcceptable(check) && matches && current !== '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!acceptable) return;
    setError(undefined);
    const result = await session.getState().changePassword(current, next);
    if (!result.ok) setError(result.error);
  };

  const rejected = error?.code === 'PASSWORD_REJECTED' && error.failedRules !== undefined ? error.failedRules : undefined;

  return (
    <div className="auth">
      <header className="auth__header">
        <p className="shell__title">{t('app.title')}</p>
        <LanguageSwitch />
      </header>
      <main className="auth__main">
        <h1>{t('auth.change.heading')}</h1>
        <p>{t('auth.change.intro')}</p>
        <form className="form" onSubmit={(event) => void submit(event)} aria-busy={busy}>
          <TextField
            label={t('auth.change.current')}
            inputRef={firstField}
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onValue={setCurrent}
          />
          <TextField
            label={t('auth.change.new')}
            type="password"
            autoComplete="new-password"
            required
            aria-describedby="password-rules"
            value={next}
            onValue={setNext}
          />
          <TextField
            label={t('auth.change.repeat')}
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onValue={setRepeat}
          />
          <div id="password-rules" className="checklist">
            <p>{t('auth.change.rules')}</p>
            <ul aria-live="polite">
              {check.rules.map((rule) => (
                <ChecklistItem key={rule.id} id={rule.id} passed={rule.passed} text={PASSWORD_RULE_TEXT[rule.id][language]} />
              ))}
              <ChecklistItem id="match" passed={matches} text={t('auth.change.match')} />
            </ul>
          </div>
          {rejected === undefined ? null : (
            <p className="notice notice--error" role="alert" data-code="PASSWORD_REJECTED">
              {t('auth.change.rejected', { rules: rejected.map((id) => RULE_TEXTS[id]?.[language] ?? id).join('; ') })}
            </p>
          )}
          {error === undefined || rejected !== undefined ? null : <ErrorNotice error={error} />}
          <button type="submit" className="button button--primary" disabled={busy || !acceptable}>
            {t('auth.change.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}

function ChecklistItem({ id, passed, text }: { readonly id: string; readonly passed: boolean; readonly text: string }) {
  const { t } = useI18n();
  return (
    <li className={passed ? 'checklist__item checklist__item--met' : 'checklist__item'} data-rule={id} data-passed={passed}>
      {passed ? <CheckIcon /> : <CrossIcon />}
      <span>{text}</span>
      <span className="visually-hidden">({t(passed ? 'auth.change.ruleMet' : 'auth.change.ruleOpen')})</span>
    </li>
  );
}
