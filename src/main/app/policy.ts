/**
 * Security decisions of the Electron shell as plain functions. This file must not import electron:
 * the rules are unit-tested under plain Node, and guards.ts / protocol.ts only wire them up.
 */

/** Privileged custom scheme that serves the built renderer; see protocol.ts. */
export const APP_SCHEME = 'app';
/**
 * Fixed host so the renderer has one stable origin (`app://station`): CSP 'self', storage and the
 * navigation rules all refer to it.
 */
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/**
 * True only for URLs on the app origin. Compared by parts rather than `URL.origin` because Node's
 * URL reports the origin of a non-special scheme as "null". The port must be empty: `app://station:1`
 * would be a different origin in Chromium.
 */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  return (
    url !== undefined &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** May `shell.openExternal` hand this URL to the OS? Only https, no credentials, origin on the list. */
export function isExternalUrlAllowed(raw: string, allowedOrigins: readonly string[]): boolean {
  const url = parseUrl(raw);
  if (url === undefined) return false;
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  return allowedOrigins.includes(url.origin);
}

export type NavigationDecision = 'allow' | 'open-external' | 'deny';

/** A page navigation stays in the window only on the app origin; allow-listed https goes to the browser. */
export function decideNavigation(raw: string, externalOrigins: readonly string[]): NavigationDecision {
  if (isAppUrl(raw)) return 'allow';
  return isExternalUrlAllowed(raw, externalOrigins) ? 'open-external' : 'deny';
}

/**
 * The station has exactly one window, so `window.open` never creates another one, not even for the
 * app origin; allow-listed https links are handed to the system browser instead.
 */
export function decideWindowOpen(raw: string, externalOrigins: readonly string[]): Exclude<NavigationDecision, 'allow'> {
  return isExternalUrlAllowed(raw, externalOrigins) ? 'open-external' : 'deny';
}

/** Schemes that reach the network or the local disk. */
const NETWORK_OR_FILE_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/**
 * Second wall behind the CSP for the session's request filter: the renderer reaches nothing on the
 * network and no file:// (Electron security checklist). It needs neither: every backend call goes
 * through the bridge to main, which holds the client certificate and the session token. Other schemes
 * (app:, devtools:, data:, blob:) are left to the CSP, which already restricts them.
 */
export function isRequestBlocked(raw: string): boolean {
  const url = parseUrl(raw);
  if (url === undefined) return true;
  return NETWORK_OR_FILE_PROTOCOLS.has(url.protocol);
}

/**
 * CSP for every app:// response. No 'unsafe-inline' anywhere: the Vite build emits only external
 * scripts and stylesheets. connect-src is the app itself: the renderer talks to the backend only
 * through the bridge, so injected code has no host to send anything to.
 */
export function buildContentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
