/** The till's calls, over the renderer's backend port (src/renderer/lib/backend.ts). */
import { Type } from 'typebox';
import type { ApiResult } from '../../../shared/api-client/errors.js';
import { TillClosingSummary, TillReport } from '../../../shared/api/till.js';
import type { Backend } from '../../lib/backend.js';

export interface TillBackend {
  /** The interim report (X) of the open till; TILL_NOT_OPEN when it is closed. */
  current(): Promise<ApiResult<TillReport>>;
  /** Without a float the server takes the last closing's counted cash of this workstation. */
  open(openingFloatCents: number | undefined): Promise<ApiResult<TillReport>>;
  close(countedCashCents: number, differenceReason: string | undefined): Promise<ApiResult<TillReport>>;
  closings(): Promise<ApiResult<TillClosingSummary[]>>;
  /** The stored Z report PDF; undefined where documents are not downloaded (the desktop station). */
  readonly closingPdf: ((tillSessionId: string) => Promise<ApiResult<Blob>>) | undefined;
}

export function createTillBackend(backend: Pick<Backend, 'request' | 'fetchDocument'>): TillBackend {
  const fetchDocument = backend.fetchDocument;
  return {
    current: () => backend.request({ method: 'GET', path: '/api/v1/till/current', response: TillReport }),
    open: (openingFloatCents) =>
      backend.request({ method: 'POST', path: '/api/v1/till/open', body: openingFloatCents === undefined ? {} : { openingFloatCents }, response: TillReport }),
    close: (countedCashCents, differenceReason) =>
      backend.request({
        method: 'POST',
        path: '/api/v1/till/close',
        body: differenceReason === undefined ? { countedCashCents } : { countedCashCents, differenceReason },
        response: TillReport,
        // A lost answer is retried under the same key and returns the first closing, never a second one.
        idempotent: true,
      }),
    closings: () => backend.request({ method: 'GET', path: '/api/v1/till/closings', query: { limit: 50 }, response: Type.Array(TillClosingSummary) }),
    closingPdf: fetchDocument === undefined ? undefined : (id) => fetchDocument(`/api/v1/till/closings/${encodeURIComponent(id)}/report.pdf`),
  };
}
