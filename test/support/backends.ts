export type Backend = 'pglite' | 'postgres';

/**
 * Integration tests run against both backends unless TEST_BACKENDS narrows them (e.g. for a quick local
 * loop). CI runs both; a PostgreSQL server that is down fails the run instead of being skipped.
 */
export function testBackends(): Backend[] {
  const raw = (process.env['TEST_BACKENDS'] ?? 'pglite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
  for (const b of raw) if (b !== 'pglite' && b !== 'postgres') throw new Error(`TEST_BACKENDS: unknown backend ${b}`);
  return raw as Backend[];
}

export const PG_ADMIN_URL = process.env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function pgUrlFor(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
