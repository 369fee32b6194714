/**
 * Trust policies: who may assume a role. Lists the principals a trust policy names (AWS principals,
 * accounts, services, federated providers, '*' flagged) and decides IRSA: which Kubernetes service
 * accounts of an EKS cluster satisfy a role's web-identity trust.
 */
import { context } from './conditions.js';
import { evaluate, type Caller, type Decision } from './evaluate.js';
import { actionMatches, arnAccount, hasWildcard } from './glob.js';
import { conditionText, type NamedPolicy } from './policy.js';

export const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'] as const;

export interface TrustEntry {
  kind: 'principal' | 'account' | 'service' | 'federated' | 'anyone';
  /** ARN, account id, service name or provider ARN; '*' for anyone. */
  principal: string;
  actions: string[];
  conditional: boolean;
  conditions?: string;
  sid?: string;
  index: number;
}

export interface TrustAnalysis {
  entries: TrustEntry[];
  /** Principal ARNs with a wildcard: they match nothing (IAM rules) and are reported. */
  invalidPrincipals: string[];
  /** A statement admits '*' (any AWS principal, possibly limited by conditions). */
  trustsAnyone: boolean;
}

/** List what a trust policy admits. Deny statements that unconditionally match an entry remove it. */
export function analyzeTrust(trust: NamedPolicy): TrustAnalysis {
  const entries: TrustEntry[] = [];
  const invalidPrincipals: string[] = [];
  trust.doc.statements.forEach((st, index) => {
    if (st.effect !== 'Allow') return;
    const actions = ASSUME_ACTIONS.filter((a) => (st.action !== undefined ? st.action.some((p) => actionMatches(p, a)) : !st.notAction!.some((p) => actionMatches(p, a))));
    if (actions.length === 0) return;
    const base = { actions: [...actions], conditional: st.condition !== undefined, index } as Omit<TrustEntry, 'kind' | 'principal'>;
    const ct = conditionText(st.condition);
    if (ct !== undefined) base.conditions = ct;
    if (st.sid !== undefined) base.sid = st.sid;
    if (st.notPrincipal !== undefined || st.principal === '*') {
      entries.push({ ...base, kind: 'anyone', principal: '*' });
      return;
    }
    if (st.principal === undefined) return;
    for (const [type, values] of Object.entries(st.principal)) {
      for (const v of values) {
        const t = type.toLowerCase();
        if (t === 'aws') {
          if (v === '*') entries.push({ ...base, kind: 'anyone', principal: '*' });
          else if (hasWildcard(v)) invalidPrincipals.push(v);
          else if (/^\d{12}$/.test(v)) entries.push({ ...base, kind: 'account', principal: v });
          else if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(v)) entries.push({ ...base, kind: 'account', principal: arnAccount(v) });
          else entries.push({ ...base, kind: 'principal', principal: v });
        } else if (t === 'service') entries.push({ ...base, kind: 'service', principal: v });
        else if (t === 'federated') entries.push({ ...base, kind: 'federated', principal: v });
      }
    }
  });
  // An unconditional Deny naming the same principal for the same action removes the entry.
  const kept = entries.filter((e) => {
    const caller = callerFor(e);
    if (caller === undefined) return true;
    return !e.actions.every((a) => {
      const d = evaluate({ caller, action: a, resource: 'arn:aws:iam::000000000000:role/x', resourceAccount: caller.accountId ?? '', resourcePolicy: { name: trust.name, doc: { ...trust.doc, statements: trust.doc.statements.filter((s) => s.effect === 'Deny') } }, resourcePolicyRequired: true });
      return d.decision === 'explicitDeny';
    });
  });
  return { entries: kept, invalidPrincipals, trustsAnyone: kept.some((e) => e.kind === 'anyone') };
}

function callerFor(e: TrustEntry): Caller | undefined {
  if (e.kind === 'principal') return { kind: e.principal.includes(':role/') ? 'role' : 'user', id: e.principal, accountId: arnAccount(e.principal) };
  if (e.kind === 'service') return { kind: 'service', id: e.principal };
  if (e.kind === 'federated') return { kind: 'federated', id: e.principal };
  return undefined;
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export interface IrsaMatch extends ServiceAccountRef {
  conditional: boolean;
  statements: Decision['statements'];
}

export interface IrsaResult {
  matches: IrsaMatch[];
  /** The trust admits a token of any service account of the cluster (no usable `sub` condition). */
  anyServiceAccount: boolean;
}

const SUB_RE = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** Strip the scheme from an issuer URL (IAM condition keys never carry it). */
export function issuerHost(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/**
 * Which service accounts of the cluster behind `issuer` may assume the role through web identity.
 * Candidates are the literal `sub` values the trust names plus `known` (the service accounts the
 * graph has); each is evaluated like STS would, with a token carrying that `sub` and the
 * `sts.amazonaws.com` audience. Keys of other issuers (or the https:// spelling) are absent.
 */
export function irsaServiceAccounts(trust: NamedPolicy, roleArn: string, providerArn: string, issuer: string, known: ServiceAccountRef[]): IrsaResult {
  const host = issuerHost(issuer);
  const subKey = `${host}:sub`.toLowerCase();
  const candidates = new Map<string, ServiceAccountRef>();
  for (const st of trust.doc.statements) {
    for (const keys of Object.values(st.condition ?? {})) {
      for (const [k, vals] of Object.entries(keys)) {
        if (k.toLowerCase() !== subKey) continue;
        for (const v of vals) {
          const m = SUB_RE.exec(v);
          if (m && !hasWildcard(v)) candidates.set(`${m[1]}/${m[2]}`, { namespace: m[1]!, name: m[2]! });
        }
      }
    }
  }
  for (const sa of known) candidates.set(`${sa.namespace}/${sa.name}`, sa);

  const decide = (sa: ServiceAccountRef): Decision =>
    evaluate({
      caller: { kind: 'federated', id: providerArn, accountId: arnAccount(providerArn) },
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: roleArn,
      resourcePolicy: trust,
      resourcePolicyRequired: true,
      context: context({ [`${host}:sub`]: `system:serviceaccount:${sa.namespace}:${sa.name}`, [`${host}:aud`]: 'sts.amazonaws.com' }, (k) => !k.startsWith('aws:')),
    });

  const matches: IrsaMatch[] = [];
  for (const sa of candidates.values()) {
    const d = decide(sa);
    if (d.decision === 'allowed') matches.push({ ...sa, conditional: d.conditional, statements: d.statements });
  }
  // A service account no pattern could name stands for "any": admitted means the sub is unchecked.
  const probe = decide({ namespace: 'reachgraph-probe-\u0001', name: 'probe-\u0001' });
  matches.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
  return { matches, anyServiceAccount: probe.decision === 'allowed' };
}
