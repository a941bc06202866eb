/**
 * The app version reaches the sandboxed preload through argv: a sandboxed preload cannot call
 * `app.getVersion()`, and a synchronous IPC round-trip would block the renderer for a constant.
 * Main adds the argument (window.ts `additionalArguments`), the preload reads it here.
 */
export const APP_VERSION_ARG = '--boxoffice-app-version=';

/** Version-like text only; anything else becomes "unbekannt" rather than being shown verbatim. */
const VERSION_PATTERN = /^[0-9A-Za-z.+-]{1,64}$/;

export const UNKNOWN_VERSION = 'unbekannt';

export function appVersionArgument(version: string): string {
  return `${APP_VERSION_ARG}${version}`;
}

export function readAppVersion(argv: readonly string[]): string {
  const arg = argv.find((value) => value.startsWith(APP_VERSION_ARG));
  const value = arg?.slice(APP_VERSION_ARG.length);
  return value !== undefined && VERSION_PATTERN.test(value) ? value : UNKNOWN_VERSION;
}
