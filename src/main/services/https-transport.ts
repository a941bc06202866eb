/**
 * The backend client's transport: node:https with the workstation's TLS context (client certificate,
 * platform CA only, the server's TLS policy). Shaped like `fetch` so the shared API client runs on it.
 */
import https from 'node:https';
import type { ConnectionOptions, SecureContext } from 'node:tls';
import { TransportError, TransportErrorCode, type FetchLike, type FetchLikeResponse } from '../../shared/api-client/transport.js';
import { classifyNodeError } from './transport-errors.js';

export interface HttpsTransportOptions {
  readonly secureContext: SecureContext;
  /** Without any answer for this long the request fails with SERVER_TIMEOUT. */
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
}

export interface HttpsTransport {
  readonly fetch: FetchLike;
  /** Closes pooled connections; in-flight requests fail. */
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

function headerReader(headers: Readonly<Record<string, string | string[] | undefined>>): FetchLikeResponse['headers'] {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

export function createHttpsTransport(options: HttpsTransportOptions): HttpsTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8, secureContext: options.secureContext, rejectUnauthorized: true });

  const fetch: FetchLike = (url, init) =>
    new Promise<FetchLikeResponse>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new TypeError(`the backend transport speaks https only, got ${target.protocol}`));
        return;
      }
      // A write that may not be repeated gets a fresh connection: a pooled one the server has just
      // closed would fail it, and it could not be sent again.
      const repeatable = init.method === 'GET' || init.method === 'HEAD' || init.headers['idempotency-key'] !== undefined;
      const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
      let requestSent = false;
      // `secureContext` is passed on to tls.connect (used when no pooled agent is involved).
      const requestOptions: https.RequestOptions & Pick<ConnectionOptions, 'secureContext'> = {
        method: init.method,
        headers: { ...init.headers, ...(body === undefined ? {} : { 'content-length': String(body.byteLength) }) },
        agent: repeatable ? agent : false,
        secureContext: options.secureContext,
        rejectUnauthorized: true,
      };
      const request = https.request(
        target,
        requestOptions,
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.byteLength;
            if (size > maxBytes) {
              response.destroy(new TransportError(TransportErrorCode.responseTooLarge, `response larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', (error) => {
            reject(classifyNodeError(error, true));
          });
          response.on('end', () => {
            if (!response.complete) {
              reject(new TransportError(TransportErrorCode.connectionLost, 'the connection closed in the middle of the response'));
              return;
            }
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, headers: headerReader(response.headers), text: () => Promise.resolve(text) });
          });
        },
      );
      request.on('finish', () => {
        requestSent = true;
      });
      request.setTimeout(timeoutMs, () => {
        request.destroy(new TransportError(TransportErrorCode.timeout, `no answer within ${timeoutMs} ms`));
      });
      request.on('error', (error) => {
        reject(classifyNodeError(error, requestSent));
      });
      request.end(body);
    });

  return {
    fetch,
    close: () => {
      agent.destroy();
    },
  };
}
