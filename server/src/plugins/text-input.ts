import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../../src/shared/api/problem.js';
import { AppError } from '../errors.js';

/**
 * Refuses text the database cannot store faithfully, before any handler or transaction sees it: the NUL
 * character (PostgreSQL text cannot hold it, so the INSERT would fail with a 500 after the work began)
 * and unpaired UTF-16 surrogates (the driver would silently store U+FFFD instead of what was sent).
 * Checked in every string — and every key — of the JSON body, the query string and the path parameters,
 * iteratively so that deeply nested JSON cannot exhaust the stack. Answers 400 VALIDATION_FAILED with the
 * path of the first offending value.
 */
export function registerTextInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where = findBadText(request.params, 'params') ?? findBadText(request.query, 'querystring') ?? findBadText(request.body, 'body');
    if (where !== undefined) {
      throw new AppError(400, ErrorCode.validationFailed, 'The request contains a NUL character or an unpaired surrogate, which cannot be stored.', {
        errors: [{ path: where, message: 'contains a NUL character or an unpaired UTF-16 surrogate' }],
      });
    }
  });
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const badText = (s: string) => s.includes('\u0000') || UNPAIRED.test(s);

/** The path of the first string (or key) with bad text in `value`, or undefined. */
export function findBadText(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (typeof current === 'string') {
      if (badText(current)) return at;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push([current[i], `${at}/${i}`]);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, inner] of Object.entries(current)) {
        if (badText(key)) return `${at}/${key.replace(/[\u0000\uD800-\uDFFF]/g, '?')}`;
        stack.push([inner, `${at}/${key}`]);
      }
    }
  }
  return undefined;
}
