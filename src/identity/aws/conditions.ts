/**
 * Condition evaluation with three outcomes. Static analysis rarely knows the request context, so
 * a key the context does not know makes the result `unknown` (the grant is kept and marked
 * conditional), while a key the context knows to be absent follows AWS's rules for missing keys.
 */
import { globMatch } from './glob.js';
import type { ConditionBlock } from './policy.js';

export type Tri = 'true' | 'false' | 'unknown';

/** What the evaluator knows about a request's context keys (keys compared case-insensitively). */
export interface RequestContext {
  /** Known keys and their values (lower-case keys). */
  values?: Record<string, string[]>;
  /** Keys certainly absent from the request; when not given, unknown keys stay unknown. */
  isAbsent?: (lowerKey: string) => boolean;
  /** Keys certainly present whose value is unknown (a role session's `aws:TokenIssueTime`). */
  isPresent?: (lowerKey: string) => boolean;
}

/** A policy variable: `${key}` or `${key, 'default'}` (IAM policy variables reference, default values). */
export interface PolicyVariable {
  key: string;
  fallback?: string;
}

/** Parse the inside of `${…}`; the escapes `${*}`, `${?}`, `${$}` are not variables (undefined). */
export function parseVariable(inner: string): PolicyVariable | undefined {
  if (inner === '*' || inner === '?' || inner === '$') return undefined;
  const m = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/.exec(inner);
  return m ? { key: m[1]!.toLowerCase(), fallback: m[2]! } : { key: inner.trim().toLowerCase() };
}

/**
 * Resolve one variable against what the context knows: its value, its default when the key is
 * known to be absent, `invalid` when absent without a default (IAM: any attempt to match a key
 * the request lacks fails and the statement does not apply), or `unknown`.
 */
export function resolveVariable(v: PolicyVariable, ctx: RequestContext | undefined): { value: string } | 'invalid' | 'unknown' {
  const have = ctx?.values?.[v.key];
  if (have !== undefined && have.length === 1) return { value: have[0]! };
  const absent = have === undefined && (ctx?.isAbsent?.(v.key) ?? false);
  if (absent) return v.fallback !== undefined ? { value: v.fallback } : 'invalid';
  return 'unknown';
}

export function context(values: Record<string, string | string[]>, isAbsent?: (lowerKey: string) => boolean): RequestContext {
  const v: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(values)) v[k.toLowerCase()] = Array.isArray(val) ? val : [val];
  return isAbsent === undefined ? { values: v } : { values: v, isAbsent };
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'false' || b === 'false') return 'false';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'true';
}
function or(a: Tri, b: Tri): Tri {
  if (a === 'true' || b === 'true') return 'true';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'false';
}
function not(a: Tri): Tri {
  return a === 'true' ? 'false' : a === 'false' ? 'true' : 'unknown';
}

type Cmp = (have: string, want: string) => boolean | undefined;

function numeric(f: (a: number, b: number) => boolean): Cmp {
  return (h, w) => {
    const a = Number(h);
    const b = Number(w);
    return Number.isNaN(a) || Number.isNaN(b) ? false : f(a, b);
  };
}
function date(f: (a: number, b: number) => boolean): Cmp {
  const toMs = (s: string): number => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
  return (h, w) => {
    const a = toMs(h);
    const b = toMs(w);
    return Number.isNaN(a) || Number.isNaN(b) ? false : f(a, b);
  };
}
function ipInCidr(ip: string, cidr: string): boolean {
  const toNum = (s: string): number | undefined => {
    const p = s.split('.').map(Number);
    if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
    return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
  };
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = toNum(ip);
  const b = toNum(base ?? '');
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

/**
 * Substitute the policy variables of a Resource pattern: known values in, an unknown one becomes `*`
 * (`unknown`), one whose key the request cannot have makes the pattern `invalid`. `escape` renders the
 * escapes `${*}`, `${?}`, `${$}` (given the character).
 */
export function substituteVariables(pattern: string, ctx: RequestContext | undefined, escape: (ch: string) => string = (ch) => ch): { value: string; unknown: boolean; invalid: boolean } {
  if (!pattern.includes('${')) return { value: pattern, unknown: false, invalid: false };
  let unknown = false;
  let invalid = false;
  const value = pattern.replace(/\$\{([^}]+)\}/g, (_m, inner: string) => {
    const v = parseVariable(inner);
    if (v === undefined) return escape(inner);
    const r = resolveVariable(v, ctx);
    if (typeof r === 'object') return r.value;
    if (r === 'invalid') invalid = true;
    else unknown = true;
    return '*';
  });
  return { value, unknown, invalid };
}

/** Base operators: positive ones; negated ones are derived below. */
const POSITIVE: Record<string, Cmp> = {
  stringequals: (h, w) => h === w,
  stringequalsignorecase: (h, w) => h.toLowerCase() === w.toLowerCase(),
  stringlike: (h, w) => globMatch(w, h),
  arnequals: (h, w) => globMatch(w, h, { arnSegments: true }),
  arnlike: (h, w) => globMatch(w, h, { arnSegments: true }),
  numericequals: numeric((a, b) => a === b),
  numericlessthan: numeric((a, b) => a < b),
  numericlessthanequals: numeric((a, b) => a <= b),
  numericgreaterthan: numeric((a, b) => a > b),
  numericgreaterthanequals: numeric((a, b) => a >= b),
  dateequals: date((a, b) => a === b),
  datelessthan: date((a, b) => a < b),
  datelessthanequals: date((a, b) => a <= b),
  dategreaterthan: date((a, b) => a > b),
  dategreaterthanequals: date((a, b) => a >= b),
  bool: (h, w) => h.toLowerCase() === w.toLowerCase(),
  binaryequals: (h, w) => h === w,
  ipaddress: (h, w) => ipInCidr(h, w),
};
const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  notipaddress: 'ipaddress',
};

/** Resolve `${aws:username}`-style variables inside condition values when the context knows them. */
function resolveVariables(value: string, ctx: RequestContext): string | 'unknown' | 'invalid' {
  if (!value.includes('${')) return value;
  let state: 'ok' | 'unknown' | 'invalid' = 'ok';
  const out = value.replace(/\$\{([^}]+)\}/g, (_m, inner: string) => {
    const v = parseVariable(inner);
    if (v === undefined) return inner;
    const r = resolveVariable(v, ctx);
    if (typeof r === 'object') return r.value;
    if (r === 'invalid') state = 'invalid';
    else if (state === 'ok') state = 'unknown';
    return '';
  });
  return state === 'ok' ? out : state;
}

/** Evaluate one operator/key/values entry. */
export function evaluateCondition(operator: string, key: string, wanted: string[], ctx: RequestContext): Tri {
  let op = operator.toLowerCase();
  let setMode: 'single' | 'any' | 'all' = 'single';
  if (op.startsWith('forallvalues:')) {
    setMode = 'all';
    op = op.slice('forallvalues:'.length);
  } else if (op.startsWith('foranyvalue:')) {
    setMode = 'any';
    op = op.slice('foranyvalue:'.length);
  }
  let ifExists = false;
  if (op.endsWith('ifexists')) {
    ifExists = true;
    op = op.slice(0, -'ifexists'.length);
  }
  const lowerKey = key.toLowerCase();
  const have = ctx.values?.[lowerKey];
  const absent = have === undefined && (ctx.isAbsent?.(lowerKey) ?? false);
  const present = have !== undefined || (ctx.isPresent?.(lowerKey) ?? false);

  if (op === 'null') {
    // Null: true when the key is absent; "false" when it is present.
    if (!present && !absent) return 'unknown';
    const isNull = have === undefined ? !present : have.length === 0;
    return or('false', wanted.some((w) => (w.toLowerCase() === 'true') === isNull) ? 'true' : 'false');
  }
  const negatedBase = NEGATED[op];
  const base = POSITIVE[negatedBase ?? op];
  if (base === undefined) return 'unknown'; // an operator we do not know: never silently true or false
  const resolved = wanted.map((w) => resolveVariables(w, ctx));
  // A variable whose key the request lacks makes the statement invalid: it never applies, whatever
  // the operator (IAM User Guide, policy variables reference: "any attempt to match it fails").
  if (resolved.includes('invalid')) return 'false';

  if (have === undefined) {
    if (!absent) return 'unknown';
    if (ifExists) return 'true';
    if (setMode === 'all') return 'true'; // vacuous truth: AWS's documented ForAllValues pitfall
    if (setMode === 'any') return 'false';
    return negatedBase === undefined ? 'false' : 'true';
  }
  if (resolved.includes('unknown')) return 'unknown';
  const ws = resolved as string[];
  const matchOne = (h: string): boolean | undefined => {
    let anyUnknown = false;
    for (const w of ws) {
      const r = base(h, w);
      if (r === true) return true;
      if (r === undefined) anyUnknown = true;
    }
    return anyUnknown ? undefined : false;
  };
  const toTri = (b: boolean | undefined): Tri => (b === undefined ? 'unknown' : b ? 'true' : 'false');
  let pos: Tri;
  if (setMode === 'all') {
    pos = have.reduce<Tri>((acc, h) => and(acc, toTri(matchOne(h))), 'true');
    // Negated ForAllValues: every value matches none of the wanted values.
    if (negatedBase !== undefined) return have.reduce<Tri>((acc, h) => and(acc, not(toTri(matchOne(h)))), 'true');
    return pos;
  }
  if (setMode === 'any') {
    if (negatedBase !== undefined) return have.reduce<Tri>((acc, h) => or(acc, not(toTri(matchOne(h)))), 'false');
    return have.reduce<Tri>((acc, h) => or(acc, toTri(matchOne(h))), 'false');
  }
  // Single-valued key: any of the request's values (normally one) against the wanted values (OR).
  pos = have.reduce<Tri>((acc, h) => or(acc, toTri(matchOne(h))), 'false');
  return negatedBase === undefined ? pos : not(pos);
}

/** Evaluate a whole condition block: operators AND, keys AND, values OR. */
export function evaluateConditions(block: ConditionBlock | undefined, ctx: RequestContext): Tri {
  if (block === undefined) return 'true';
  let result: Tri = 'true';
  for (const [op, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) {
      result = and(result, evaluateCondition(op, key, values, ctx));
      if (result === 'false') return result;
    }
  }
  return result;
}

export const tri = { and, or, not };
