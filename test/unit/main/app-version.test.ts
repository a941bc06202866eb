import { describe, expect, it } from 'vitest';
import { appVersionArgument, readAppVersion, UNKNOWN_VERSION } from '../../../src/preload/app-version.js';

describe('app version through argv', () => {
  it('round-trips what main passes', () => {
    expect(readAppVersion(['electron', '--type=renderer', appVersionArgument('1.2.3-beta.1')])).toBe('1.2.3-beta.1');
  });

  it('falls back when the argument is missing or not version-like', () => {
    expect(readAppVersion(['electron'])).toBe(UNKNOWN_VERSION);
    expect(readAppVersion([appVersionArgument('<img src=x>')])).toBe(UNKNOWN_VERSION);
    expect(readAppVersion([appVersionArgument('')])).toBe(UNKNOWN_VERSION);
  });
});
