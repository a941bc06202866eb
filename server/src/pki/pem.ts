import { PkiError } from './errors.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/**
 * DER bytes of the first PEM block. With `expectedLabel`, a block of another type (say a key where a
 * certificate belongs) is refused rather than silently misread further down.
 */
export function pemToDer(pem: string, expectedLabel?: string): Buffer {
  const match = PEM_BLOCK.exec(pem);
  if (!match) throw new PkiError('PKI_INVALID_PEM', 'No PEM block found');
  const [, label = '', body = ''] = match;
  if (expectedLabel !== undefined && label !== expectedLabel) {
    throw new PkiError('PKI_INVALID_PEM', `Expected a PEM block "${expectedLabel}", found "${label}"`);
  }
  const base64 = body.replace(/\s+/g, '');
  // Buffer.from(…, 'base64') skips garbage silently; a strict check keeps truncated files from passing.
  if (base64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new PkiError('PKI_INVALID_PEM', `PEM block "${label}" is not valid base64`);
  }
  return Buffer.from(base64, 'base64');
}

export function derToPem(der: Uint8Array, label: string): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
