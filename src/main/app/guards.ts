import { shell, type Session, type WebContents } from 'electron';
import { decideNavigation, decideWindowOpen, isRequestBlocked } from './policy.js';

export interface GuardOptions {
  /** https origins that may be handed to the system browser (empty by default). */
  readonly externalOrigins: readonly string[];
}

function openExternally(url: string): void {
  // The decision was already made by policy.ts; a failure to start the browser is not worth a crash.
  shell.openExternal(url).catch((error: unknown) => {
    console.error('shell.openExternal failed', error);
  });
}

/**
 * Installed for every WebContents from `app.on('web-contents-created')`, so no window, frame or
 * future dialog escapes the rules. Everything not on the app origin is refused.
 */
export function guardWebContents(contents: WebContents, options: GuardOptions): void {
  const onNavigate = (event: Electron.Event, url: string): void => {
    const decision = decideNavigation(url, options.externalOrigins);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') openExternally(url);
  };

  contents.on('will-navigate', (event) => {
    onNavigate(event, event.url);
  });
  // A redirect can turn an app navigation into a remote one; check the target again.
  contents.on('will-redirect', (event) => {
    onNavigate(event, event.url);
  });
  // will-navigate covers only the main frame; subframes must not load remote pages either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && decideNavigation(event.url, []) !== 'allow') event.preventDefault();
  });

  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url, options.externalOrigins) === 'open-external') openExternally(url);
    return { action: 'deny' };
  });

  // <webview> is disabled in webPreferences; refusing the attach as well covers a future mistake there.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/**
 * Deny-by-default for the session: no web permission (camera, notifications, HID, serial, …), no
 * device access, no downloads and no network request is granted to the renderer; hardware and the
 * backend are handled in main behind ports.
 */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => {
    event.preventDefault();
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: isRequestBlocked(details.url) });
  });
}
