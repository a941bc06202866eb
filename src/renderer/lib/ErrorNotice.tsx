import { useI18n } from '../i18n/context.js';
import { errorText, type CodedError } from './error-messages.js';

/** A coded error as a sentence that says what to do (UX.md 24), with the code for support. */
export function ErrorNotice({ error }: { readonly error: CodedError }) {
  const { t } = useI18n();
  const text = errorText(error);
  return (
    <p className="notice notice--error" role="alert" data-code={error.code}>
      {t(text.key, text.params)}
    </p>
  );
}
