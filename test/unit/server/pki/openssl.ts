import { spawnSync } from 'node:child_process';

/** OpenSSL as an independent parser of what the library writes. */
export const OPENSSL = '/usr/bin/openssl';

export interface OpensslResult {
  status: number | null;
  output: string;
}

export function openssl(args: string[], input?: string | Buffer): OpensslResult {
  const result = spawnSync(OPENSSL, args, { input, encoding: 'utf8' });
  if (result.error) throw result.error;
  // OpenSSL 3 writes parts of `pkcs12 -info` to stderr, so both streams count as output.
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function certificateText(pem: string): string {
  const { status, output } = openssl(['x509', '-noout', '-text'], pem);
  if (status !== 0) throw new Error(`openssl x509 failed: ${output}`);
  return output;
}

/** The hex lines after an extension's heading, e.g. a key identifier. */
export function extensionValue(text: string, heading: string): string {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(heading));
  if (index < 0) throw new Error(`no ${heading} in certificate text`);
  return (lines[index + 1] ?? '').trim();
}
