import type { FastifyInstance } from 'fastify';

// The renderer is a static single-page app: scripts and styles from its own origin only, API calls to
// the same origin, nothing embedded elsewhere. The one frame source is blob: — the invoice screen shows
// the PDF it fetched with the session as a blob URL; only the page's own scripts can mint those, so this
// admits no foreign content (object-src stays 'none', frame-ancestors 'none').
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  'frame-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('strict-transport-security', 'max-age=31536000');
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('content-security-policy', APP_CONTENT_SECURITY_POLICY);
    void reply.header('cross-origin-opener-policy', 'same-origin');
    void reply.header('cross-origin-resource-policy', 'same-origin');
  });
}
