import { describe, expect, it } from 'vitest';
import { checkServerReadiness, READINESS_PATH, type FetchLike } from '../../../src/renderer/app/readiness.js';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('checkServerReadiness', () => {
  it('asks /health/ready on the page origin, not under /app/', async () => {
    const calls: URL[] = [];
    const fetchFn: FetchLike = async (input) => {
      calls.push(input);
      return json(200, { status: 'ok' });
    };
    expect(await checkServerReadiness(fetchFn, 'https://kasse.example.de:8443')).toBe('reachable');
    expect(calls.map(String)).toEqual([`https://kasse.example.de:8443${READINESS_PATH}`]);
  });

  it.each([
    ['503 from a server that is shutting down', () => Promise.resolve(json(503, { status: 'unavailable' }))],
    ['200 with an unexpected body', () => Promise.resolve(json(200, { status: 'maybe' }))],
    ['200 with a non-JSON body', () => Promise.resolve(new Response('<html>proxy</html>', { status: 200 }))],
    ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
  ] as const)('reports unreachable on %s', async (_name, fetchFn) => {
    expect(await checkServerReadiness(fetchFn, 'https://kasse.example.de')).toBe('unreachable');
  });

  it('gives up after the timeout', async () => {
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => {
          reject(new Error('aborted'));
        });
      });
    expect(await checkServerReadiness(hanging, 'https://kasse.example.de', 20)).toBe('unreachable');
  });
});
