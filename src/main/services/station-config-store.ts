/**
 * The station's setup on disk, in the OS user's app-data directory: `station.json` and the workstation
 * .p12 beside it. The passphrase is stored only encrypted by the SecretStore (Electron safeStorage);
 * without one nothing is saved. Writes go to a temporary file first and are renamed into place, so a
 * crash leaves the old setup or the new one, never half of each.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { StationErrorCode } from '../../shared/ipc/result.js';
import { CertificateSummary, StationSettings, WorkstationSummary } from '../../shared/ipc/station-settings.js';
import type { SecretStore } from '../ports/secret-store.js';

export const CONFIG_FILE_NAME = 'station.json';
const P12_FILE_PATTERN = /^workstation-[0-9a-f]{16}\.p12$/;

const StationConfigFile = Type.Object(
  {
    version: Type.Literal(1),
    serverUrl: Type.String({ pattern: '^https://' }),
    settings: StationSettings,
    workstation: WorkstationSummary,
    certificate: Type.Object(
      {
        /** File name inside the config directory (never a path). */
        file: Type.String({ pattern: P12_FILE_PATTERN.source }),
        summary: CertificateSummary,
        passphrase: Type.Object(
          {
            /** How `data` was protected; only the OS-bound store is accepted. */
            protection: Type.Literal('os-secure-storage'),
            data: Type.String({ minLength: 1, maxLength: 8192, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
type StationConfigFile = Static<typeof StationConfigFile>;

export interface StoredStation {
  readonly serverUrl: string;
  readonly settings: StationSettings;
  readonly workstation: WorkstationSummary;
  readonly certificate: { readonly summary: CertificateSummary; readonly pfx: Uint8Array; readonly passphrase: string };
}

export type LoadResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly station: StoredStation }
  | { readonly kind: 'invalid'; readonly code: string; readonly message: string };

export type SaveResult = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

export interface StationConfigStore {
  load(): Promise<LoadResult>;
  save(station: StoredStation): Promise<SaveResult>;
}

async function writeAtomically(target: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    // 0o600: only the OS user; on Windows the per-user app-data ACL does the same job.
    await writeFile(temporary, data, { mode: 0o600, flag: 'w' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function createStationConfigStore(deps: { readonly dir: string; readonly secrets: SecretStore }): StationConfigStore {
  const configPath = path.join(deps.dir, CONFIG_FILE_NAME);

  async function load(): Promise<LoadResult> {
    let raw: string;
    try {
      raw = await readFile(configPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      return { kind: 'invalid', code: StationErrorCode.configInvalid, message: `cannot read ${CONFIG_FILE_NAME}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { kind: 'invalid', code: StationErrorCode.configInvalid, message: `${CONFIG_FILE_NAME} is not JSON` };
    }
    if (!Value.Check(StationConfigFile, parsed)) {
      const first = [...Value.Errors(StationConfigFile, parsed)][0];
      return { kind: 'invalid', code: StationErrorCode.configInvalid, message: `${CONFIG_FILE_NAME}: ${first?.instancePath ?? ''} ${first?.message ?? 'invalid'}` };
    }
    let pfx: Uint8Array;
    try {
      pfx = await readFile(path.join(deps.dir, parsed.certificate.file));
    } catch {
      return { kind: 'invalid', code: StationErrorCode.configInvalid, message: `the certificate file ${parsed.certificate.file} is missing` };
    }
    if (!deps.secrets.isAvailable()) {
      return { kind: 'invalid', code: StationErrorCode.secureStorageUnavailable, message: 'the OS secure storage is not available' };
    }
    let passphrase: string;
    try {
      passphrase = deps.secrets.decrypt(Buffer.from(parsed.certificate.passphrase.data, 'base64'));
    } catch {
      // Another Windows user, a restored profile or a new machine key: the setup has to be repeated.
      return { kind: 'invalid', code: StationErrorCode.passphraseUndecryptable, message: 'the stored passphrase cannot be decrypted under this OS user' };
    }
    return {
      kind: 'ok',
      station: {
        serverUrl: parsed.serverUrl,
        settings: parsed.settings,
        workstation: parsed.workstation,
        certificate: { summary: parsed.certificate.summary, pfx, passphrase },
      },
    };
  }

  async function save(station: StoredStation): Promise<SaveResult> {
    if (!deps.secrets.isAvailable()) {
      return { ok: false, code: StationErrorCode.secureStorageUnavailable, message: 'no OS secure storage: the passphrase would have to be stored in clear text' };
    }
    let encrypted: Uint8Array;
    try {
      encrypted = deps.secrets.encrypt(station.certificate.passphrase);
    } catch (error) {
      return { ok: false, code: StationErrorCode.secureStorageUnavailable, message: `encryption failed: ${(error as Error).message}` };
    }
    const p12File = `workstation-${createHash('sha256').update(station.certificate.pfx).digest('hex').slice(0, 16)}.p12`;
    const file: StationConfigFile = {
      version: 1,
      serverUrl: station.serverUrl,
      settings: station.settings,
      workstation: station.workstation,
      certificate: {
        file: p12File,
        summary: station.certificate.summary,
        passphrase: { protection: 'os-secure-storage', data: Buffer.from(encrypted).toString('base64') },
      },
    };
    try {
      await mkdir(deps.dir, { recursive: true, mode: 0o700 });
      // The certificate first, then the file that points at it.
      await writeAtomically(path.join(deps.dir, p12File), station.certificate.pfx);
      await writeAtomically(configPath, `${JSON.stringify(file, null, 2)}\n`);
    } catch (error) {
      return { ok: false, code: StationErrorCode.configWriteFailed, message: `writing the setup failed: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
    }
    // Certificates of an earlier setup are no longer referenced; their removal may fail without harm.
    try {
      for (const name of await readdir(deps.dir)) {
        if (P12_FILE_PATTERN.test(name) && name !== p12File) await rm(path.join(deps.dir, name), { force: true });
      }
    } catch {
      // Left-overs are harmless: nothing points at them.
    }
    return { ok: true };
  }

  return { load, save };
}
