/**
 * Effective permissions of a principal, as grants grouped per resource pattern: identity Allows
 * (with `NotAction` expanded against the catalog and narrowed to the Resource element), cut by the
 * permission boundary and SCP levels, minus explicit Denies. A Deny or boundary that depends on a
 * condition does not remove a grant: it marks it conditional with the condition text.
 */
import type { ActionCatalog } from './catalog.js';
import { evaluateConditions, substituteVariables, type RequestContext } from './conditions.js';
import { principalContext } from './evaluate.js';
import { actionMatches, hasWildcard, resourceCovers, resourceMatches, serviceOf } from './glob.js';
import { conditionText, type NamedPolicy, type Statement } from './policy.js';
import { actionSensitivity, maxSensitivity, type Sensitivity } from './sensitivity.js';

export interface Grant {
  /** Resource pattern; for NotResource statements `NOT ` + the excluded patterns joined by `,`. */
  resource: string;
  /** NotResource statements: the excluded patterns, one each (a pattern may itself hold a comma). */
  negated?: string[];
  /** Lower-case concrete action keys (literal unknown actions kept). */
  actions: Set<string>;
  conditional: boolean;
  conditions: string[];
  policies: string[];
}

export interface EffectiveInput {
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  scps?: NamedPolicy[][];
  /** `${aws:username}` and friends, for resource patterns. */
  variables?: Record<string, string>;
  /** Whose permissions: decides which keys can never be present (a role has no aws:username). */
  principalKind?: 'user' | 'role';
  /** A boundary the principal has but the input lacks: every grant becomes conditional on it. */
  unreadableBoundary?: string;
}

interface Part {
  resource: string;
  negated?: string[];
  actions: Set<string>;
  conditions: string[];
  policy: string;
}

function substitute(pattern: string, ctx: RequestContext, version: string): { value: string; unknown: boolean; invalid: boolean } {
  return version === '2008-10-17' ? { value: pattern, unknown: false, invalid: false } : substituteVariables(pattern, ctx);
}

/** Concrete actions of a statement that can apply to `resource`. */
export function statementActions(st: Statement, resource: string, catalog: ActionCatalog): Set<string> {
  const out = new Set<string>();
  if (st.action !== undefined) {
    for (const p of st.action) {
      const wild = hasWildcard(p);
      for (const k of catalog.expand(p)) if (!wild || catalog.appliesTo(k, resource)) out.add(k);
    }
  } else {
    const excluded = st.notAction!;
    for (const k of catalog.all()) {
      if (excluded.some((p) => actionMatches(p, k))) continue;
      if (catalog.appliesTo(k, resource)) out.add(k);
    }
  }
  return out;
}

function partsOf(policies: NamedPolicy[], effect: 'Allow' | 'Deny', catalog: ActionCatalog, ctx: RequestContext): Part[] {
  const parts: Part[] = [];
  for (const p of policies) {
    for (const st of p.doc.statements) {
      if (st.effect !== effect || st.principal !== undefined) continue;
      // A variable or condition key the principal type never has voids the statement (see evaluate.ts).
      if ((st.resource ?? st.notResource ?? []).some((r) => substitute(r, ctx, p.doc.version).invalid)) continue;
      if (evaluateConditions(st.condition, ctx) === 'false') continue;
      const cond = conditionText(st.condition);
      if (st.notResource !== undefined) {
        const negated = st.notResource.map((r) => substitute(r, ctx, p.doc.version).value);
        parts.push({ resource: `NOT ${negated.join(',')}`, negated, actions: statementActions(st, '*', catalog), conditions: cond ? [cond] : [], policy: p.name });
        continue;
      }
      for (const r of st.resource ?? ['*']) {
        const sub = substitute(r, ctx, p.doc.version);
        const conditions = cond ? [cond] : [];
        if (sub.unknown) conditions.push(JSON.stringify({ policyVariable: r }));
        parts.push({ resource: sub.value, actions: statementActions(st, sub.value, catalog), conditions, policy: p.name });
      }
    }
  }
  return parts;
}

/** Intersection of two resource patterns when one contains the other; undefined when unrelated. */
function intersect(a: Part, b: Part): string | undefined {
  if (a.negated || b.negated) {
    if (b.negated && !a.negated) return b.negated.some((n) => resourceCovers(n, a.resource) || resourceMatches(n, a.resource)) ? undefined : a.resource;
    if (a.negated && !b.negated) return a.negated.some((n) => resourceCovers(n, b.resource) || resourceMatches(n, b.resource)) ? undefined : b.resource;
    return a.resource === b.resource ? a.resource : undefined;
  }
  if (resourceCovers(b.resource, a.resource)) return a.resource;
  if (resourceCovers(a.resource, b.resource)) return b.resource;
  return undefined;
}

function intersectSets(a: Set<string>, b: Set<string>): Set<string> {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<string>();
  for (const x of small) if (big.has(x)) out.add(x);
  return out;
}

/** Limit parts by a set of allow parts (a boundary or one SCP level): keep only what both allow. */
function limitBy(parts: Part[], limits: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    for (const l of limits) {
      const r = intersect(p, l);
      if (r === undefined) continue;
      const acts = intersectSets(p.actions, l.actions);
      if (acts.size === 0) continue;
      const np: Part = { resource: r, actions: acts, conditions: [...p.conditions, ...l.conditions], policy: p.policy };
      if (r === p.resource && p.negated) np.negated = p.negated;
      else if (r === l.resource && l.negated) np.negated = l.negated;
      out.push(np);
    }
  }
  return out;
}

/** Effective grants, merged per resource pattern and condition set. */
export function effectivePermissions(input: EffectiveInput, catalog: ActionCatalog): Grant[] {
  const given: RequestContext = { values: Object.fromEntries(Object.entries(input.variables ?? {}).map(([k, v]) => [k.toLowerCase(), [v]])) };
  const ctx = input.principalKind === undefined ? given : principalContext({ kind: input.principalKind, id: '' }, given);
  let parts = partsOf(input.identity, 'Allow', catalog, ctx);
  if (input.boundary) parts = limitBy(parts, partsOf([input.boundary], 'Allow', catalog, ctx));
  else if (input.unreadableBoundary !== undefined) for (const p of parts) p.conditions.push(JSON.stringify({ unreadableBoundary: input.unreadableBoundary }));
  for (const level of input.scps ?? []) parts = limitBy(parts, partsOf(level, 'Allow', catalog, ctx));

  const denies = partsOf([...input.identity, ...(input.boundary ? [input.boundary] : []), ...(input.scps ?? []).flat()], 'Deny', catalog, ctx);
  const result: Part[] = [];
  for (const p of parts) {
    let actions = p.actions;
    const extra: Part[] = [];
    for (const d of denies) {
      const covers = !d.negated && d.resource === '*' ? true : p.negated ? false : d.negated ? !d.negated.some((n) => resourceMatches(n, p.resource) || resourceCovers(n, p.resource) || resourceCovers(p.resource, n)) : resourceCovers(d.resource, p.resource);
      const overlaps = covers || intersect(p, d) !== undefined;
      if (!overlaps) continue;
      const hit = intersectSets(actions, d.actions);
      if (hit.size === 0) continue;
      const remaining = new Set<string>();
      for (const a of actions) if (!hit.has(a)) remaining.add(a);
      actions = remaining;
      // Conditional or partial denies leave the actions granted, but only conditionally.
      if (d.conditions.length > 0 || !covers) {
        const why = d.conditions.length > 0 ? d.conditions.map((c) => JSON.stringify({ unlessDenied: JSON.parse(c) as unknown })) : [JSON.stringify({ partlyDeniedOn: d.resource })];
        extra.push({ resource: p.resource, actions: hit, conditions: [...p.conditions, ...why], policy: p.policy, ...(p.negated ? { negated: p.negated } : {}) });
      }
    }
    if (actions.size > 0) result.push({ ...p, actions });
    result.push(...extra);
  }

  const merged = new Map<string, Grant>();
  for (const p of result) {
    const conditions = [...new Set(p.conditions)].sort();
    const key = `${p.resource}\u0000${conditions.join('\u0000')}`;
    let g = merged.get(key);
    if (g === undefined) merged.set(key, (g = { resource: p.resource, ...(p.negated ? { negated: p.negated } : {}), actions: new Set(), conditional: conditions.length > 0, conditions, policies: [] }));
    for (const a of p.actions) g.actions.add(a);
    if (!g.policies.includes(p.policy)) g.policies.push(p.policy);
  }
  return [...merged.values()];
}

/**
 * Compress a grant's actions for storage: `*` when every action applicable to the resource is
 * granted, `svc:*` when a whole service is, else canonical names. Each entry gets the most severe
 * sensitivity class it covers.
 */
export function compressActions(actions: Set<string>, resource: string, catalog: ActionCatalog): { actions: string[]; sensitivity: Sensitivity[] } {
  const byService = new Map<string, string[]>();
  let known = 0;
  for (const a of actions) {
    const s = serviceOf(a);
    let l = byService.get(s);
    if (l === undefined) byService.set(s, (l = []));
    l.push(a);
    if (catalog.actions.has(a) && catalog.appliesTo(a, resource)) known++;
  }
  if (known > 0 && known >= catalog.applicableCount(resource)) return { actions: ['*'], sensitivity: ['admin'] };
  const outA: string[] = [];
  const outS: Sensitivity[] = [];
  for (const [svc, keys] of [...byService.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const all = catalog.applicableKeys(svc, resource);
    if (all.length > 1 && keys.length >= all.length && all.every((k) => actions.has(k))) {
      outA.push(`${svc}:*`);
      outS.push(serviceSensitivity(svc, resource, catalog));
    } else {
      for (const k of keys.sort()) {
        outA.push(catalog.canonical(k));
        outS.push(actionSensitivity(k, catalog));
      }
    }
  }
  return { actions: outA, sensitivity: outS };
}

const serviceSensitivityCache = new WeakMap<ActionCatalog, Map<string, Sensitivity>>();
function serviceSensitivity(svc: string, resource: string, catalog: ActionCatalog): Sensitivity {
  let m = serviceSensitivityCache.get(catalog);
  if (m === undefined) serviceSensitivityCache.set(catalog, (m = new Map()));
  const all = catalog.applicableKeys(svc, resource);
  const k = `${svc}|${all.length}`;
  let s = m.get(k);
  if (s === undefined) m.set(k, (s = maxSensitivity(all.map((x) => actionSensitivity(x, catalog))) ?? 'write'));
  return s;
}

/** Admin: every action on every resource, unconditionally. */
export function isAdmin(grants: Grant[], catalog: ActionCatalog): boolean {
  return grants.some((g) => g.resource === '*' && !g.conditional && g.actions.size >= catalog.size && compressActions(g.actions, '*', catalog).actions[0] === '*');
}
