import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPrintingConfig } from '../../../../src/main/printing/printing-config.js';
import { SYSTEM_FONT_DIR } from '../../../../src/main/printing/ticket-sheet-pdf.js';

describe('printing config', () => {
  it('uses SumatraPDF and the fonts from the installed app’s resources, Debian’s fonts last', () => {
    const result = readPrintingConfig({}, { resourcesPath: path.join('/opt', 'kasse', 'resources'), platform: 'win32' });
    expect(result).toEqual({
      ok: true,
      config: { adapter: 'windows', sumatraPath: path.join('/opt', 'kasse', 'resources', 'print-helper', 'SumatraPDF.exe'), fontDirs: [path.join('/opt', 'kasse', 'resources', 'fonts'), SYSTEM_FONT_DIR] },
    });
  });

  it('takes CUPS elsewhere and absolute overrides from the environment', () => {
    const result = readPrintingConfig({ BOXOFFICE_SUMATRA_PATH: '/x/SumatraPDF.exe', BOXOFFICE_FONT_DIR: '/fonts' }, { resourcesPath: undefined, platform: 'linux' });
    expect(result).toEqual({ ok: true, config: { adapter: 'cups', sumatraPath: '/x/SumatraPDF.exe', fontDirs: ['/fonts', SYSTEM_FONT_DIR] } });
  });

  it('refuses relative paths', () => {
    expect(readPrintingConfig({ BOXOFFICE_FONT_DIR: 'fonts' }, { resourcesPath: undefined, platform: 'linux' })).toMatchObject({ ok: false, message: expect.stringContaining('BOXOFFICE_FONT_DIR') });
  });
});
