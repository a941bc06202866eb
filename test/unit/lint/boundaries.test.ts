import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM config file without type declarations
import { boundaries } from '../../../eslint.config.mjs';

const root = path.resolve(import.meta.dirname, '../../..');

/** Lints a snippet as if it were the given file, with the boundary rules only (no type information needed). */
async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } }, ...(boundaries as [])],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('architecture boundaries are lint errors', () => {
  it.each([
    ['src/shared/domain/x.ts', "import { readFileSync } from 'node:fs';", 'import-x/no-nodejs-modules'],
    ['src/shared/domain/x.ts', "import { app } from 'electron';", 'no-restricted-imports'],
    ['src/shared/domain/x.ts', "import { buildApp } from '../../../server/src/app.js';", 'import-x/no-restricted-paths'],
    ['src/renderer/app/x.ts', "import { something } from '../../main/index.js';", 'import-x/no-restricted-paths'],
    ['src/renderer/app/x.ts', "import { api } from '../../preload/index.js';", '@typescript-eslint/no-restricted-imports'],
    ['src/renderer/app/x.ts', "import { ipcRenderer } from 'electron';", '@typescript-eslint/no-restricted-imports'],
    ['src/main/services/print-queue.ts', "import { BrowserWindow } from 'electron';", 'no-restricted-imports'],
    ['src/main/services/scanner-router.ts', "import HID from 'node-hid';", 'no-restricted-syntax'],
    ['server/src/modules/x/service.ts', "import { x } from '../../../../src/main/index.js';", 'import-x/no-restricted-paths'],
    ['server/src/modules/x/service.ts', 'export default function f() {}', 'import-x/no-default-export'],
  ])('%s: %s', async (file, code, rule) => {
    expect(await lint(file, code)).toContain(rule);
  });

  it.each([
    ['src/renderer/app/x.ts', "import type { BoxofficeApi } from '../../preload/index.js';"],
    ['src/main/adapters/hid-scanner.ts', "import HID from 'node-hid';"],
    ['src/main/app/window.ts', "import { BrowserWindow } from 'electron';"],
    ['server/src/modules/x/service.ts', "import { ErrorCode } from '../../../../src/shared/api/problem.js';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});
