import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, type AuditRecord } from '../../../server/src/modules/audit/chain.js';

const record: AuditRecord = {
  tenantId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c',
  seq: 1,
  at: new Date('2026-12-04T10:00:00.123Z'),
  actorUserId: null,
  workstationId: null,
  sourceIp: '10.0.0.1',
  action: 'user.create',
  entity: 'user',
  entityId: 'u1',
  details: { b: 1, a: { d: [1, 'x'], c: null } },
};

describe('audit hash chain', () => {
  it('serialises canonically: sorted keys, no whitespace, dates as ISO', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, e: new Date('2026-01-01T00:00:00Z'), u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,"x"]},"b":1,"e":"2026-01-01T00:00:00.000Z"}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });

  it('is independent of key order and changes with any field or the previous hash', () => {
    const h = chainHash(GENESIS_HASH, record);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...record, details: { a: { c: null, d: [1, 'x'] }, b: 1 } })).toBe(h);
    expect(chainHash(GENESIS_HASH, { ...record, details: { a: { c: null, d: [1, 'y'] }, b: 1 } })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...record, seq: 2 })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...record, at: new Date('2026-12-04T10:00:00.124Z') })).not.toBe(h);
    expect(chainHash('1'.repeat(64), record)).not.toBe(h);
  });
});
