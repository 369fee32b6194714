/**
 * The Kubernetes API server's audit policy (audit.k8s.io/v1 `Policy`), as a pure function: would the
 * audit log hold a completed request of this kind? Same matching as the API server's policy checker
 * (staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go): rules in order, the FIRST rule that
 * matches sets the level, no match = level None; empty lists match everything; `namespaces: [""]`
 * is cluster scope; a rule naming resources or namespaces only matches resource requests, one naming
 * nonResourceURLs only non-resource requests.
 *
 * The question asked here is about a whole kind of request (an RBAC grant: a verb on a resource in a
 * namespace, any object name), not one request, so a rule can match only some of them (it names
 * objects, or the grant is a wildcard the rule narrows). The answer is then `partly`: some requests
 * of the kind are logged and some are not, and absence in the log proves nothing.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../errors.js';

const strings = z.array(z.string()).nullish().transform((v) => v ?? []);
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;

const groupResourcesSchema = z.object({ group: z.string().nullish().transform((v) => v ?? ''), resources: strings, resourceNames: strings });
const auditRuleSchema = z.object({
  level: z.enum(LEVELS),
  users: strings,
  userGroups: strings,
  verbs: strings,
  resources: z.array(groupResourcesSchema).nullish().transform((v) => v ?? []),
  namespaces: strings,
  nonResourceURLs: strings,
  omitStages: strings,
});
export const auditPolicySchema = z.object({
  apiVersion: z.string().regex(/^audit\.k8s\.io\//, 'must be audit.k8s.io/v1'),
  kind: z.literal('Policy'),
  omitStages: strings,
  rules: z.array(auditRuleSchema).min(1, 'an audit policy needs at least one rule'),
});
/** The fields of a policy that decide what is logged (the form stored on a k8s-audit Coverage window). */
export type AuditPolicy = Pick<z.infer<typeof auditPolicySchema>, 'omitStages' | 'rules'>;

/** Parses an audit policy file (YAML or JSON, one document); bad input names the file and the field. */
export function parseAuditPolicy(text: string, file: string): AuditPolicy {
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  if (docs.length !== 1) throw new InputError(`${file}: an audit policy file holds exactly one document, found ${docs.length}`);
  const doc = docs[0]!;
  if (doc.errors.length > 0) throw new InputError(`${file}: not YAML: ${doc.errors[0]!.message}`);
  const r = auditPolicySchema.safeParse(doc.toJS());
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${file}: not an audit.k8s.io Policy: field \`${issue.path.join('.') || '(root)'}\`: ${issue.message}`);
  }
  return { omitStages: r.data.omitStages, rules: r.data.rules };
}

/** Reads and parses an audit policy file. */
export function readAuditPolicy(file: string): AuditPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return parseAuditPolicy(text, file);
}

/**
 * A kind of request: `*` in verb, apiGroup, resource or namespace means any (an RBAC wildcard, or a
 * ClusterRoleBinding's grant in every namespace); `resource` may carry `/subresource`; `path` may end
 * in `*` (an RBAC nonResourceURLs prefix).
 */
export type RequestKind =
  | { kind: 'resource'; user: string; groups: readonly string[]; verb: string; apiGroup: string; resource: string; namespace: string }
  | { kind: 'nonResource'; user: string; groups: readonly string[]; verb: string; path: string };

type Match = 0 | 1 | 2; // none, some of the kind, all of it
const NONE: Match = 0;
const SOME: Match = 1;
const ALL: Match = 2;
const min = (...m: Match[]): Match => Math.min(...m) as Match;

/** A listed value against a value of the kind that may be `*` (any): exact → all, wildcard → some. */
function listMatch(list: readonly string[], value: string): Match {
  if (list.length === 0 || list.includes(value)) return ALL;
  return value === '*' ? SOME : NONE;
}

function resourceMatch(rule: z.infer<typeof auditRuleSchema>, req: Extract<RequestKind, { kind: 'resource' }>): Match {
  let best: Match = NONE;
  const slash = req.resource.indexOf('/');
  const [base, sub] = slash < 0 ? [req.resource, ''] : [req.resource.slice(0, slash), req.resource.slice(slash + 1)];
  for (const gr of rule.resources) {
    const group: Match = gr.group === req.apiGroup ? ALL : req.apiGroup === '*' ? SOME : NONE;
    if (group === NONE) continue;
    let res: Match = gr.resources.length === 0 ? ALL : NONE;
    for (const r of gr.resources) {
      let m: Match = NONE;
      if (r === '*' || r === req.resource) m = ALL;
      else if (sub !== '' && r.startsWith('*/') && r.slice(2) === sub) m = ALL;
      else if (sub !== '' && r.endsWith('/*') && r.slice(0, -2) === base) m = ALL;
      else if (base === '*' || sub === '*') m = SOME;
      if (m > res) res = m;
    }
    // Object names are not part of a grant's kind: a rule naming objects covers some requests only.
    if (gr.resources.length > 0 && gr.resourceNames.length > 0 && res === ALL) res = SOME;
    const m = min(group, res);
    if (m > best) best = m;
  }
  return best;
}

function pathMatch(specs: readonly string[], path: string): Match {
  let best: Match = NONE;
  const wild = path.endsWith('*');
  const prefix = path.replace(/\*+$/, '');
  for (const spec of specs) {
    const specPrefix = spec.replace(/\*+$/, '');
    let m: Match = NONE;
    if (spec === '*' || spec === path) m = ALL;
    else if (spec.endsWith('*') && prefix.startsWith(specPrefix)) m = ALL;
    else if (wild && (specPrefix.startsWith(prefix) || prefix.startsWith(specPrefix))) m = SOME;
    if (m > best) best = m;
  }
  return best;
}

function ruleMatch(rule: z.infer<typeof auditRuleSchema>, req: RequestKind): Match {
  if (rule.users.length > 0 && !rule.users.includes(req.user)) return NONE;
  if (rule.userGroups.length > 0 && !req.groups.some((g) => rule.userGroups.includes(g))) return NONE;
  const verb = listMatch(rule.verbs, req.verb);
  if (rule.namespaces.length > 0 || rule.resources.length > 0) {
    if (req.kind !== 'resource') return NONE;
    const ns = listMatch(rule.namespaces, req.namespace);
    return min(verb, ns, rule.resources.length === 0 ? ALL : resourceMatch(rule, req));
  }
  if (rule.nonResourceURLs.length > 0) return req.kind === 'nonResource' ? min(verb, pathMatch(rule.nonResourceURLs, req.path)) : NONE;
  return verb;
}

/** Whether completed requests of a kind reach the log: all of them, none, or only some. */
export type Logged = { logged: 'all' } | { logged: 'none' | 'some'; reason: string };

/**
 * Would the audit log hold every completed request of this kind, at Metadata level or above? A
 * request is in the log when the first matching rule's level is not None and neither the policy nor
 * that rule omits the ResponseComplete stage (the stage the collector counts).
 */
export function requestsLogged(policy: AuditPolicy, req: RequestKind): Logged {
  const outcomes: { logged: boolean; why: string }[] = [];
  let decided = false;
  for (const [i, rule] of policy.rules.entries()) {
    const m = ruleMatch(rule, req);
    if (m === NONE) continue;
    const omitted = [...policy.omitStages, ...rule.omitStages].includes('ResponseComplete');
    outcomes.push({ logged: rule.level !== 'None' && !omitted, why: rule.level === 'None' ? `rule ${i + 1} logs them at level None` : omitted ? `rule ${i + 1} omits the ResponseComplete stage` : `rule ${i + 1} logs them at ${rule.level}` });
    if (m === ALL) {
      decided = true;
      break;
    }
  }
  if (!decided && outcomes.length > 0) outcomes.push({ logged: false, why: 'no rule matches the rest (level None)' });
  if (outcomes.length === 0) return { logged: 'none', reason: 'no rule of the audit policy matches them (level None)' };
  if (outcomes.every((o) => o.logged)) return { logged: 'all' };
  if (outcomes.every((o) => !o.logged)) return { logged: 'none', reason: `the audit policy does not log them: ${outcomes.map((o) => o.why).join('; ')}` };
  return { logged: 'some', reason: `the audit policy logs only some of them: ${outcomes.map((o) => o.why).join('; ')}` };
}
