/**
 * Blast-radius answers cached per graph generation (docs/api.md, "Caching"). The generation is the
 * latest finished Sync (api/graph-generation, one index read), checked at most once a second and only
 * when a request comes; a new one drops every entry. Bounded LRU: the least recently used entry goes
 * first. A failed computation is not kept. Tag changes made through this API drop the cache at once
 * (`invalidateBlastCache`); changes written by another process show after the next sync finishes.
 */
import type { Driver } from 'neo4j-driver';
import type { Graph } from '../graph/driver.js';

/** Entries kept per Neo4j driver (one API server): a blast radius is tens of kB at most. */
export const BLAST_CACHE_ENTRIES = 256;
/** How stale the generation may be before it is read again. */
export const GENERATION_CHECK_MS = 1000;

/** An LRU of promises that empties itself when the graph's generation changes. */
export class GenerationCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  private generation: string | undefined;
  private checkedAt = -Infinity;
  private checking: Promise<void> | undefined;
  /** Counters for tests and /metrics. */
  readonly stats = { hits: 0, misses: 0, invalidations: 0 };

  constructor(
    private readonly max: number,
    private readonly readGeneration: (graph: Graph) => Promise<string>,
    private readonly checkEveryMs = GENERATION_CHECK_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The cached value for `key`, or `compute()`'s, kept for later requests of the same generation. */
  async get(graph: Graph, key: string, compute: () => Promise<V>): Promise<V> {
    await this.refresh(graph);
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserted last: the map's order is least recently used first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.stats.hits++;
      return hit;
    }
    this.stats.misses++;
    const p = compute();
    this.entries.set(key, p);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    p.catch(() => {
      if (this.entries.get(key) === p) this.entries.delete(key);
    });
    return p;
  }

  /** Drops every entry now (the graph changed in a way no Sync records, e.g. a tag). */
  invalidate(): void {
    this.entries.clear();
    this.stats.invalidations++;
  }

  get size(): number {
    return this.entries.size;
  }

  private async refresh(graph: Graph): Promise<void> {
    if (this.now() - this.checkedAt < this.checkEveryMs) return;
    // One generation read at a time, however many requests arrive together.
    this.checking ??= this.readGeneration(graph)
      .then((g) => {
        if (g !== this.generation) {
          if (this.generation !== undefined) this.invalidate();
          this.generation = g;
        }
        this.checkedAt = this.now();
      })
      .finally(() => {
        this.checking = undefined;
      });
    await this.checking;
  }
}

/** The latest finished sync as one string ('' when none finished yet). */
export async function graphGeneration(graph: Graph): Promise<string> {
  const r = (await graph.read('queries/api/graph-generation'))[0];
  return r ? `${String(r.finishedAt)}\u0000${String(r.id)}` : '';
}

/** One generation cache of `max` entries per Neo4j driver (per API server), made on first use. */
function perDriver(max: number): <V>(graph: Graph) => GenerationCache<V> {
  const byDriver = new WeakMap<Driver, GenerationCache<unknown>>();
  return <V>(graph: Graph): GenerationCache<V> => {
    let c = byDriver.get(graph.driver);
    if (!c) byDriver.set(graph.driver, (c = new GenerationCache<unknown>(max, graphGeneration)));
    return c as GenerationCache<V>;
  };
}

/** The blast-radius cache of the server that uses `graph`'s driver. */
export const blastCache = perDriver(BLAST_CACHE_ENTRIES);

/** Subject resolutions kept per server: an entry is one short row. */
export const SUBJECT_CACHE_ENTRIES = 10_000;

/**
 * What `agent(id)` resolved each id to (the candidates of risk/resolve-subject), per generation: which
 * nodes an id names changes only when a sync adds or removes nodes, so a request for a known agent
 * costs no resolution query. Its summary (risk score, observed) is still read per request: a findings
 * refresh changes the score without a sync.
 */
export const subjectCache = perDriver(SUBJECT_CACHE_ENTRIES);

/** Drops the blast-radius cache of `graph`'s server (call after changing risk tags through the API). */
export function invalidateBlastCache(graph: Graph): void {
  blastCache(graph).invalidate();
}
