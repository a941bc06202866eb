/** Asks the backend whether it is ready; used when the renderer runs in a browser under /app/. */

export const READINESS_PATH = '/health/ready';
/** Longer than the server's own 2 s database ping, short enough that the clerk is not left waiting. */
export const READINESS_TIMEOUT_MS = 5000;

export type Reachability = 'reachable' | 'unreachable';

export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

function isReadyBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok';
}

/**
 * Any failure (network error, timeout, 503, unexpected body) counts as "unreachable": for the person
 * at the counter the consequence is the same, and the server log holds the detail.
 */
export async function checkServerReadiness(
  fetchFn: FetchLike,
  origin: string,
  timeoutMs: number = READINESS_TIMEOUT_MS,
): Promise<Reachability> {
  try {
    const response = await fetchFn(new URL(READINESS_PATH, origin), {
      method: 'GET',
      headers: { accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return 'unreachable';
    return isReadyBody(await response.json()) ? 'reachable' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
