import { useI18n } from '../i18n/context.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/messages.js';

/** Plain buttons: reachable with Tab, activated with Enter or Space, state announced via aria-pressed. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((option) => (
        <button
          key={option}
          type="button"
          className="language-switch__button"
          lang={option}
          aria-pressed={option === language}
          onClick={() => {
            setLanguage(option);
          }}
        >
          {LANGUAGE_NAMES[option]}
        </button>
      ))}
    </div>
  );
}
