/**
 * The shared API client in the browser (web mode): the page's own origin, `window.fetch`, and the
 * client certificate the browser presents for the TLS connection. The session token stays in memory.
 */
import { createApiClient, type ApiClient } from '../../shared/api-client/api-client.js';
import { TransportError, TransportErrorCode, type FetchLike } from '../../shared/api-client/transport.js';

export const WEB_REQUEST_TIMEOUT_MS = 15_000;

type BrowserFetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * window.fetch as the client's transport. Browsers report every network and TLS failure as the same
 * TypeError, so all of them become SERVER_UNREACHABLE; only the timeout is told apart.
 */
export function createBrowserTransport(fetchFn: BrowserFetch, timeoutMs: number = WEB_REQUEST_TIMEOUT_MS): FetchLike {
  return async (url, init) => {
    try {
      return await fetchFn(url, {
        method: init.method,
        headers: init.headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new TransportError(TransportErrorCode.timeout, `no answer within ${timeoutMs} ms`);
      }
      throw new TransportError(TransportErrorCode.unreachable, String(error));
    }
  };
}

export function createWebApiClient(win: Pick<Window, 'fetch' | 'location' | 'crypto' | 'setTimeout'>): ApiClient {
  return createApiClient({
    baseUrl: win.location.origin,
    fetch: createBrowserTransport((input, init) => win.fetch(input, init)),
    newIdempotencyKey: () => win.crypto.randomUUID(),
    sleep: (ms) =>
      new Promise((resolve) => {
        win.setTimeout(resolve, ms);
      }),
  });
}
