/**
 * Where the station finds its print helper and ticket font, from the environment and the app's
 * resources directory. Pure: the composition root passes process.env, process.resourcesPath and the
 * platform.
 */
import path from 'node:path';
import { SYSTEM_FONT_DIR } from './ticket-sheet-pdf.js';

/** Relative to resources/ of the installed app (electron-builder extraResources). */
export const PACKAGED_SUMATRA_PATH = path.join('print-helper', 'SumatraPDF.exe');
export const PACKAGED_FONT_DIR = 'fonts';

export interface PrintingConfig {
  /** Which printer adapter: Windows (SumatraPDF) or CUPS (Linux, macOS). */
  readonly adapter: 'windows' | 'cups';
  /** SumatraPDF.exe (Windows only). */
  readonly sumatraPath: string;
  /** Searched in order for DejaVuSans.ttf and DejaVuSans-Bold.ttf. */
  readonly fontDirs: readonly string[];
}

export type PrintingConfigResult = { ok: true; config: PrintingConfig } | { ok: false; message: string };

function absolute(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined | { error: string } {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  return path.isAbsolute(raw) ? raw : { error: `${name} muss ein absoluter Pfad sein, erhalten: ${JSON.stringify(raw)}` };
}

export function readPrintingConfig(
  env: Readonly<Record<string, string | undefined>>,
  where: { resourcesPath: string | undefined; platform: NodeJS.Platform },
): PrintingConfigResult {
  const sumatra = absolute(env, 'BOXOFFICE_SUMATRA_PATH');
  const fontDir = absolute(env, 'BOXOFFICE_FONT_DIR');
  for (const value of [sumatra, fontDir]) if (typeof value === 'object') return { ok: false, message: value.error };
  const resources = where.resourcesPath;
  const fontDirs = [
    ...(typeof fontDir === 'string' ? [fontDir] : []),
    ...(resources === undefined ? [] : [path.join(resources, PACKAGED_FONT_DIR)]),
    // Development on Linux: Debian's fonts-dejavu-core.
    SYSTEM_FONT_DIR,
  ];
  return {
    ok: true,
    config: {
      adapter: where.platform === 'win32' ? 'windows' : 'cups',
      sumatraPath: typeof sumatra === 'string' ? sumatra : path.join(resources ?? '.', PACKAGED_SUMATRA_PATH),
      fontDirs,
    },
  };
}
