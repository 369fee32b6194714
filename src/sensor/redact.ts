/**
 * argv can carry secrets (`--password=…`, `TOKEN=…`, `-H "Authorization: Bearer …"`, `mysql -pSECRET`):
 * they are redacted before anything is stored or logged. What is kept is what shows behaviour: the
 * program, its subcommands, flag names and header names. The patterns are data, in redact-patterns.ts;
 * this file is their one interpreter.
 */
import { REDACTION_PATTERNS, type RedactionPattern } from './redact-patterns.js';

export const REDACTED = '[redacted]';

/** What the elements after the current one owe: nothing, one value, or a header value (scheme + credential). */
type Pending = { kind: 'none' } | { kind: 'one' } | { kind: 'header-value'; schemes: readonly string[] };

interface Step {
  out: string;
  pending: Pending;
}

const NONE: Pending = { kind: 'none' };
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiled once: the header rules need a regex over their header names. */
const headerRes = new Map<RedactionPattern, RegExp>();
function headerRe(p: RedactionPattern, headers: readonly string[], split: boolean): RegExp {
  let re = headerRes.get(p);
  if (!re) {
    const names = headers.map(escapeRe).join('|');
    // Inline: an optional -H/--header prefix (attached or after "="), the name, a colon and a value.
    re = split ? new RegExp(`^(${names})\\s*:$`, 'i') : new RegExp(`^((?:-H|--header=?)?\\s*(?:${names})\\s*:\\s*)(\\S.*)$`, 'is');
    headerRes.set(p, re);
  }
  return re;
}

const basename = (a: string) => a.slice(a.lastIndexOf('/') + 1);

/** Applies one pattern to one element; undefined when the pattern does not claim it. */
function apply(p: RedactionPattern, a: string, program: string | undefined): Step | undefined {
  const r = p.rule;
  switch (r.kind) {
    case 'header': {
      const m = headerRe(p, r.headers, false).exec(a);
      return m ? { out: m[1] + REDACTED, pending: NONE } : undefined;
    }
    case 'header-split':
      return headerRe(p, r.headers, true).test(a) ? { out: a, pending: { kind: 'header-value', schemes: r.schemes } } : undefined;
    case 'client-short-flag': {
      if (program === undefined || !r.programs.includes(program)) return undefined;
      if (r.separate && a === r.flag) return { out: a, pending: { kind: 'one' } };
      if (r.attached && a.length > r.flag.length && a.startsWith(r.flag)) return { out: r.flag + REDACTED, pending: NONE };
      return undefined;
    }
    case 'assignment': {
      const eq = a.indexOf('=');
      return eq > 0 && r.name.test(a.slice(0, eq)) ? { out: `${a.slice(0, eq)}=${REDACTED}`, pending: NONE } : undefined;
    }
    case 'flag-then-value':
      return /^--?[A-Za-z]/.test(a) && !a.includes('=') && r.name.test(a) ? { out: a, pending: { kind: 'one' } } : undefined;
    case 'value-shape':
      return r.shape.test(a) ? { out: REDACTED, pending: NONE } : undefined;
    case 'url-userinfo':
      return /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(a) ? { out: a.replace(/(:\/\/[^/\s:@]+:)[^/\s@]+@/, `$1${REDACTED}@`), pending: NONE } : undefined;
  }
}

/** Every program name some client rule applies to: an element naming one starts that client's arguments. */
const CLIENTS = new Set(REDACTION_PATTERNS.flatMap((p) => (p.rule.kind === 'client-short-flag' ? p.rule.programs : [])));

/** Returns argv with secret-looking values replaced by "[redacted]"; the length is kept. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let pending: Pending = NONE;
  let program: string | undefined;
  for (const a of argv) {
    if (pending.kind === 'one') {
      out.push(REDACTED);
      pending = NONE;
      continue;
    }
    if (pending.kind === 'header-value') {
      // `Authorization: Bearer tok` unquoted: the scheme word keeps the credential after it pending.
      const scheme = pending.schemes.includes(a.toLowerCase());
      out.push(REDACTED);
      pending = scheme ? { kind: 'one' } : NONE;
      continue;
    }
    if (!a.startsWith('-') && CLIENTS.has(basename(a))) program = basename(a);
    let step: Step | undefined;
    for (const p of REDACTION_PATTERNS) {
      step = apply(p, a, program);
      if (step) break;
    }
    out.push(step?.out ?? a);
    pending = step?.pending ?? NONE;
  }
  return out;
}
