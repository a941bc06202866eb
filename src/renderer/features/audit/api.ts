import { AuditChainStatus, AuditPage, type AuditQuery } from '../../../shared/api/audit.js';
import type { Backend } from '../../lib/backend.js';

export type AuditBackend = Pick<Backend, 'request'>;

export function auditApi(backend: AuditBackend) {
  return {
    page: (query: AuditQuery) => backend.request({ method: 'GET', path: '/api/v1/audit', query: { ...query }, response: AuditPage }),
    verify: () => backend.request({ method: 'GET', path: '/api/v1/audit/verify', response: AuditChainStatus }),
  };
}

export type AuditApi = ReturnType<typeof auditApi>;
