import { Type, type Static } from 'typebox';

/** The maintenance window as stations and administrators see it. */
export const MaintenanceView = Type.Object({
  /** Sales are stopped right now. */
  active: Type.Boolean(),
  /** Start of the window (now or scheduled); null when no window is set. */
  from: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Announced end; null when open-ended or no window is set. */
  until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The operator's text for the stations; null when no window is set. */
  message: Type.Union([Type.String(), Type.Null()]),
});
export type MaintenanceView = Static<typeof MaintenanceView>;

/** GET /api/v1/system/status: what every workstation may know about the platform's state. */
export const SystemStatus = Type.Object({
  maintenance: MaintenanceView,
  serverTime: Type.String({ format: 'date-time' }),
});
export type SystemStatus = Static<typeof SystemStatus>;

/** PUT /api/v1/system/maintenance: from defaults to now; without until the window lasts until switched off. */
export const SetMaintenanceRequest = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    message: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type SetMaintenanceRequest = Static<typeof SetMaintenanceRequest>;

export const ClearMaintenanceResult = Type.Object({ cleared: Type.Boolean(), maintenance: MaintenanceView });
export type ClearMaintenanceResult = Static<typeof ClearMaintenanceResult>;
