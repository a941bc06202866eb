import { MESSAGES, type MessageKey } from '../i18n/messages.js';
import type { MessageParams } from '../i18n/translate.js';

/** What arrives from the bridge or the API client: a code, and for some codes structured details. */
export interface CodedError {
  readonly code: string;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;
}

export interface ErrorText {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

const FALLBACK_WAIT_SECONDS = 60;

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES.de, key);
}

/**
 * Picks the text for a coded error. Codes cross the boundaries, texts never do: main and the server
 * send codes, and only here do they become German (or English) sentences.
 */
export function errorText(error: CodedError): ErrorText {
  if (error.code === 'SESSION_ENDED' && error.reason !== undefined) {
    const reasonKey = `session.ended.${error.reason}`;
    if (isMessageKey(reasonKey)) return { key: reasonKey };
  }
  const key = `error.${error.code}`;
  if (!isMessageKey(key)) return { key: 'error.UNKNOWN', params: { code: error.code } };
  if (error.code === 'LOGIN_THROTTLED' || error.code === 'TOO_MANY_REQUESTS') {
    return { key, params: { seconds: error.retryAfterSeconds ?? FALLBACK_WAIT_SECONDS } };
  }
  return { key };
}
