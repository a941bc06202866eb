import type { AppDeps } from '../../server/src/app.js';

/** App settings for tests: quiet, small limits, no renderer, the product's session limits. */
export function testAppConfig(overrides: Partial<AppDeps['config']> = {}): AppDeps['config'] {
  return {
    logLevel: 'silent',
    bodyLimitBytes: 64 * 1024,
    requestTimeoutMs: 10_000,
    rendererDir: '/nonexistent',
    sessions: { absoluteHours: 8, idleMinutes: 60 },
    ...overrides,
  };
}
