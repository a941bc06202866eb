import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ELECTRON_MISSING_REASON,
  findElectronBinary,
  launchStation,
  STATION_NOT_BUILT_REASON,
} from '../../../scripts/station-launcher.js';

describe('launchStation', () => {
  let cwd: string;

  beforeEach(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'station-launcher-'));
  });

  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('explains in one line how to get Electron when the package is absent', async () => {
    const result = await launchStation({ serverUrl: 'https://localhost:8443', cwd });
    expect(result).toEqual({ launched: false, reason: ELECTRON_MISSING_REASON });
    if (!result.launched) {
      expect(result.reason).not.toContain('\n');
      expect(result.reason).toContain('node node_modules/electron/install.js');
    }
  });

  it('reports the binary missing when path.txt exists but dist/ does not (install script skipped)', async () => {
    await mkdir(path.join(cwd, 'node_modules', 'electron'), { recursive: true });
    await writeFile(path.join(cwd, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(await findElectronBinary(cwd)).toBeUndefined();
    expect(await launchStation({ serverUrl: 'https://localhost:8443', cwd })).toEqual({
      launched: false,
      reason: ELECTRON_MISSING_REASON,
    });
  });

  it('does not follow a path.txt that points outside dist/', async () => {
    await mkdir(path.join(cwd, 'node_modules', 'electron', 'dist'), { recursive: true });
    await writeFile(path.join(cwd, 'evil'), '');
    await writeFile(path.join(cwd, 'node_modules', 'electron', 'path.txt'), '../../../evil');
    expect(await findElectronBinary(cwd)).toBeUndefined();
  });

  it('finds the binary and then asks for a build when build/main is missing', async () => {
    await mkdir(path.join(cwd, 'node_modules', 'electron', 'dist'), { recursive: true });
    await writeFile(path.join(cwd, 'node_modules', 'electron', 'path.txt'), 'electron\n');
    await writeFile(path.join(cwd, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(await findElectronBinary(cwd)).toBe(path.join(cwd, 'node_modules', 'electron', 'dist', 'electron'));
    expect(await launchStation({ serverUrl: 'https://localhost:8443', cwd })).toEqual({
      launched: false,
      reason: STATION_NOT_BUILT_REASON,
    });
  });
});
