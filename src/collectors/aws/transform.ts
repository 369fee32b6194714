/**
 * Account model → graph records. Pure: the evaluation engine decides, this file only shapes the
 * verdicts into nodes and relationships (actions grouped per principal/resource pattern, with a
 * sensitivity class per action).
 */
import crypto from 'node:crypto';
import { node, rel, type Batch, type NodeRef, type RelRecord } from '../../graph/records.js';
import {
  analyzeTrust,
  boundaryPolicy,
  unreadableBoundary,
  compressActions,
  effectivePermissions,
  findEscalations,
  identityPolicies,
  irsaServiceAccounts,
  issuerHost,
  maxSensitivity,
  policyToJson,
  type AccountModel,
  type ActionCatalog,
  type AwsPrincipal,
  type NamedPolicy,
  type ServiceAccountRef,
} from '../../identity/aws/index.js';

export interface IrsaOptions {
  /** Cluster name for an OIDC issuer (host form, no scheme); undefined = not an EKS cluster we know. */
  clusterForIssuer: (issuer: string) => string | undefined;
  /** Service accounts the graph knows, per cluster name. */
  serviceAccounts: Map<string, ServiceAccountRef[]>;
}

export interface PodIdentityAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn?: string;
}

export interface TransformOptions {
  irsa?: IrsaOptions;
  podIdentity?: PodIdentityAssociation[];
  scps?: NamedPolicy[][];
}

export interface TransformResult {
  batch: Batch;
  stats: { principals: number; grants: number; assumeEdges: number; irsaEdges: number; escalations: number };
}

const ref = {
  account: (id: string): NodeRef => ({ label: 'AWSAccount', id }),
  principal: (p: { kind: 'user' | 'role'; arn: string }): NodeRef => ({ label: p.kind === 'user' ? 'AWSUser' : 'AWSRole', id: p.arn }),
  role: (arn: string): NodeRef => ({ label: 'AWSRole', id: arn }),
  group: (arn: string): NodeRef => ({ label: 'AWSGroup', id: arn }),
  policy: (id: string): NodeRef => ({ label: 'AWSPolicy', id }),
  resource: (id: string): NodeRef => ({ label: 'AWSResource', id }),
  provider: (arn: string): NodeRef => ({ label: 'AWSOIDCProvider', id: arn }),
  service: (name: string): NodeRef => ({ label: 'AWSServicePrincipal', id: name }),
  sa: (cluster: string, ns: string, name: string): NodeRef => ({ label: 'K8sServiceAccount', id: `${cluster}/${ns}/${name}` }),
};

function shortHash(s: string): string {
  return s === '' ? '' : crypto.createHash('sha256').update(s).digest('hex').slice(0, 16);
}

function arnPrincipalRef(arn: string): NodeRef | undefined {
  if (/:user\//.test(arn)) return { label: 'AWSUser', id: arn };
  if (/:role\//.test(arn)) return { label: 'AWSRole', id: arn };
  if (/:assumed-role\//.test(arn)) {
    const m = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
    return m ? { label: 'AWSRole', id: `arn:aws:iam::${m[1]}:role/${m[2]}` } : undefined;
  }
  return undefined;
}

/** The whole account as one batch. */
export function transformAccount(model: AccountModel, catalog: ActionCatalog, opts: TransformOptions = {}): TransformResult {
  const nodes: Batch['nodes'] = [];
  const rels: RelRecord[] = [];
  const acct = ref.account(model.accountId);
  const stats = { principals: 0, grants: 0, assumeEdges: 0, irsaEdges: 0, escalations: 0 };
  nodes.push(node('AWSAccount', model.accountId, { accountId: model.accountId }));

  for (const mp of model.policies.values()) {
    nodes.push(
      node('AWSPolicy', mp.arn, {
        name: mp.name,
        kind: 'managed',
        awsManaged: mp.awsManaged,
        path: mp.path,
        defaultVersion: mp.defaultVersion ?? null,
        versionCount: mp.versions.length,
        document: mp.doc ? policyToJson(mp.doc) : null,
        parsed: mp.doc !== undefined,
      }),
    );
    if (!mp.awsManaged) rels.push(rel('IN_ACCOUNT', ref.policy(mp.arn), acct));
  }
  const inlineNode = (owner: NodeRef, p: NamedPolicy): void => {
    nodes.push(node('AWSPolicy', p.name, { name: p.name.slice(p.name.indexOf('#inline/') + 8), kind: 'inline', awsManaged: false, document: policyToJson(p.doc), parsed: true }));
    rels.push(rel('HAS_POLICY', owner, ref.policy(p.name), { key: 'inline', props: { kind: 'inline' } }));
  };
  for (const g of model.groups.values()) {
    nodes.push(node('AWSGroup', g.arn, { name: g.name }));
    rels.push(rel('IN_ACCOUNT', ref.group(g.arn), acct));
    for (const m of g.managed) rels.push(rel('HAS_POLICY', ref.group(g.arn), ref.policy(m), { key: 'managed', props: { kind: 'managed' } }));
    for (const p of g.inline) inlineNode(ref.group(g.arn), p);
  }

  for (const p of model.principals.values()) {
    stats.principals++;
    const me = ref.principal(p);
    const grants = effectivePermissions(
      {
        identity: identityPolicies(model, p),
        ...(boundaryPolicy(model, p) ? { boundary: boundaryPolicy(model, p)! } : {}),
        ...(unreadableBoundary(model, p) !== undefined ? { unreadableBoundary: unreadableBoundary(model, p)! } : {}),
        ...(opts.scps ? { scps: opts.scps } : {}),
        variables: variablesFor(p),
        principalKind: p.kind,
      },
      catalog,
    );
    let admin = false;
    const classes: string[] = [];
    for (const g of grants) {
      if (g.actions.size === 0) continue;
      const c = compressActions(g.actions, g.resource, catalog);
      if (g.resource === '*' && !g.conditional && c.actions[0] === '*') admin = true;
      const max = maxSensitivity(c.sensitivity);
      if (max) classes.push(max);
      const rid = resourceId(g.resource);
      // NotResource: the excluded patterns as a list, so links never have to split the id on commas.
      nodes.push(node('AWSResource', rid, { pattern: g.resource, ...(g.negated ? { notResource: g.negated } : {}) }));
      rels.push(
        rel('MAY_ACCESS', me, ref.resource(rid), {
          key: shortHash(g.conditions.join('\n')),
          props: { actions: c.actions, sensitivity: c.sensitivity, maxSensitivity: max ?? null, conditional: g.conditional, conditions: g.conditions, policies: g.policies, actionCount: g.actions.size },
        }),
      );
      stats.grants++;
    }
    const props: Record<string, string | number | boolean | string[] | null> = {
      name: p.name,
      path: p.path,
      accountId: p.accountId,
      createDate: p.createDate ?? null,
      boundaryArn: p.boundaryArn ?? null,
      tags: Object.entries(p.tags).map(([k, v]) => `${k}=${v}`),
      isAdmin: admin,
      maxSensitivity: maxSensitivity(classes as never) ?? null,
    };
    if (p.kind === 'role') {
      const t = p.trust ? analyzeTrust(p.trust) : undefined;
      Object.assign(props, {
        trustPolicy: p.trust ? policyToJson(p.trust.doc) : null,
        trustsAnyone: t?.trustsAnyone ?? false,
        invalidTrustPrincipals: t?.invalidPrincipals ?? [],
        instanceProfiles: p.instanceProfiles,
        lastUsed: p.lastUsed ?? null,
      });
      if (t) {
        const te = trustEdges(model, p, t, rels, nodes, opts, stats);
        stats.assumeEdges += te.count;
        props.irsaAnyServiceAccount = te.anyServiceAccount;
      }
    }
    nodes.push(node(p.kind === 'user' ? 'AWSUser' : 'AWSRole', p.arn, props));
    rels.push(rel('IN_ACCOUNT', me, acct));
    for (const m of p.managed) rels.push(rel('HAS_POLICY', me, ref.policy(m), { key: 'managed', props: { kind: 'managed' } }));
    for (const ip of p.inline) inlineNode(me, ip);
    if (p.boundaryArn) rels.push(rel('HAS_POLICY', me, ref.policy(p.boundaryArn), { key: 'boundary', props: { kind: 'boundary' } }));
    for (const g of p.groups) rels.push(rel('MEMBER_OF', me, ref.group(g)));
  }

  for (const prov of model.oidcProviders) {
    const host = issuerHost(prov.url);
    const cluster = opts.irsa?.clusterForIssuer(host);
    nodes.push(node('AWSOIDCProvider', prov.arn, { url: host, clientIds: prov.clientIds, cluster: cluster ?? null }));
    rels.push(rel('IN_ACCOUNT', ref.provider(prov.arn), acct));
  }

  for (const a of opts.podIdentity ?? []) {
    rels.push(rel('MAY_ASSUME', ref.sa(a.clusterName, a.namespace, a.serviceAccount), ref.role(a.roleArn), { key: 'pod-identity', props: { via: 'pod-identity', conditional: false, association: a.associationArn ?? null } }));
    stats.irsaEdges++;
  }

  for (const e of findEscalations(model, opts.scps ? { scps: opts.scps } : {})) {
    const from = arnPrincipalRef(e.from);
    // Collapsed fan-out edges end at the account (account-root trust) or the service principal (PassRole).
    const to = arnPrincipalRef(e.to) ?? (e.to.includes(':group/') ? ref.group(e.to) : /^\d{12}$/.test(e.to) ? ref.account(e.to) : !e.to.startsWith('arn:') ? ref.service(e.to) : undefined);
    if (!from || !to) continue;
    rels.push(rel('MAY_ESCALATE_TO', from, to, { key: e.method, props: { method: e.method, evidence: e.evidence, conditional: e.conditional } }));
    stats.escalations++;
  }
  return { batch: { nodes: dedupeNodes(nodes), rels }, stats };
}

/** Node ids are capped (2,048 chars); a long NotResource list keeps its full text in `pattern`. */
function resourceId(pattern: string): string {
  return pattern.length <= 1024 ? pattern : `${pattern.slice(0, 960)}…#${shortHash(pattern)}`;
}

function variablesFor(p: AwsPrincipal): Record<string, string> {
  return p.kind === 'user' ? { 'aws:username': p.name } : {};
}

function trustEdges(
  model: AccountModel,
  role: AwsPrincipal,
  t: ReturnType<typeof analyzeTrust>,
  rels: RelRecord[],
  nodes: Batch['nodes'],
  opts: TransformOptions,
  stats: TransformResult['stats'],
): { count: number; anyServiceAccount: boolean } {
  let n = 0;
  let anyServiceAccount = false;
  const target = ref.role(role.arn);
  const push = (from: NodeRef, via: string, conditional: boolean, conditions: string | undefined, actions: string[]): void => {
    rels.push(rel('MAY_ASSUME', from, target, { key: via, props: { via, conditional, conditions: conditions ?? null, actions } }));
    n++;
  };
  for (const e of t.entries) {
    switch (e.kind) {
      case 'anyone':
        nodes.push(node('AWSAccount', '*', { accountId: '*', anyone: true }));
        push(ref.account('*'), 'anyone', e.conditional, e.conditions, e.actions);
        break;
      case 'account':
        if (e.principal !== model.accountId) nodes.push(node('AWSAccount', e.principal, { accountId: e.principal, external: true }));
        push(ref.account(e.principal), 'account', e.conditional, e.conditions, e.actions);
        break;
      case 'principal': {
        const r = arnPrincipalRef(e.principal);
        if (r) push(r, 'trust', e.conditional, e.conditions, e.actions);
        break;
      }
      case 'service':
        nodes.push(node('AWSServicePrincipal', e.principal, { service: e.principal }));
        push(ref.service(e.principal), 'service', e.conditional, e.conditions, e.actions);
        break;
      case 'federated': {
        if (!e.principal.startsWith('arn:')) {
          // SAML or web identity providers named by domain (cognito-identity.amazonaws.com, accounts.google.com).
          nodes.push(node('AWSServicePrincipal', e.principal, { service: e.principal, federated: true }));
          push(ref.service(e.principal), 'federated', e.conditional, e.conditions, e.actions);
          break;
        }
        push(ref.provider(e.principal), 'oidc', e.conditional, e.conditions, e.actions);
        const m = /:oidc-provider\/(.+)$/.exec(e.principal);
        if (!m || !opts.irsa || !e.actions.includes('sts:AssumeRoleWithWebIdentity')) break;
        const host = m[1]!;
        const cluster = opts.irsa.clusterForIssuer(host);
        if (cluster === undefined) break;
        if (!model.oidcProviders.some((p) => p.arn === e.principal)) model.oidcProviders.push({ arn: e.principal, url: host, clientIds: [] });
        const res = irsaServiceAccounts(role.trust!, role.arn, e.principal, host, opts.irsa.serviceAccounts.get(cluster) ?? []);
        for (const sa of res.matches) {
          rels.push(rel('MAY_ASSUME', ref.sa(cluster, sa.namespace, sa.name), target, { key: 'irsa', props: { via: 'irsa', conditional: sa.conditional, conditions: e.conditions ?? null, provider: e.principal } }));
          stats.irsaEdges++;
        }
        if (res.anyServiceAccount) anyServiceAccount = true;
        break;
      }
    }
  }
  return { count: n, anyServiceAccount };
}

/** Later records of one node merge into earlier ones (a role seen as trust target and as itself). */
export function dedupeNodes(nodes: Batch['nodes']): Batch['nodes'] {
  const m = new Map<string, Batch['nodes'][number]>();
  for (const n of nodes) {
    const k = `${n.label}\u0000${n.id}`;
    const prev = m.get(k);
    m.set(k, prev ? { ...prev, props: { ...(prev.props ?? {}), ...(n.props ?? {}) } } : n);
  }
  return [...m.values()];
}
