import type { Knex } from 'knex';
import { ErrorCode } from '../../../../src/shared/api/problem.js';
import type { Permission } from '../../../../src/shared/domain/permissions.js';
import type { PasswordFailureId } from '../../../../src/shared/domain/password-rules.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/repository.js';
import { DirectoryError, directoryProblem } from '../directory/errors.js';
import type { DirectoryCheck, DirectoryService } from '../directory/service.js';
import { BINDING_TEXT, checkCertificateBinding } from '../workstations/sign-in-rules.js';
import { hashPassword, verifyPassword as defaultVerify } from './password-hash.js';
import type { PasswordPolicy } from './password-policy.js';
import { checkThrottle, recordAttempt } from './login-throttle.js';
import { createPermissionRepository } from './permissions-repository.js';
import { createSessionRepository, type SessionEndReason, type SessionRepository, type SessionRow } from './sessions-repository.js';
import { hashSessionToken, newSessionToken } from './session-token.js';
import { createUserRepository, type UserRow } from './users-repository.js';

export const AuthErrorCode = {
  invalidCredentials: 'INVALID_CREDENTIALS',
  throttled: 'LOGIN_THROTTLED',
  initialPasswordExpired: 'INITIAL_PASSWORD_EXPIRED',
  sessionRequired: 'SESSION_REQUIRED',
  sessionEnded: 'SESSION_ENDED',
  sessionExpired: 'SESSION_EXPIRED',
  sessionIdle: 'SESSION_IDLE',
  sessionCertMismatch: 'SESSION_CERT_MISMATCH',
  passwordChangeRequired: 'PASSWORD_CHANGE_REQUIRED',
  passwordRejected: 'PASSWORD_REJECTED',
  currentPasswordWrong: 'CURRENT_PASSWORD_WRONG',
  forbidden: 'FORBIDDEN',
} as const;

export interface SessionSettings {
  /** Absolute lifetime; the product brief caps it at 8 hours. */
  absoluteMs: number;
  /** Inactivity after which the session ends; 0 switches the idle timeout off. */
  idleMs: number;
}

export interface AuthDeps {
  knex: Knex;
  clock: Clock;
  passwordPolicy: PasswordPolicy;
  sessions: SessionSettings;
  /** Injectable so tests can prove that a throttled attempt never reaches the password check. */
  verifyPassword?: (password: string, hash: string) => Promise<boolean>;
  /** Directory sign-in (modules/directory); without it, directory users cannot sign in. */
  directory?: Pick<DirectoryService, 'isEnabled' | 'check' | 'apply'>;
}

/** The station making the request, as established by its client certificate. */
export interface CallerWorkstation {
  id: string;
  tenantId: string;
  fingerprint: string;
  sourceIp: string;
}

export interface AuthenticatedUser {
  sessionId: string;
  userId: string;
  tenantId: string;
  login: string;
  displayName: string;
  permissions: ReadonlySet<Permission>;
  mustChangePassword: boolean;
  expiresAt: Date;
}

export interface LoginResult {
  token: string;
  session: SessionRow;
  user: UserRow;
  permissions: Permission[];
}

// Only update last_seen_at when it is this old, so a busy station does not write on every request.
const TOUCH_INTERVAL_MS = 60_000;

/** An audit row of a sign-in attempt at a workstation, about the user it concerns (if known). */
function auditAttempt(trx: Knex.Transaction, ws: CallerWorkstation, now: Date, action: string, userId: string | null, details: Record<string, unknown>) {
  return appendAudit(trx, { tenantId: ws.tenantId, at: now, actorUserId: userId, workstationId: ws.id, sourceIp: ws.sourceIp, action, entity: 'user', entityId: userId, details });
}

/** Ends the open sessions that match, with one audit row each; returns the ended rows. */
export async function endSessions(
  trx: Knex.Transaction,
  where: Parameters<SessionRepository['endWhere']>[1],
  reason: SessionEndReason,
  actor: { userId: string | null; workstation: CallerWorkstation | null },
  now: Date,
): Promise<SessionRow[]> {
  const ended = await createSessionRepository().endWhere(trx, where, reason, now);
  for (const s of ended) {
    await appendAudit(trx, {
      tenantId: s.tenant_id,
      at: now,
      actorUserId: actor.userId,
      workstationId: actor.workstation?.id ?? null,
      sourceIp: actor.workstation?.sourceIp ?? null,
      action: 'session.end',
      entity: 'session',
      entityId: s.id,
      details: { reason, userId: s.user_id, sessionWorkstationId: s.workstation_id },
    });
  }
  return ended;
}

export function createAuthService(deps: AuthDeps) {
  const users = createUserRepository();
  const sessions = createSessionRepository();
  const permissions = createPermissionRepository();
  const verify = deps.verifyPassword ?? defaultVerify;
  // A real hash for logins that match no user, so that both paths cost one scrypt verification.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword(`dummy-${Math.random()}`));

  async function openSession(trx: Knex.Transaction, user: UserRow, ws: CallerWorkstation, now: Date): Promise<{ token: string; session: SessionRow }> {
    await endSessions(trx, { userId: user.id }, 'superseded', { userId: user.id, workstation: ws }, now);
    const token = newSessionToken();
    const session = await sessions.insert(trx, {
      tenantId: user.tenant_id,
      userId: user.id,
      workstationId: ws.id,
      tokenHash: hashSessionToken(token),
      certFingerprint: ws.fingerprint,
      now,
      expiresAt: new Date(now.getTime() + deps.sessions.absoluteMs),
    });
    return { token, session };
  }

  /**
   * Asks the tenant's directory. When it cannot answer, the attempt is audited and refused with the
   * directory's code (DIRECTORY_UNAVAILABLE, …); it is not counted as a failed password.
   */
  async function checkDirectory(ws: CallerWorkstation, login: string, shown: string, user: UserRow | undefined, password: string, now: Date): Promise<DirectoryCheck> {
    try {
      if (deps.directory === undefined) throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'this server has no directory sign-in');
      return await deps.directory.check(ws.tenantId, login, password);
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      await inTenant(deps.knex, { tenantId: ws.tenantId }, (trx) =>
        auditAttempt(trx, ws, now, 'auth.login_failed', user?.id ?? null, { login: shown, reason: 'directory_error', source: 'directory', code: error.code, message: error.message }),
      );
      throw directoryProblem(error);
    }
  }

  return {
    /**
     * Password login at a workstation of the user's own tenant. Whether the login name exists is never
     * revealed: unknown names, wrong passwords and disabled accounts get the same answer after the same
     * amount of work.
     */
    async login(ws: CallerWorkstation, loginInput: string, password: string): Promise<LoginResult> {
      const now = deps.clock.now();
      const login = loginInput.trim().toLowerCase();
      // Control characters (NUL above all) are in no login name, and PostgreSQL text cannot hold NUL: such
      // a name matches no local user, and the audit trail shows it with U+FFFD in their place.
      const hasControl = /[\u0000-\u001f\u007f]/.test(login);
      const shown = hasControl ? login.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD') : login;
      const user = hasControl ? undefined : await inTenant(deps.knex, { tenantId: ws.tenantId }, (trx) => users.findByLogin(trx, login));

      const verdict = await checkThrottle(deps.knex, { userId: user?.id, workstationId: ws.id, sourceIp: ws.sourceIp, lockoutResetAt: user?.lockout_reset_at ?? null, now });
      if (!verdict.allowed) {
        await inTenant(deps.knex, { tenantId: ws.tenantId }, async (trx) => {
          await recordAttempt(trx, { at: now, login: shown, userId: user?.id, workstationId: ws.id, sourceIp: ws.sourceIp, outcome: 'throttled' });
          await auditAttempt(trx, ws, now, 'auth.login_throttled', user?.id ?? null, { login: shown, reason: verdict.reason, retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) });
        });
        throw new AppError(429, AuthErrorCode.throttled, `Too many failed attempts. Try again in ${Math.ceil(verdict.retryAfterMs / 1000)} seconds or ask an administrator to unlock the account.`, {
          retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000),
        });
      }

      // Directory users (and, in a tenant with a directory, logins not known here yet) are checked by
      // the directory alone: never against a local hash, also not when the directory cannot answer.
      const viaDirectory = user?.auth_source === 'directory' || (user === undefined && deps.directory !== undefined && (await deps.directory.isEnabled(ws.tenantId)));
      let check: DirectoryCheck | undefined;
      let passwordOk = false;
      if (viaDirectory) {
        check = await checkDirectory(ws, login, shown, user, password, now);
        passwordOk = check.status === 'ok';
      } else {
        passwordOk = await verify(password, user?.password_hash ?? (await dummy()));
      }

      // The failure is recorded and audited in a transaction that commits; the refusal is thrown after it.
      const outcome = await inTenant(deps.knex, { tenantId: ws.tenantId }, async (trx): Promise<LoginResult | { error: AppError }> => {
        let subject = user;
        let reason: string | undefined;
        let groups: readonly string[] = [];
        if (check !== undefined && deps.directory !== undefined) {
          const applied = await deps.directory.apply(trx, { tenantId: ws.tenantId, login, local: user, check, workstation: ws, now });
          subject = applied.user;
          reason = applied.refusal;
          groups = applied.groups;
        } else {
          const initialExpired =
            user !== undefined && user.must_change_password && user.initial_password_expires_at !== null && user.initial_password_expires_at.getTime() <= now.getTime();
          reason = user === undefined ? 'unknown_login' : !passwordOk ? 'wrong_password' : user.disabled_at !== null ? 'disabled' : initialExpired ? 'initial_password_expired' : undefined;
        }
        if (reason !== undefined || subject === undefined) {
          await recordAttempt(trx, { at: now, login: shown, userId: subject?.id, workstationId: ws.id, sourceIp: ws.sourceIp, outcome: 'failure' });
          await auditAttempt(trx, ws, now, 'auth.login_failed', subject?.id ?? null, { login: shown, reason: reason ?? 'unknown_login', ...(check === undefined ? {} : { source: 'directory' }) });
          if (reason === 'initial_password_expired') {
            // Only after the right password: tells the user what to do without helping a guesser.
            return { error: new AppError(401, AuthErrorCode.initialPasswordExpired, 'The initial password has expired (72 hours). Ask your manager for a new one.') };
          }
          return { error: new AppError(401, AuthErrorCode.invalidCredentials, 'Login name or password is wrong.') };
        }
        // Who may sign in with this certificate: only after the credentials are proven.
        const binding = await checkCertificateBinding(trx, { workstationId: ws.id, userId: subject.id, groups, now });
        if (!binding.allowed) {
          await auditAttempt(trx, ws, now, 'auth.login_refused', subject.id, { login: shown, reason: binding.reason });
          return { error: new AppError(403, binding.code, BINDING_TEXT[binding.reason], { reason: binding.reason }) };
        }
        await recordAttempt(trx, { at: now, login: shown, userId: subject.id, workstationId: ws.id, sourceIp: ws.sourceIp, outcome: 'success' });
        const { token, session } = await openSession(trx, subject, ws, now);
        await appendAudit(trx, {
          tenantId: subject.tenant_id,
          at: now,
          actorUserId: subject.id,
          workstationId: ws.id,
          sourceIp: ws.sourceIp,
          action: 'auth.login',
          entity: 'session',
          entityId: session.id,
          details: { login: shown, mustChangePassword: subject.must_change_password, ...(check === undefined ? {} : { source: 'directory' }) },
        });
        return { token, session, user: subject, permissions: await permissions.listForUser(trx, subject.id) };
      });
      if ('error' in outcome) throw outcome.error;
      return outcome;
    },

    /**
     * Resolves a bearer token on every request. The session must be open, within its absolute and idle
     * limits, and presented with the certificate it was issued on. Rights are read fresh each time, so
     * changes take effect on the next request.
     */
    async authenticate(ws: CallerWorkstation, token: string): Promise<AuthenticatedUser> {
      const now = deps.clock.now();
      const outcome = await inTenant(deps.knex, { tenantId: ws.tenantId }, async (trx) => {
        const session = await sessions.findByTokenHash(trx, hashSessionToken(token));
        if (session === undefined) return { error: new AppError(401, AuthErrorCode.sessionRequired, 'Please log in.') };
        if (session.ended_at !== null) {
          return { error: new AppError(401, AuthErrorCode.sessionEnded, sessionEndText(session.end_reason), { reason: session.end_reason ?? 'unknown' }) };
        }
        if (session.cert_fingerprint !== ws.fingerprint) {
          await appendAudit(trx, {
            tenantId: session.tenant_id,
            at: now,
            actorUserId: session.user_id,
            workstationId: ws.id,
            sourceIp: ws.sourceIp,
            action: 'session.cert_mismatch',
            entity: 'session',
            entityId: session.id,
            details: { sessionWorkstationId: session.workstation_id },
          });
          return { error: new AppError(401, AuthErrorCode.sessionCertMismatch, 'This session belongs to another workstation. Please log in here.') };
        }
        const idleLimit = deps.sessions.idleMs > 0 ? session.last_seen_at.getTime() + deps.sessions.idleMs : Number.POSITIVE_INFINITY;
        if (session.expires_at.getTime() <= now.getTime() || idleLimit <= now.getTime()) {
          const reason = session.expires_at.getTime() <= now.getTime() ? 'expired' : 'idle';
          await endSessions(trx, { sessionId: session.id }, reason, { userId: null, workstation: ws }, now);
          return {
            error:
              reason === 'expired'
                ? new AppError(401, AuthErrorCode.sessionExpired, 'The session has reached its maximum duration of 8 hours. Please log in again.')
                : new AppError(401, AuthErrorCode.sessionIdle, 'The session ended after inactivity. Please log in again.'),
          };
        }
        const user = await users.findById(trx, session.user_id);
        if (user === undefined || user.disabled_at !== null) {
          await endSessions(trx, { sessionId: session.id }, 'user_disabled', { userId: null, workstation: ws }, now);
          return { error: new AppError(401, AuthErrorCode.sessionEnded, sessionEndText('user_disabled'), { reason: 'user_disabled' }) };
        }
        if (now.getTime() - session.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) await sessions.touch(trx, session.id, now);
        const granted = await permissions.listForUser(trx, user.id);
        const result: AuthenticatedUser = {
          sessionId: session.id,
          userId: user.id,
          tenantId: user.tenant_id,
          login: user.login,
          displayName: user.display_name,
          permissions: new Set(granted),
          mustChangePassword: user.must_change_password,
          expiresAt: session.expires_at,
        };
        return { user: result };
      });
      // Thrown after the transaction so that session ends and audit rows above are committed.
      if ('error' in outcome) throw outcome.error;
      return outcome.user;
    },

    async logout(ws: CallerWorkstation, auth: AuthenticatedUser): Promise<void> {
      const now = deps.clock.now();
      await inTenant(deps.knex, { tenantId: ws.tenantId }, (trx) => endSessions(trx, { sessionId: auth.sessionId }, 'logout', { userId: auth.userId, workstation: ws }, now));
    },

    /**
     * Changes the password after checking the current one and the policy (rules, common list, last five).
     * Every session of the user ends; the caller gets a fresh session in the same answer.
     */
    async changePassword(ws: CallerWorkstation, auth: AuthenticatedUser, currentPassword: string, newPassword: string): Promise<{ token: string; session: SessionRow }> {
      const now = deps.clock.now();
      const user = await inTenant(deps.knex, { tenantId: ws.tenantId }, (trx) => users.findById(trx, auth.userId));
      if (user === undefined) throw new AppError(401, AuthErrorCode.sessionRequired, 'Please log in.');
      if (user.auth_source === 'directory') throw passwordManagedByDirectory();
      if (!(await verify(currentPassword, user.password_hash))) {
        await inTenant(deps.knex, { tenantId: ws.tenantId }, (trx) =>
          appendAudit(trx, { tenantId: user.tenant_id, at: now, actorUserId: user.id, workstationId: ws.id, sourceIp: ws.sourceIp, action: 'auth.password_change_failed', entity: 'user', entityId: user.id, details: { reason: 'current_password_wrong' } }),
        );
        throw new AppError(400, AuthErrorCode.currentPasswordWrong, 'The current password is wrong.');
      }
      const history = await inTenant(deps.knex, { tenantId: ws.tenantId }, (trx) =>
        trx('password_history').where({ user_id: user.id }).orderBy('created_at', 'desc').limit(4).select<Array<{ password_hash: string }>>('password_hash'),
      );
      const check = await deps.passwordPolicy.checkNewPassword(
        newPassword,
        { login: user.login, displayName: user.display_name },
        [user.password_hash, ...history.map((h) => h.password_hash)],
        verify,
      );
      if (!check.ok) throw passwordRejected(check.failed);
      const newHash = await hashPassword(newPassword);
      return inTenant(deps.knex, { tenantId: ws.tenantId }, async (trx) => {
        await trx('password_history').insert({ tenant_id: user.tenant_id, user_id: user.id, password_hash: user.password_hash, created_at: now });
        await users.update(trx, user.id, { password_hash: newHash, must_change_password: false, initial_password_expires_at: null, password_changed_at: now, updated_at: now });
        await endSessions(trx, { userId: user.id }, 'password_changed', { userId: user.id, workstation: ws }, now);
        await appendAudit(trx, { tenantId: user.tenant_id, at: now, actorUserId: user.id, workstationId: ws.id, sourceIp: ws.sourceIp, action: 'auth.password_change', entity: 'user', entityId: user.id, details: {} });
        return openSession(trx, user, ws, now);
      });
    },

    endSessions,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Directory users' passwords live in the directory: the local password rules and changes do not apply. */
export function passwordManagedByDirectory(): AppError {
  return new AppError(409, ErrorCode.passwordManagedByDirectory, 'This password is managed by the directory; change it there.');
}

export function passwordRejected(failed: readonly PasswordFailureId[]): AppError {
  return new AppError(422, AuthErrorCode.passwordRejected, `The new password does not meet the rules: ${failed.join(', ')}.`, { failedRules: [...failed] });
}

function sessionEndText(reason: SessionEndReason | null): string {
  switch (reason) {
    case 'superseded':
      return 'You were logged out because you logged in at another workstation.';
    case 'logout':
      return 'You have logged out.';
    case 'password_changed':
      return 'Your password was changed; please log in again.';
    case 'user_disabled':
      return 'Your account has been disabled.';
    case 'rights_changed':
      return 'Your rights were changed; please log in again.';
    case 'workstation_revoked':
      return 'This workstation has been revoked.';
    case 'ended_by_admin':
      return 'An administrator ended your session.';
    case 'expired':
      return 'The session has reached its maximum duration. Please log in again.';
    case 'idle':
      return 'The session ended after inactivity. Please log in again.';
    case null:
      return 'The session has ended.';
  }
}
