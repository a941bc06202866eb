import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { directoryKeyFromEnv, openSecret, sealSecret } from '../../../../server/src/modules/directory/secret.js';

describe('directory password at rest', () => {
  const key = randomBytes(32);
  const tenant = '7f0c3a52-2c7e-4d0f-9a51-3e1a3c1d2b10';

  it('seals with a fresh IV each time and opens only with the same key and tenant', () => {
    const a = sealSecret(key, tenant, 'service-Secret-1');
    const b = sealSecret(key, tenant, 'service-Secret-1');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('service');
    expect(openSecret(key, tenant, a)).toBe('service-Secret-1');
    expect(() => openSecret(randomBytes(32), tenant, a)).toThrow(/another BOXOFFICE_DIRECTORY_KEY/);
    expect(() => openSecret(key, '00000000-0000-4000-8000-000000000000', a)).toThrow(/does not open/);
    expect(() => openSecret(undefined, tenant, a)).toThrow(/not set/);
    const [v, id, body] = a.split('.');
    const tampered = Buffer.from(body as string, 'base64url');
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    expect(() => openSecret(key, tenant, `${v}.${id}.${tampered.toString('base64url')}`)).toThrow(/does not open/);
    for (const e of [() => openSecret(key, tenant, 'v2.x.y'), () => openSecret(key, tenant, `v1.${id}.AAAA`)]) expect(e).toThrow(expect.objectContaining({ code: 'DIRECTORY_MISCONFIGURED' }) as Error);
  });

  it('reads the key from the environment: 32 bytes in base64, or none', () => {
    expect(directoryKeyFromEnv({})).toBeUndefined();
    expect(directoryKeyFromEnv({ BOXOFFICE_DIRECTORY_KEY: key.toString('base64') })?.equals(key)).toBe(true);
    expect(() => directoryKeyFromEnv({ BOXOFFICE_DIRECTORY_KEY: 'short' })).toThrow(/BOXOFFICE_DIRECTORY_KEY must be 32 bytes/);
  });
});
