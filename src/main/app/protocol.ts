import { protocol, type Session } from 'electron';
import type { AppFileHandler } from './app-files.js';
import { APP_SCHEME } from './policy.js';

/**
 * Must run before `app.whenReady()`: Chromium fixes scheme privileges at start-up.
 * - standard: URLs get an origin and relative URLs resolve, so Vite's `./assets/…` paths work;
 * - secure: counts as a secure context like https (needed for crypto.subtle and friends);
 * - supportFetchAPI: the renderer may fetch its own assets.
 * Deliberately not granted: bypassCSP, corsEnabled for other origins, stream, codeCache.
 */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves app:// on the given session; the handler enforces the root and adds the CSP header. */
export function serveAppScheme(session: Session, handler: AppFileHandler): void {
  session.protocol.handle(APP_SCHEME, handler);
}
