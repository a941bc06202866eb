/**
 * Fetches a PDF with the session (web mode) and saves it; a failure is kept for the screen to show
 * instead of vanishing. Shared by the till (closing reports) and stock (stock report) screens.
 */
import { useCallback, useState } from 'react';
import type { ApiError, ApiResult } from '../../shared/api-client/errors.js';
import { saveFile } from '../lib/download.js';

export function usePdfDownload(): { readonly error: ApiError | null; readonly download: (fetchPdf: () => Promise<ApiResult<Blob>>, fileName: string) => void } {
  const [error, setError] = useState<ApiError | null>(null);
  const download = useCallback((fetchPdf: () => Promise<ApiResult<Blob>>, fileName: string) => {
    void fetchPdf().then((answer) => {
      setError(answer.ok ? null : answer.error);
      if (answer.ok) saveFile(document, fileName, answer.value);
    });
  }, []);
  return { error, download };
}
