import { describe, expect, it } from 'vitest';
import { errorText } from '../../../src/renderer/lib/error-messages.js';
import { de, en } from '../../../src/renderer/i18n/messages.js';
import { t } from '../../../src/renderer/i18n/translate.js';
import { SESSION_END_REASONS } from '../../../src/shared/ipc/contract.js';
import { STATION_ERROR_CODES } from '../../../src/shared/ipc/error-codes.js';

describe('error texts', () => {
  it('has a German and an English text for every code that can reach the station UI', () => {
    for (const code of STATION_ERROR_CODES) {
      const { key } = errorText({ code });
      expect(key, code).toBe(`error.${code}`);
      expect(de[key], code).toBeTruthy();
      expect(en[key], code).toBeTruthy();
    }
  });

  it('says why a session ended, for every reason the server gives', () => {
    for (const reason of SESSION_END_REASONS) {
      const { key } = errorText({ code: 'SESSION_ENDED', reason });
      expect(key).toBe(`session.ended.${reason}`);
    }
    expect(errorText({ code: 'SESSION_ENDED', reason: 'cosmic_rays' }).key).toBe('error.SESSION_ENDED');
  });

  it('names the waiting time for throttled logins', () => {
    const text = errorText({ code: 'LOGIN_THROTTLED', retryAfterSeconds: 8 });
    expect(t('de', text.key, text.params)).toBe('Zu viele Fehlversuche. Bitte in 8 Sekunden erneut versuchen.');
  });

  it('falls back to a generic text that quotes an unknown code', () => {
    const text = errorText({ code: 'SOMETHING_NEW' });
    expect(t('de', text.key, text.params)).toContain('SOMETHING_NEW');
    expect(errorText({ code: 'constructor' }).key).toBe('error.UNKNOWN');
  });
});
