import { useState } from 'react';
import type { Permission } from '../../../../shared/domain/permissions.js';
import { useI18n } from '../../../i18n/context.js';
import { MESSAGES, type MessageKey } from '../../../i18n/messages.js';
import { ROLE_TEMPLATE_NAMES, templateRights } from '../rights.js';

/** The right's name in the UI language, or its technical name for a right newer than the texts. */
export function useRightLabel(): (right: string) => string {
  const { t } = useI18n();
  return (right) => {
    const key = `admin.right.${right}`;
    return Object.hasOwn(MESSAGES.de, key) ? t(key as MessageKey) : right;
  };
}

export interface RightsPickerProps {
  /** What the granter may hand out (grantableRights): nothing else is ever offered. */
  readonly grantable: readonly Permission[];
  readonly value: readonly Permission[];
  readonly onChange: (next: Permission[]) => void;
  readonly disabled?: boolean;
  readonly idPrefix: string;
}

/** Checkboxes for the grantable rights only, with the role templates as presets (cut to what is grantable). */
export function RightsPicker({ grantable, value, onChange, disabled = false, idPrefix }: RightsPickerProps) {
  const { t } = useI18n();
  const label = useRightLabel();
  const [cut, setCut] = useState(false);
  return (
    <fieldset className="office-rights" disabled={disabled}>
      <legend>{t('admin.rights.legend')}</legend>
      <p className="office-hint">{t('admin.rights.onlyGrantable')}</p>
      <div className="office-actions" role="group" aria-label={t('admin.rights.templates')}>
        {ROLE_TEMPLATE_NAMES.map((name) => (
          <button
            key={name}
            type="button"
            className="button"
            onClick={() => {
              const { rights, complete } = templateRights(name, grantable);
              setCut(!complete);
              onChange(rights);
            }}
          >
            {t(`admin.rights.template.${name}`)}
          </button>
        ))}
      </div>
      {cut ? <p role="status">{t('admin.rights.templateCut')}</p> : null}
      <ul className="office-rights__list">
        {grantable.map((right) => (
          <li key={right}>
            <input
              type="checkbox"
              id={`${idPrefix}-${right}`}
              checked={value.includes(right)}
              onChange={(e) => {
                setCut(false);
                onChange(e.target.checked ? [...value, right] : value.filter((r) => r !== right));
              }}
            />
            <label htmlFor={`${idPrefix}-${right}`}>
              {label(right)} <code>{right}</code>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
