/**
 * The lease a running sync holds on its (source, scope): one `SyncLease` node per pair (unique id, so it
 * works on a cluster too) naming the holder sync, its host and process and an expiry the holder renews
 * by heartbeat. A second sync of the pair waits (bounded) or is refused; a holder that stopped renewing
 * (its process or Neo4j died) is taken over after expiry, at once when its process is gone on this host,
 * and its Sync is recorded failed. See docs/architecture.md, "Ownership, leases and crashes".
 */
import os from 'node:os';
import { IngestError } from '../errors.js';
import { logger } from '../log.js';
import { runNamed, type Graph } from './driver.js';

/** Default lease time: a holder that has not renewed for this long is presumed dead. */
export const DEFAULT_LEASE_TTL_MS = 60_000;
/** Default bound on waiting for another sync of the same source and scope. */
export const DEFAULT_LEASE_WAIT_MS = 15 * 60_000;

/** Separator of the parts of an owner claim (`source␟scope␟syncId`): scope and sync id refuse control characters. */
export const CLAIM_SEP = '\u001f';

/** The claim parameters every ingest statement gets: the owner prefix, the full claim and the separator. */
export function claimParams(source: string, scope: string, syncId: string): { owner: string; claim: string; sep: string } {
  const owner = `${source}${CLAIM_SEP}${scope}${CLAIM_SEP}`;
  return { owner, claim: owner + syncId, sep: CLAIM_SEP };
}

/** The sync could not get the lease of its source and scope in time. */
export class SyncBusyError extends IngestError {
  override readonly code = 'SYNC_BUSY';
}

/** How a sync takes its lease. */
export interface LeaseOptions {
  /** How long a lease lasts without renewal (the heartbeat renews at a quarter of it). */
  ttlMs?: number;
  /** How long to wait for another holder; 0 refuses at once. */
  waitMs?: number;
}

/** A held lease: its heartbeat runs until `release`. */
export interface Lease {
  /** Sync ids this lease take-over recorded as failed (their writer had stopped). */
  readonly abandoned: string[];
  /** Throws when another sync took the lease over (this one stalled past its expiry). */
  check(): void;
  /** Renews inside the caller's transaction and throws when the lease is no longer this sync's. */
  confirm(run: (name: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>): Promise<void>;
  /** Stops the heartbeat and gives the lease up. */
  release(): Promise<void>;
}

type Holder = { holder: string | null; host: string | null; pid: number | null; expiresAt: string | null };

/** Takes the lease of (source, scope) for a sync, waiting for a live holder up to `waitMs`. */
export async function acquireLease(graph: Graph, ctx: { source: string; scope: string; syncId: string }, opts: LeaseOptions = {}): Promise<Lease> {
  const ttlMs = opts.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const waitMs = opts.waitMs ?? DEFAULT_LEASE_WAIT_MS;
  const key = `${ctx.source}${CLAIM_SEP}${ctx.scope}`;
  const host = os.hostname();
  const deadline = Date.now() + waitMs;
  let deadHolder: string | null = null;
  let delay = 250;
  let told = false;
  for (;;) {
    const got = await graph.inWriteTx('ingest/take-sync-lease', async (tx) => {
      await runNamed(tx, 'ingest/lock-sync-lease', { key, source: ctx.source, scope: ctx.scope });
      const row = (await runNamed(tx, 'ingest/take-sync-lease', { key, syncId: ctx.syncId, host, pid: process.pid, ttlMs, deadHolder }))[0]!;
      if (!row.acquired) return { acquired: false as const, found: row as unknown as Holder };
      const failed = (await runNamed(tx, 'ingest/fail-abandoned-syncs', ctx))[0]?.failed as string[];
      return { acquired: true as const, failed };
    });
    if (got.acquired) {
      if (got.failed.length) logger.warn({ source: ctx.source, scope: ctx.scope, abandoned: got.failed }, 'earlier syncs of this source and scope lost their writer: recorded as failed');
      return heartbeat(graph, key, ctx, ttlMs, got.failed);
    }
    const found = got.found;
    // A holder whose process is gone on this host will never renew: take over now instead of at expiry.
    if (found.host === host && found.pid !== null && found.holder !== null && !processAlive(Number(found.pid))) {
      deadHolder = found.holder;
      continue;
    }
    const what = `sync ${found.holder} (host ${found.host}, pid ${found.pid}, lease until ${found.expiresAt})`;
    if (Date.now() >= deadline) {
      throw new SyncBusyError(
        `${ctx.source}/${ctx.scope}: another sync of this source and scope is running: ${what}; ${waitMs > 0 ? `waited ${Math.round(waitMs / 1000)} s; ` : ''}try again when it ends (syncs of one source and scope run one at a time)`,
      );
    }
    if (!told) logger.info({ source: ctx.source, scope: ctx.scope, holder: found.holder, expiresAt: found.expiresAt }, `waiting for ${what}`);
    told = true;
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
    delay = Math.min(delay * 2, 2_000);
  }
}

function heartbeat(graph: Graph, key: string, ctx: { source: string; scope: string; syncId: string }, ttlMs: number, abandoned: string[]): Lease {
  let lost: string | undefined;
  let renewing: Promise<unknown> = Promise.resolve();
  const lostMessage = () => `${ctx.source}/${ctx.scope}: sync ${ctx.syncId} lost its lease (it stalled past the lease time and another sync took over); nothing more is written or removed`;
  const timer = setInterval(() => {
    renewing = graph
      .write('ingest/renew-sync-lease', { key, syncId: ctx.syncId, ttlMs })
      .then((r) => {
        if (Number(r.rows[0]?.held ?? 0) === 0) lost = lostMessage();
      })
      // Neo4j unreachable: the writes fail on their own; keep trying until the sync ends.
      .catch((e: unknown) => logger.warn({ err: (e as Error).message, syncId: ctx.syncId }, 'could not renew the sync lease'));
  }, Math.max(50, Math.floor(ttlMs / 4)));
  timer.unref();
  return {
    abandoned,
    check() {
      if (lost) throw new IngestError(lost);
    },
    async confirm(run) {
      const rows = await run('ingest/renew-sync-lease', { key, syncId: ctx.syncId, ttlMs });
      if (Number(rows[0]?.held ?? 0) === 0) throw new IngestError((lost = lostMessage()));
    },
    async release() {
      clearInterval(timer);
      await renewing;
      await graph.write('ingest/release-sync-lease', { key, syncId: ctx.syncId }).catch((e: unknown) => logger.warn({ err: (e as Error).message, syncId: ctx.syncId }, 'could not release the sync lease; it expires on its own'));
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
