import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  buildContentSecurityPolicy,
  decideNavigation,
  decideWindowOpen,
  isAppUrl,
  isExternalUrlAllowed,
  isRequestBlocked,
} from '../../../src/main/app/policy.js';

describe('isAppUrl', () => {
  it('accepts the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl(`${APP_ORIGIN}/assets/index.js?x=1#top`)).toBe(true);
  });

  it.each([
    'https://station/index.html',
    'app://evil/index.html',
    'app://station.evil/index.html',
    'app://station:8080/index.html',
    'app://user:pw@station/index.html',
    'file:///C:/Windows/system32/calc.exe',
    'javascript:alert(1)',
    'about:blank',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isExternalUrlAllowed', () => {
  const allowed = ['https://hilfe.example.de'];

  it('allows nothing with the default empty list', () => {
    expect(isExternalUrlAllowed('https://hilfe.example.de/', [])).toBe(false);
  });

  it('allows an https URL on a listed origin', () => {
    expect(isExternalUrlAllowed('https://hilfe.example.de/kasse?x=1', allowed)).toBe(true);
  });

  it.each([
    'http://hilfe.example.de/',
    'https://hilfe.example.de:8443/',
    'https://hilfe.example.de.evil.com/',
    'https://evil.com/?https://hilfe.example.de',
    'https://user:pw@hilfe.example.de/',
    'file:///etc/passwd',
    'ms-settings:privacy',
    'garbage',
  ])('refuses %s', (url) => {
    expect(isExternalUrlAllowed(url, allowed)).toBe(false);
  });
});

describe('decideNavigation / decideWindowOpen', () => {
  const externals = ['https://hilfe.example.de'];

  it('keeps app navigation in the window', () => {
    expect(decideNavigation(`${APP_ORIGIN}/index.html`, externals)).toBe('allow');
  });

  it('sends allow-listed https to the system browser and denies the rest', () => {
    expect(decideNavigation('https://hilfe.example.de/a', externals)).toBe('open-external');
    expect(decideNavigation('https://evil.com/', externals)).toBe('deny');
  });

  it('never opens a new window, not even for the app origin', () => {
    expect(decideWindowOpen(`${APP_ORIGIN}/index.html`, externals)).toBe('deny');
    expect(decideWindowOpen('https://hilfe.example.de/a', externals)).toBe('open-external');
    expect(decideWindowOpen('https://evil.com/', externals)).toBe('deny');
  });
});

describe('isRequestBlocked', () => {
  it('leaves non-network schemes to the CSP', () => {
    expect(isRequestBlocked(`${APP_ORIGIN}/assets/index.js`)).toBe(false);
    expect(isRequestBlocked('devtools://devtools/bundled/index.html')).toBe(false);
  });

  it.each([
    'https://kasse.example.de:8443/health/ready',
    'https://kasse.example.de/health/ready',
    'http://kasse.example.de:8443/',
    'https://cdn.example.com/lib.js',
    'wss://kasse.example.de:8443/',
    'file:///C:/secret.txt',
    'not a url',
  ])('blocks %s: the renderer reaches the backend only through the bridge', (url) => {
    expect(isRequestBlocked(url)).toBe(true);
  });
});

describe('buildContentSecurityPolicy', () => {
  const csp = buildContentSecurityPolicy();
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );

  it('contains the required directives', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
  });

  it('lets the renderer connect to nothing but its own origin', () => {
    expect(directives.get('connect-src')).toBe("'self'");
  });

  it('never allows inline code or eval', () => {
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });
});
