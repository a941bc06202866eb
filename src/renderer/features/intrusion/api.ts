import { Type } from 'typebox';
import { BlockDetail, BlockView, type BlockListQuery } from '../../../shared/api/intrusion.js';
import type { Backend } from '../../lib/backend.js';

export type IntrusionBackend = Pick<Backend, 'request'>;

const BlockList = Type.Array(BlockView);

export function intrusionApi(backend: IntrusionBackend) {
  return {
    list: (query: BlockListQuery) => backend.request({ method: 'GET', path: '/api/v1/intrusion/blocks', query: { ...query }, response: BlockList }),
    detail: (blockId: string) => backend.request({ method: 'GET', path: `/api/v1/intrusion/blocks/${encodeURIComponent(blockId)}`, response: BlockDetail }),
    lift: (blockId: string, reason: string) => backend.request({ method: 'POST', path: `/api/v1/intrusion/blocks/${encodeURIComponent(blockId)}/lift`, body: { reason }, response: BlockView }),
  };
}

export type IntrusionApi = ReturnType<typeof intrusionApi>;
