/**
 * Which concrete resources a grant's resource pattern reaches, with the glob semantics of
 * `resourceMatches` (ARN segment rule, case-sensitive). A pattern reaches a resource when it
 * matches its ARN (`resource`) or could match something inside it (`contents`): objects of a
 * bucket (`bucket/*`), indexes of a table (`table/T/index/*`), versions of a function
 * (`function:f:*`). Pure.
 */
import { arnService, globMatch, hasWildcard, resourceCovers, resourceMatches } from './glob.js';

export type Reach = 'resource' | 'contents';

const COLON = ':';

/**
 * Can `pattern` match some text that starts with `prefix`? Exact over the glob semantics: either a
 * prefix of the pattern consumes `prefix` literally, or some `*` of the pattern is still consuming
 * when `prefix` ends (a `*` bound to its ARN segment may then not have consumed a colon).
 */
export function patternMatchesSomeExtension(pattern: string, prefix: string): boolean {
  const arn = pattern.startsWith('arn:');
  const lastColon = prefix.lastIndexOf(COLON);
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    // The pattern's first i+1 characters consume the prefix exactly.
    if (ch !== '*' && (ch === prefix[prefix.length - 1] || ch === '?') && globMatch(pattern.slice(0, i + 1), prefix, { arnSegments: arn })) return true;
    if (ch !== '*') continue;
    const crosses = !arn || i === pattern.length - 1 || pattern[i + 1] === COLON;
    // A crossing star at the end of the slice keeps its meaning: one call decides.
    if (crosses) {
      if (globMatch(pattern.slice(0, i + 1), prefix, { arnSegments: arn })) return true;
      continue;
    }
    // A star bound to its segment: it may only have consumed the colon-free tail of the prefix.
    const head = pattern.slice(0, i);
    for (let m = lastColon + 1; m <= prefix.length; m++) if (globMatch(head, prefix.slice(0, m), { arnSegments: arn })) return true;
  }
  return false;
}

/** How a resource pattern reaches a concrete ARN, or undefined when it does not. */
export function patternReach(pattern: string, arn: string): Reach | undefined {
  if (pattern === '*') return 'resource';
  if (!hasWildcard(pattern)) {
    if (pattern === arn) return 'resource';
    return pattern.startsWith(`${arn}/`) || pattern.startsWith(`${arn}:`) ? 'contents' : undefined;
  }
  // Different services never meet (the service segment cannot be wildcarded: IAM Resource element).
  const ps = arnService(pattern);
  if (ps !== undefined && !hasWildcard(ps) && ps !== arnService(arn)) return undefined;
  if (resourceMatches(pattern, arn)) return 'resource';
  if (patternMatchesSomeExtension(pattern, `${arn}/`) || patternMatchesSomeExtension(pattern, `${arn}:`)) return 'contents';
  return undefined;
}

/**
 * Where IAM can name something inside a resource, by the resource's ARN: S3 objects
 * (`bucket/key`), DynamoDB indexes and streams (`table/T/…`), Lambda versions and aliases
 * (`function:f:qualifier`). Other inventoried types have no sub-resources in IAM.
 */
function contentSeparators(arn: string): string[] {
  if (/^arn:aws[a-z-]*:s3:::[^/]+$/.test(arn)) return ['/'];
  if (/^arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table\/[^/]+$/.test(arn)) return ['/'];
  if (/^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:[^:]+$/.test(arn)) return [':'];
  return [];
}

/**
 * How a `NotResource` grant ("every resource except these patterns") reaches a concrete ARN:
 * `resource` when no excluded pattern matches the ARN; `contents` when the ARN itself is excluded
 * but something inside it is not (`NotResource: bucket` still grants the bucket's objects); undefined
 * when the ARN and everything inside it are excluded (`NotResource: [bucket, bucket/*]`). The check
 * that an exclusion covers all contents is `resourceCovers(pattern, ARN + sep + '*')`, so an
 * exclusion that only covers them partly (`bucket/private/*`) leaves `contents` reach. Pure.
 */
export function notResourceReach(excluded: readonly string[], arn: string): Reach | undefined {
  if (!excluded.some((n) => resourceMatches(n, arn))) return 'resource';
  for (const sep of contentSeparators(arn)) if (!excluded.some((n) => resourceCovers(n, `${arn}${sep}*`))) return 'contents';
  return undefined;
}
