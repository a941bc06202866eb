import type { LoggerOptions } from 'pino';

/**
 * Structured logs with request ids. Secrets never reach them: request headers are not logged at all
 * (the default serializer keeps method, url and address only), and known secret fields are redacted
 * wherever they appear in logged objects.
 */
export const REDACTED_PATHS = [
  'password',
  'passphrase',
  'token',
  'newPassword',
  'currentPassword',
  'initialPassword',
  '*.password',
  '*.passphrase',
  '*.token',
  '*.newPassword',
  '*.currentPassword',
  '*.initialPassword',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'boxoffice' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  };
}
