/**
 * Code-signing hook for electron-builder (`win.signtoolOptions.sign`), bundled by build-station.ts to
 * build/packaging/sign-windows.cjs. Everything comes from the environment of the build machine, so the
 * repository holds no certificate, password or thumbprint:
 *
 *   BOXOFFICE_SIGN_CERT_SHA1       thumbprint of the code-signing certificate in the Windows certificate
 *                                  store (its key on a token or HSM, as CA/B Forum rules require since 2023)
 *   BOXOFFICE_SIGN_TIMESTAMP_URL   RFC 3161 time-stamping service (default: DigiCert's public one)
 *   BOXOFFICE_SIGNTOOL             path of signtool.exe (default: signtool.exe on PATH)
 *   BOXOFFICE_SIGN_REQUIRED=1      fail the build instead of producing unsigned files (release builds)
 *
 * Without BOXOFFICE_SIGN_CERT_SHA1 the files stay unsigned, which is fine for test installations.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const DEFAULT_TIMESTAMP_URL = 'http://timestamp.digicert.com';

/** What electron-builder passes to a custom sign function (the fields used here). */
export interface SignConfiguration {
  readonly path: string;
  readonly hash?: string;
  /** True for the second signature appended to a file that already has one. */
  readonly isNest?: boolean;
}

export type SignPlan = { readonly kind: 'skip'; readonly reason: string } | { readonly kind: 'sign'; readonly command: string; readonly args: readonly string[] };

export class SigningConfigError extends Error {}

/** Decides from the environment whether and how to sign one file. Pure, so tests need no signtool. */
export function planSigning(env: Readonly<Record<string, string | undefined>>, configuration: SignConfiguration, platform: NodeJS.Platform): SignPlan {
  const thumbprint = env['BOXOFFICE_SIGN_CERT_SHA1']?.replace(/\s+/g, '') ?? '';
  const required = env['BOXOFFICE_SIGN_REQUIRED'] === '1';
  if (thumbprint === '') {
    if (required) throw new SigningConfigError('BOXOFFICE_SIGN_REQUIRED=1 but BOXOFFICE_SIGN_CERT_SHA1 is not set');
    return { kind: 'skip', reason: 'BOXOFFICE_SIGN_CERT_SHA1 is not set; building unsigned' };
  }
  if (!/^[0-9A-Fa-f]{40}$/.test(thumbprint)) throw new SigningConfigError('BOXOFFICE_SIGN_CERT_SHA1 must be the 40 hex digits of the certificate thumbprint');
  if (platform !== 'win32') throw new SigningConfigError('signing with signtool.exe runs on Windows only');
  const hash = configuration.hash ?? 'sha256';
  if (hash !== 'sha256') return { kind: 'skip', reason: `only SHA-256 signatures are made (asked for ${hash})` };
  const timestampUrl = env['BOXOFFICE_SIGN_TIMESTAMP_URL']?.trim() || DEFAULT_TIMESTAMP_URL;
  let parsed: URL;
  try {
    parsed = new URL(timestampUrl);
  } catch {
    throw new SigningConfigError(`BOXOFFICE_SIGN_TIMESTAMP_URL is not a URL: ${timestampUrl}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SigningConfigError('BOXOFFICE_SIGN_TIMESTAMP_URL must be http(s)');
  return {
    kind: 'sign',
    command: env['BOXOFFICE_SIGNTOOL']?.trim() || 'signtool.exe',
    args: [
      'sign',
      '/sha1',
      thumbprint.toUpperCase(),
      '/fd',
      'sha256',
      '/tr',
      parsed.href,
      '/td',
      'sha256',
      ...(configuration.isNest === true ? ['/as'] : []),
      configuration.path,
    ],
  };
}

const run = promisify(execFile);

/** The hook electron-builder calls for every file to sign. */
export async function sign(configuration: SignConfiguration): Promise<void> {
  const plan = planSigning(process.env, configuration, process.platform);
  if (plan.kind === 'skip') {
    console.warn(`[sign-windows] ${configuration.path}: ${plan.reason}`);
    return;
  }
  // No shell: the path and the arguments are passed as they are.
  await run(plan.command, [...plan.args], { windowsHide: true });
}
