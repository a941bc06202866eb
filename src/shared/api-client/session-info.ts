import { Type, type Static } from 'typebox';
import { MeResponse } from '../api/auth.js';

/** What a caller learns about its session. The token itself never leaves the API client. */
export const SessionInfo = MeResponse;
export type SessionInfo = Static<typeof SessionInfo>;

export const PasswordChanged = Type.Object({ expiresAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
export type PasswordChanged = Static<typeof PasswordChanged>;
