/**
 * IAM wildcard matching without regular expressions. `?` matches one character, `*` any run.
 * Actions match case-insensitively; resource ARNs case-sensitively (IAM "Resource" element docs).
 *
 * ARN patterns follow the documented segment rule (IAM User Guide, "IAM JSON policy elements:
 * Resource", section "Using wildcards in resource ARNs"): wildcards work within the colon-separated
 * segments, and only a `*` that is the last character of a segment may expand beyond the colon
 * boundaries. So in `arn:aws:iam:*host` the `*` stays inside its segment, while in
 * `arn:aws:dynamodb:us-*:…` or `arn:aws:s3:::b/*` it may cross colons.
 *
 * Matching simulates the pattern as a small automaton over the text: at most
 * |pattern| × |text| steps, never the exponential backtracking of a `.*`-per-star regex (a policy
 * with 25 wildcards used to stall the collector). Patterns are compiled once and memoized.
 */

/** How one pattern position matches: a literal, `?`, or a `*` that may or may not cross `:`. */
const LIT = 0;
const ONE = 1;
const ONE_IN_SEGMENT = 2;
const STAR = 3;
const STAR_IN_SEGMENT = 4;

interface Compiled {
  kinds: Uint8Array;
  /** Char codes of literals (lower-cased for case-insensitive patterns). */
  codes: Uint16Array;
  /** Only free `*`, `?` and literals: the two-pointer matcher suffices. */
  simple: boolean;
  /** Only free `*` and literals: the literal runs between stars, matched leftmost with indexOf. */
  chunks?: string[];
  caseInsensitive: boolean;
}

const COLON = 58;
/** One memo per mode (index: caseInsensitive + 2 × arnSegments), keyed by the pattern itself. */
const caches = [new Map<string, Compiled>(), new Map<string, Compiled>(), new Map<string, Compiled>(), new Map<string, Compiled>()];

function compile(pattern: string, caseInsensitive: boolean, arnSegments: boolean): Compiled {
  const cache = caches[(caseInsensitive ? 1 : 0) + (arnSegments ? 2 : 0)]!;
  let c = cache.get(pattern);
  if (c !== undefined) return c;
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const kinds = new Uint8Array(p.length);
  const codes = new Uint16Array(p.length);
  let simple = true;
  for (let i = 0; i < p.length; i++) {
    const ch = p.charCodeAt(i);
    codes[i] = ch;
    if (ch === 42 /* * */) {
      const crosses = !arnSegments || i === p.length - 1 || p.charCodeAt(i + 1) === COLON;
      kinds[i] = crosses ? STAR : STAR_IN_SEGMENT;
      if (!crosses) simple = false;
    } else if (ch === 63 /* ? */) {
      kinds[i] = arnSegments ? ONE_IN_SEGMENT : ONE;
      if (arnSegments) simple = false;
    } else kinds[i] = LIT;
  }
  c = { kinds, codes, simple, caseInsensitive };
  if (simple && !p.includes('?')) c.chunks = p.split('*');
  if (cache.size > 200_000) cache.clear();
  cache.set(pattern, c);
  return c;
}

/**
 * Star-only pattern: the text must start with the first run and end with the last; the runs in
 * between are taken leftmost, in order (leftmost is never worse for a later run).
 */
function matchChunks(chunks: string[], t: string): boolean {
  const first = chunks[0]!;
  if (chunks.length === 1) return first === t;
  const last = chunks[chunks.length - 1]!;
  if (t.length < first.length + last.length || !t.startsWith(first) || !t.endsWith(last)) return false;
  let pos = first.length;
  const end = t.length - last.length;
  for (let k = 1; k < chunks.length - 1; k++) {
    const run = chunks[k]!;
    if (run === '') continue;
    const at = t.indexOf(run, pos);
    if (at < 0 || at + run.length > end) return false;
    pos = at + run.length;
  }
  return true;
}

/** Classic wildcard two-pointer: on a mismatch resume after the last `*`, one text char later. */
function matchSimple(c: Compiled, t: string): boolean {
  const { kinds, codes } = c;
  const m = kinds.length;
  const n = t.length;
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < n) {
    if (p < m && kinds[p] !== STAR && (kinds[p] === ONE || codes[p] === t.charCodeAt(i))) {
      p++;
      i++;
    } else if (p < m && kinds[p] === STAR) {
      starP = p++;
      starI = i;
    } else if (starP >= 0) {
      p = starP + 1;
      i = ++starI;
    } else return false;
  }
  while (p < m && kinds[p] === STAR) p++;
  return p === m;
}

/** State-set simulation for patterns with segment-bound wildcards (each state visited once per char). */
function matchAutomaton(c: Compiled, t: string): boolean {
  const { kinds, codes } = c;
  const m = kinds.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (s: Uint8Array): void => {
    // A star may match the empty run: its state also reaches the following one.
    for (let j = 0; j < m; j++) if (s[j] && (kinds[j] === STAR || kinds[j] === STAR_IN_SEGMENT)) s[j + 1] = 1;
  };
  cur[0] = 1;
  close(cur);
  for (let i = 0; i < t.length; i++) {
    const ch = t.charCodeAt(i);
    next.fill(0);
    let any = false;
    for (let j = 0; j < m; j++) {
      if (!cur[j]) continue;
      const k = kinds[j]!;
      if (k === STAR || (k === STAR_IN_SEGMENT && ch !== COLON)) {
        next[j] = 1;
        any = true;
      } else if (k === ONE || (k === ONE_IN_SEGMENT && ch !== COLON) || (k === LIT && codes[j] === ch)) {
        next[j + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    [cur, next] = [next, cur];
  }
  return cur[m] === 1;
}

/**
 * Does an IAM glob match a text? `arnSegments` applies the ARN segment rule (wildcards stay
 * inside a colon-separated segment unless the `*` ends it); otherwise `*` spans everything.
 */
export function globMatch(pattern: string, text: string, opts: { caseInsensitive?: boolean; arnSegments?: boolean } = {}): boolean {
  return match(compile(pattern, opts.caseInsensitive === true, opts.arnSegments === true), text);
}

function match(c: Compiled, text: string): boolean {
  const t = c.caseInsensitive ? text.toLowerCase() : text;
  if (c.chunks !== undefined) return matchChunks(c.chunks, t);
  return c.simple ? matchSimple(c, t) : matchAutomaton(c, t);
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Does an action pattern (`s3:Get*`, `*`) match a concrete action (`s3:GetObject`)? Case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) return pattern.toLowerCase() === action.toLowerCase();
  return match(compile(pattern, true, false), action);
}

/** Does a resource pattern match a concrete ARN? Case-sensitive; ARN patterns follow the segment rule. */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) return pattern === arn;
  return match(compile(pattern, false, pattern.startsWith('arn:')), arn);
}

/**
 * Does pattern `outer` cover every ARN that pattern `inner` can match? Sound but incomplete:
 * true means certainly covered (used to decide that a Deny removes a whole grant pattern).
 */
export function resourceCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) return true;
  if (!hasWildcard(inner)) return resourceMatches(outer, inner);
  // inner has wildcards: covered when outer is `<prefix>*…*` and inner's literal prefix starts with it.
  const w = outer.search(/[*?]/);
  if (w < 0) return false;
  if (!/^\**$/.test(outer.slice(w))) return false;
  const innerPrefix = inner.slice(0, inner.search(/[*?]/));
  return innerPrefix.startsWith(outer.slice(0, w));
}

/** Service prefix of an action (`s3` of `s3:GetObject`), lower-case; '' when malformed. */
export function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? '' : action.slice(0, i).toLowerCase();
}

/** The service segment of an ARN pattern (`s3` of `arn:aws:s3:::b/*`), or undefined for `*` / non-ARNs. */
export function arnService(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  return parts.length >= 3 ? parts[2] : undefined;
}

/** Account id of an ARN (5th segment), '' for none. */
export function arnAccount(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 5 ? (parts[4] ?? '') : '';
}
