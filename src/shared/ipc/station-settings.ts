import { Type, type Static } from 'typebox';
import { TenantKind } from '../api/system.js';

/** What the station is set up for; decides the start screen and which hardware it looks for. */
export const StationMode = Type.Union([Type.Literal('sales'), Type.Literal('entry'), Type.Literal('back-office')]);
export type StationMode = Static<typeof StationMode>;

/**
 * The ticket printer. Offsets move the whole print on the security paper; UX.md asks for 0.1 mm steps,
 * so they are integers in tenths of a millimetre (±20 mm is far beyond any real misalignment).
 */
export const PrinterSettings = Type.Object(
  {
    /** Name of the operating-system printer queue; null until one is chosen. */
    name: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
    offsetXTenthMm: Type.Integer({ minimum: -200, maximum: 200 }),
    offsetYTenthMm: Type.Integer({ minimum: -200, maximum: 200 }),
  },
  { additionalProperties: false },
);
export type PrinterSettings = Static<typeof PrinterSettings>;

/** A keyboard-wedge scanner types into the focused field (works in the browser too); HID needs the desktop. */
export const ScannerSettings = Type.Union([
  Type.Object({ kind: Type.Literal('keyboard-wedge') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('hid'),
      vendorId: Type.Integer({ minimum: 0, maximum: 0xffff }),
      productId: Type.Integer({ minimum: 0, maximum: 0xffff }),
    },
    { additionalProperties: false },
  ),
]);
export type ScannerSettings = Static<typeof ScannerSettings>;

export const StationSettings = Type.Object(
  { mode: StationMode, printer: PrinterSettings, scanner: ScannerSettings },
  { additionalProperties: false },
);
export type StationSettings = Static<typeof StationSettings>;

export const DEFAULT_STATION_SETTINGS: StationSettings = {
  mode: 'sales',
  printer: { name: null, offsetXTenthMm: 0, offsetYTenthMm: 0 },
  scanner: { kind: 'keyboard-wedge' },
};

/** An https origin such as `https://kasse.example.de:8443`; main parses it again with URL. */
export const ServerUrl = Type.String({ minLength: 9, maxLength: 2048, pattern: '^https://' });

export const CertificateSummary = Type.Object(
  {
    /** Name of the file the certificate was imported from (no directory). */
    fileName: Type.String({ maxLength: 255 }),
    subject: Type.String({ maxLength: 1024 }),
    fingerprint256: Type.String({ maxLength: 128 }),
    notAfter: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type CertificateSummary = Static<typeof CertificateSummary>;

export const WorkstationSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String({ maxLength: 200 }),
    tenant: Type.Object(
      { id: Type.String({ format: 'uuid' }), code: Type.String({ maxLength: 100 }), name: Type.String({ maxLength: 200 }), kind: TenantKind },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type WorkstationSummary = Static<typeof WorkstationSummary>;

export const StationSetup = Type.Object(
  {
    serverUrl: Type.String(),
    settings: StationSettings,
    certificate: CertificateSummary,
    workstation: WorkstationSummary,
  },
  { additionalProperties: false },
);
export type StationSetup = Static<typeof StationSetup>;

export const SetupState = Type.Object(
  {
    configured: Type.Boolean(),
    /** Pre-filled on the first-run screen (BOXOFFICE_SERVER_URL or the development default). */
    defaultServerUrl: Type.String(),
    station: Type.Optional(StationSetup),
    /** A chosen but not yet imported .p12 file. */
    pendingCertificate: Type.Optional(Type.Object({ fileName: Type.String({ maxLength: 255 }) }, { additionalProperties: false })),
    /** Why a stored configuration could not be used (CONFIG_INVALID, PASSPHRASE_UNDECRYPTABLE, …). */
    problem: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type SetupState = Static<typeof SetupState>;
