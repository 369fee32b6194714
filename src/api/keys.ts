/**
 * API keys: `rgk_<id>_<secret>`, made by `reachgraph api-key create`, stored as `ApiKey` nodes.
 *
 * The graph keeps the secret's SHA-256, never the secret. A plain fast hash is enough here, and a
 * password hash (scrypt, argon2) would only slow every request: the secret is 32 random bytes, so
 * there is no dictionary to try and a brute force of 2^256 is out of reach whatever the hash costs;
 * slow hashes exist for low-entropy human passwords. Anyone who can read the node (an analyst's
 * console, a viewer's `node(id)`) learns nothing that lets them present the key.
 *
 * Verification looks the key up by its public id and compares hashes in constant time. A positive
 * cache (KEY_CACHE_TTL_MS) spares Neo4j a read per request; it is why a revoke, made by another
 * process, takes effect within that bound. Last use is written at most once a minute per key.
 */
import crypto from 'node:crypto';
import { InputError } from '../errors.js';
import type { Graph } from '../graph/driver.js';
import { logger } from '../log.js';
import { GRANTABLE_ROLES, grantedRoles, type CredentialVerifier, type GrantableRole } from './auth.js';
import type { Principal } from './context.js';

/** How long a verified key is trusted without asking Neo4j again: the bound on a revoke's delay. */
export const KEY_CACHE_TTL_MS = 5_000;
/** Last use is written at most this often per key. */
export const KEY_TOUCH_EVERY_MS = 60_000;
const CACHE_MAX = 10_000;

const KEY_RE = /^rgk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ID_RE = /^[0-9a-f]{16}$/;

/** A key as `api-key list` shows it: never the secret, never its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `rgk_<16 hex id>_<43 base64url secret>` → its parts; undefined for anything else. */
export function parseApiKey(presented: string): { id: string; secret: string } | undefined {
  const m = KEY_RE.exec(presented);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

function sha256(s: string): Buffer {
  return crypto.createHash('sha256').update(s).digest();
}

/** Makes and stores a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(graph: Graph, input: { name: string; role: string }): Promise<ApiKeyInfo & { key: string }> {
  const name = input.name.trim();
  if (name === '' || name.length > 100 || /[\p{Cc}]/u.test(name)) throw new InputError('--name: 1 to 100 characters, no control characters');
  if (!(GRANTABLE_ROLES as readonly string[]).includes(input.role)) throw new InputError(`--role: must be one of ${GRANTABLE_ROLES.join(', ')}, got "${input.role}"`);
  const id = crypto.randomBytes(8).toString('hex');
  const secret = crypto.randomBytes(32).toString('base64url');
  const rows = (await graph.write('queries/api/keys-create', { id, name, role: input.role as GrantableRole, secretHash: sha256(secret).toString('hex') })).rows;
  const r = rows[0]!;
  return { id, name, role: input.role, createdAt: String(r.createdAt), lastUsedAt: null, revokedAt: null, key: `rgk_${id}_${secret}` };
}

/** Every key, oldest first. */
export async function listApiKeys(graph: Graph): Promise<ApiKeyInfo[]> {
  const rows = await graph.read('queries/api/keys-list');
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    role: String(r.role),
    createdAt: String(r.createdAt),
    lastUsedAt: (r.lastUsedAt as string | null) ?? null,
    revokedAt: (r.revokedAt as string | null) ?? null,
  }));
}

/** Revokes a key by id (idempotent); a running API stops accepting it within KEY_CACHE_TTL_MS. */
export async function revokeApiKey(graph: Graph, id: string): Promise<{ id: string; revokedAt: string }> {
  if (!ID_RE.test(id)) throw new InputError(`API key id "${id}": expected 16 hex characters (the part after rgk_, as \`api-key list\` shows it)`);
  const rows = (await graph.write('queries/api/keys-revoke', { id })).rows;
  if (rows.length === 0) throw new InputError(`API key id "${id}": no such key`);
  return { id, revokedAt: String(rows[0]!.revokedAt) };
}

/** Verifies presented API keys for the API server (one instance per server). */
export class ApiKeyVerifier implements CredentialVerifier {
  private readonly cache = new Map<string, { hash: Buffer; principal: Principal; until: number }>();
  private readonly touched = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly touchEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly graph: Graph,
    opts: { cacheTtlMs?: number; touchEveryMs?: number; now?: () => number } = {},
  ) {
    this.ttlMs = opts.cacheTtlMs ?? KEY_CACHE_TTL_MS;
    this.touchEveryMs = opts.touchEveryMs ?? KEY_TOUCH_EVERY_MS;
    this.now = opts.now ?? (() => performance.now());
  }

  accepts(credential: string): boolean {
    return credential.startsWith('rgk_');
  }

  async verify(credential: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(credential);
    if (!parsed) return undefined;
    const digest = sha256(parsed.secret);
    const t = this.now();
    let entry = this.cache.get(parsed.id);
    if (!entry || entry.until <= t) {
      this.cache.delete(parsed.id);
      const row = (await this.graph.read('queries/api/keys-get', { id: parsed.id }))[0];
      if (!row || row.revoked === true) return undefined;
      const hash = Buffer.from(String(row.secretHash), 'hex');
      if (hash.length !== digest.length) return undefined;
      entry = { hash, principal: { name: `key:${parsed.id}:${String(row.name)}`, roles: grantedRoles(row.role) }, until: t + this.ttlMs };
      if (!crypto.timingSafeEqual(entry.hash, digest)) return undefined;
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(parsed.id, entry);
    } else if (!crypto.timingSafeEqual(entry.hash, digest)) return undefined;
    this.touch(parsed.id, t);
    return entry.principal;
  }

  /** Waits for last-use writes in flight (call before closing the graph). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private touch(id: string, t: number): void {
    const last = this.touched.get(id);
    if (last !== undefined && t - last < this.touchEveryMs) return;
    if (this.touched.size >= CACHE_MAX) this.touched.clear();
    this.touched.set(id, t);
    // Off the request's path: a failed write costs a stale "last used", never a refused request.
    const p = this.graph
      .write('queries/api/keys-touch', { id })
      .catch((e: unknown) => logger.warn({ keyId: id, err: (e as Error).message }, 'could not record an API key\'s last use'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
}
