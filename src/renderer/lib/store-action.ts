import type { ApiError, ApiResult } from '../../shared/api-client/errors.js';

/**
 * The write pattern of the back-office stores: mark busy and clear the last outcome, run the request,
 * keep the coded error on failure, apply the answer on success. Returns whether it succeeded.
 */
export function createAct<S extends { busy: boolean }>(set: (patch: Partial<S>) => void, cleared: Partial<S>, failed: (error: ApiError) => Partial<S>) {
  return async function act<T>(run: () => Promise<ApiResult<T>>, onOk: (value: T) => Promise<void> | void): Promise<boolean> {
    set({ ...cleared, busy: true });
    const result = await run();
    if (!result.ok) {
      set({ ...failed(result.error), busy: false });
      return false;
    }
    await onOk(result.value);
    set({ busy: false } as Partial<S>);
    return true;
  };
}
