import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../../src/shared/api/problem.js';
import { AppError } from '../errors.js';

/**
 * Refuses input the server cannot handle faithfully, before schema validation, handler or transaction:
 * - text with the NUL character (PostgreSQL text cannot hold it, so the INSERT would fail with a 500 after
 *   the work began) or unpaired UTF-16 surrogates (the driver would silently store U+FFFD instead);
 * - JSON nested deeper than MAX_JSON_DEPTH levels (no request of the API nests beyond a few levels, while
 *   schema checks such as uniqueItems and the idempotency hash recurse and would exhaust the stack).
 * Checked in every string — and every key — of the JSON body, the query string and the path parameters,
 * iteratively. Answers 400 VALIDATION_FAILED with the path of the first offending value.
 */
export function registerTextInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found = findBadInput(request.params, 'params') ?? findBadInput(request.query, 'querystring') ?? findBadInput(request.body, 'body');
    if (found === undefined) return;
    const message = found.problem === 'depth' ? `nested deeper than ${MAX_JSON_DEPTH} levels` : 'contains a NUL character or an unpaired UTF-16 surrogate';
    throw new AppError(400, ErrorCode.validationFailed, `The request ${found.problem === 'depth' ? 'is nested too deeply' : 'contains a NUL character or an unpaired surrogate, which cannot be stored'}.`, {
      errors: [{ path: found.path, message }],
    });
  });
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const badText = (s: string) => s.includes('\u0000') || UNPAIRED.test(s);

export const MAX_JSON_DEPTH = 32;

/** The first string (or key) with bad text in `value`, or the first value nested too deeply. */
export function findBadInput(value: unknown, root: string): { problem: 'text' | 'depth'; path: string } | undefined {
  const stack: Array<[unknown, string, number]> = [[value, root, 0]];
  while (stack.length > 0) {
    const [current, at, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (badText(current)) return { problem: 'text', path: at };
    } else if (current !== null && typeof current === 'object') {
      if (depth >= MAX_JSON_DEPTH) return { problem: 'depth', path: at };
      if (Array.isArray(current)) {
        for (let i = current.length - 1; i >= 0; i -= 1) stack.push([current[i], `${at}/${i}`, depth + 1]);
      } else {
        for (const [key, inner] of Object.entries(current)) {
          if (badText(key)) return { problem: 'text', path: `${at}/${key.replace(/[\u0000\uD800-\uDFFF]/g, '?')}` };
          stack.push([inner, `${at}/${key}`, depth + 1]);
        }
      }
    }
  }
  return undefined;
}
