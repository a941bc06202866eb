import type { Knex } from 'knex';
import { ErrorCode } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { appendActorAudit, appendAudit, type AuditActor } from '../audit/repository.js';
import { formatIpAddress, parseIpAddress } from '../network/address.js';
import { createCidrMatcher } from '../network/cidr.js';
import { ruleFor, type IntrusionConfig, type SignalKind } from './config.js';
import { createIntrusionRepository, type BlockRow, type SignalRow } from './repository.js';

// Namespace of the advisory lock that serialises block decisions per source across instances.
const BLOCK_LOCK_CLASS = 0x494e_5452; // 'INTR'
const PRUNE_EVERY_MS = 10 * 60_000;

export interface IntrusionLog {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface IntrusionDeps {
  knex: Knex;
  clock: Clock;
  settings: IntrusionConfig;
  /** Trusted proxies carry many clients on their connections: they are never blocked (see network/policy.ts). */
  isTrustedProxy(address: string): boolean;
  log: IntrusionLog;
}

/** Who lifts a block: an operator user through the API, or an OS user on the server's command line. */
export type LiftActor = { kind: 'user'; actor: AuditActor } | { kind: 'cli'; osUser: string };

interface CachedBlock {
  id: string;
  until: number;
}

/** The canonical text of an address (IPv4-mapped IPv6 as IPv4), or undefined for anything else. */
export function canonicalSource(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const parsed = parseIpAddress(address);
  return parsed === undefined ? undefined : formatIpAddress(parsed);
}

/**
 * Intrusion prevention: attack signals per source address go to the database (shared by every server
 * instance); when a source reaches a kind's threshold within its window, it is blocked for the duration
 * of its escalation level, in one transaction with the audit row on the operator's chain.
 *
 * Enforcement reads an in-process copy of the active blocks, reloaded every `cacheSeconds` (and updated
 * at once by this instance's own blocks and lifts): a block made by another instance takes effect here
 * within that time. Expiry is judged against the clock on every check, so a cached block never outlives
 * its end. The copy holds only active blocks, never counters: losing it loses nothing.
 */
export function createIntrusionService(deps: IntrusionDeps) {
  const repo = createIntrusionRepository();
  const settings = deps.settings;
  const allow = createCidrMatcher(settings.allow, 'intrusion allow list');
  let blocks = new Map<string, CachedBlock>();
  // This instance's own changes while a reload is running, re-applied on top of the reloaded copy.
  let pending: Array<{ source: string; block: CachedBlock | undefined }> | undefined;
  let operatorTenant: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | undefined;

  const setCached = (source: string, block: CachedBlock | undefined) => {
    if (block === undefined) blocks.delete(source);
    else blocks.set(source, block);
    pending?.push({ source, block });
  };

  async function operatorTenantId(): Promise<string> {
    if (operatorTenant !== undefined) return operatorTenant;
    // Every role may read the single operator row (see the tenants policy): it is the platform.
    const row = await deps.knex('tenants').where({ kind: 'operator' }).first<{ id: string } | undefined>('id');
    if (row === undefined) throw new Error('intrusion prevention: no operator tenant, so a block could not be audited');
    operatorTenant = row.id;
    return row.id;
  }

  /** Addresses that never produce signals or blocks: the allow list, trusted proxies, non-addresses. */
  function isExempt(source: string): boolean {
    return allow.matches(source) || deps.isTrustedProxy(source);
  }

  function blockedUntil(source: string): Date | undefined {
    const block = blocks.get(source);
    if (block === undefined) return undefined;
    if (block.until <= deps.clock.now().getTime()) return undefined;
    if (isExempt(source)) return undefined;
    return new Date(block.until);
  }

  /** Whole seconds until the source's block ends (at least 1), or undefined when it is not blocked. */
  function secondsBlocked(source: string): number | undefined {
    const until = blockedUntil(source);
    return until === undefined ? undefined : Math.max(1, Math.ceil((until.getTime() - deps.clock.now().getTime()) / 1000));
  }

  async function block(source: string, kind: SignalKind, now: Date): Promise<BlockRow | undefined> {
    const rule = ruleFor(settings, kind);
    const tenantId = await operatorTenantId();
    return inTenant(deps.knex, { tenantId }, async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [BLOCK_LOCK_CLASS, source]);
      const active = await repo.activeBlock(trx, source, now);
      if (active !== undefined) return active;
      // Signals that caused an earlier block, or came before an operator lifted one, count no more.
      const marks = await repo.lastBlockMarks(trx, source);
      const since = new Date(Math.max(now.getTime() - rule.windowSeconds * 1000, marks.blockedAt?.getTime() ?? 0, marks.liftedAt?.getTime() ?? 0));
      const count = await repo.countSignals(trx, source, kind, since);
      if (count < rule.threshold) return undefined;
      const earlier = await repo.countEscalating(trx, source, new Date(now.getTime() - settings.escalationHours * 3600_000));
      const level = Math.min(earlier, settings.blockMinutes.length - 1);
      const minutes = settings.blockMinutes[level] ?? settings.blockMinutes[settings.blockMinutes.length - 1] ?? 15;
      const signals = await repo.summarise(trx, source, kind, since, rule);
      const row = await repo.insertBlock(trx, { source, trigger: kind, level, signals, blocked_at: now, blocked_until: new Date(now.getTime() + minutes * 60_000) });
      // A system action: no user or workstation; the platform's (operator's) chain holds it.
      await appendAudit(trx, {
        tenantId,
        at: now,
        action: 'intrusion.block',
        entity: 'intrusion_block',
        entityId: row.id,
        details: { source, trigger: kind, count, threshold: rule.threshold, windowSeconds: rule.windowSeconds, level, minutes, blockedUntil: row.blocked_until.toISOString() },
      });
      return row;
    });
  }

  /** Reloads the active blocks from the database (every instance's). */
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      pending = [];
      try {
        const rows = await repo.activeBlocks(deps.knex, deps.clock.now());
        const next = new Map<string, CachedBlock>(rows.map((r) => [r.source, { id: r.id, until: r.blocked_until.getTime() }]));
        for (const change of pending) {
          if (change.block === undefined) next.delete(change.source);
          else next.set(change.source, change.block);
        }
        blocks = next;
      } finally {
        pending = undefined;
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  /** Deletes signals past their retention and blocks that ended before the block retention. */
  async function prune(): Promise<{ signals: number; blocks: number }> {
    const now = deps.clock.now().getTime();
    return repo.prune(deps.knex, {
      signalsBefore: new Date(now - settings.signalRetentionHours * 3600_000),
      blocksEndedBefore: new Date(now - settings.blockRetentionDays * 86_400_000),
    });
  }

  return {
    settings,
    isExempt,
    blockedUntil,
    secondsBlocked,

    /**
     * Records one signal and blocks the source when it reaches the kind's threshold. Exempt and already
     * blocked sources record nothing. Returns the new block, if this signal caused one.
     */
    async recordSignal(address: string | undefined, kind: SignalKind, detail: string): Promise<BlockRow | undefined> {
      if (!settings.enabled) return undefined;
      const source = canonicalSource(address);
      if (source === undefined || isExempt(source) || blockedUntil(source) !== undefined) return undefined;
      const now = deps.clock.now();
      const rule = ruleFor(settings, kind);
      await repo.insertSignal(deps.knex, { at: now, source, kind, detail });
      const count = await repo.countSignals(deps.knex, source, kind, new Date(now.getTime() - rule.windowSeconds * 1000));
      if (count < rule.threshold) return undefined;
      const row = await block(source, kind, now);
      if (row === undefined) return undefined;
      setCached(source, { id: row.id, until: row.blocked_until.getTime() });
      if (row.blocked_at.getTime() === now.getTime()) {
        deps.log.warn({ source, trigger: kind, level: row.level, blockedUntil: row.blocked_until.toISOString() }, 'source blocked by intrusion prevention');
      }
      return row;
    },

    refresh,
    prune,

    /** Loads the blocks and keeps reloading them (and pruning every 10 minutes) until stop(). */
    async start(): Promise<void> {
      const tick = async () => {
        await refresh();
        if (performance.now() - lastPrune >= PRUNE_EVERY_MS) {
          lastPrune = performance.now();
          await prune();
        }
      };
      const logged = () => tick().catch((error: unknown) => deps.log.error({ err: error }, 'intrusion prevention: reloading blocks failed'));
      // A database that is down at start must not stop the server from starting (readiness reports it);
      // the blocks load with the next successful reload.
      await logged();
      timer = setInterval(() => void logged(), settings.cacheSeconds * 1000);
      timer.unref();
    },

    stop(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },

    async listBlocks(filter: { active: boolean; source?: string; limit: number }): Promise<BlockRow[]> {
      const source = filter.source === undefined ? undefined : (canonicalSource(filter.source) ?? filter.source);
      return repo.listBlocks(deps.knex, { ...(filter.active ? { activeAt: deps.clock.now() } : {}), ...(source === undefined ? {} : { source }), limit: filter.limit });
    },

    async getBlock(id: string): Promise<{ block: BlockRow; recentSignals: SignalRow[] }> {
      const block = await repo.findBlock(deps.knex, id);
      if (block === undefined) throw notFound('Block');
      return { block, recentSignals: await repo.recentSignals(deps.knex, block.source, 100) };
    },

    /**
     * An operator lifts a block before its end, through the API (a logged-in operator user) or on the
     * server's command line (this OS user); audited on the operator's chain with the reason either way.
     */
    async lift(by: LiftActor, id: string, reason: string): Promise<BlockRow> {
      const now = deps.clock.now();
      const tenantId = by.kind === 'user' ? by.actor.tenantId : await operatorTenantId();
      const row = await inTenant(deps.knex, { tenantId }, async (trx) => {
        const current = await repo.lockBlock(trx, id);
        if (current === undefined) throw notFound('Block');
        if (current.lifted_at !== null || current.blocked_until.getTime() <= now.getTime()) {
          throw new AppError(409, ErrorCode.blockNotActive, 'This block has already ended or been lifted.');
        }
        const lifted = await repo.liftBlock(trx, id, { at: now, by: by.kind === 'user' ? by.actor.userId : null, reason });
        const entry = {
          action: 'intrusion.unblock',
          entity: 'intrusion_block',
          entityId: id,
          details: { source: current.source, trigger: current.trigger, level: current.level, blockedUntil: current.blocked_until.toISOString(), reason, via: by.kind === 'user' ? 'api' : `cli (${by.osUser})` },
        };
        if (by.kind === 'user') await appendActorAudit(trx, by.actor, now, entry);
        else await appendAudit(trx, { ...entry, tenantId, at: now });
        return lifted;
      });
      setCached(row.source, undefined);
      return row;
    },
  };
}

export type IntrusionService = ReturnType<typeof createIntrusionService>;
