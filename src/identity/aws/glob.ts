/**
 * IAM wildcard matching. `*` matches any run of characters (including `:` and `/`), `?` exactly one.
 * Actions match case-insensitively; resource ARNs case-sensitively (IAM "Resource" element docs).
 */

const cache = new Map<string, RegExp>();

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** Compile an IAM glob into an anchored RegExp (memoized; policies repeat patterns heavily). */
export function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let re = cache.get(key);
  if (re === undefined) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else src += escapeRe(ch);
    }
    re = new RegExp(`^${src}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 200_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Does an action pattern (`s3:Get*`, `*`) match a concrete action (`s3:GetObject`)? Case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) return pattern.toLowerCase() === action.toLowerCase();
  return globToRegExp(pattern, true).test(action);
}

/** Does a resource pattern match a concrete ARN? Case-sensitive, `*` spans segments. */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) return pattern === arn;
  return globToRegExp(pattern, false).test(arn);
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
