/**
 * Declared versus observed, per domain. Pure: the rows of cypher/queries/risk/gaps-* in, two lists
 * out: granted but unused (unused only where the evidence is complete, else unknown) and done but not
 * granted or not declared. Every answer carries its evidence window and completeness.
 */
import { coverageOf, evidenceWindow, type Completeness, type CoverageWindow } from './coverage.js';
import { rbacGaps, type RbacGapRow } from './gaps-rbac.js';

export interface PortEdge {
  protocol: string | null;
  port: number | null;
  endPort: number | null;
  to?: string;
}
export interface ObservedConnection {
  workload: string;
  endpoint: string;
  address: string;
  port: number | null;
  protocol: string | null;
  count: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
  peers: string[];
  direct: PortEdge[];
  ingressHub: PortEdge[];
}
export interface DeclaredEgress {
  from: string;
  to: string;
  toLabel: string;
  protocol: string | null;
  port: number | null;
  endPort: number | null;
  except: string[];
}
export interface IamRow {
  principal: string;
  grants: { resource: string; actions: string[] | null }[];
  used: { action: string; granularity: string | null; lastSeen: string | null }[];
  usageSyncedAt: string | null;
}
export interface RuntimeRow {
  observed: { type: string; target: string; class: string | null; count: number | null; lastSeen: string | null }[];
  declared: { label: string; id: string; url: string | null; path: string | null; command: string | null; provider: string | null }[];
}
/** An agent's declared MCP tools, observed calls and proxied sessions (risk/gaps-tools row). */
export interface ToolsRow {
  agent: string;
  declared: { tool: string; server: string }[];
  calls: { tool: string; server: string | null; count: number | null; errors: number; firstSeen: string | null; lastSeen: string | null }[];
  windows: { coverage: string; server: string | null; from: string | null; to: string | null; lost: boolean; unparsed: number }[];
}

export type GapDomain = 'network' | 'iam' | 'files' | 'dns' | 'exec' | 'tools' | 'rbac';

/** A grant with no matching use. */
export interface UnusedGrant {
  domain: GapDomain;
  subject: string;
  grant: string;
  status: 'unused' | 'unknown';
  reason: string;
}
/** Behaviour no grant or declaration covers. */
export interface Undeclared {
  domain: GapDomain;
  subject: string;
  observed: string;
  detail: string;
  count: number | null;
  lastSeen: string | null;
}

export interface GapsInput {
  coverage: CoverageWindow[];
  observedNet: ObservedConnection[];
  declaredNet: DeclaredEgress[];
  iam: IamRow[];
  runtime: RuntimeRow | undefined;
  /** MCP tools per AIAgent anchor; absent or empty for a subject without one. */
  tools?: ToolsRow[];
  /** The subject has an AI-BOM (an AIAgent): files, DNS names and executables are compared with it. */
  hasAibom: boolean;
  /** The subject has Kubernetes pods: without them no NetworkPolicy speaks about its connections. */
  hasPods: boolean;
  /** Its service accounts' RBAC grants and Kubernetes audit evidence (risk/gaps-rbac); absent = not asked. */
  rbac?: RbacGapRow[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export interface Gaps {
  window: { from: string; to: string } | null;
  completeness: Record<GapDomain, Completeness>;
  grantedUnused: UnusedGrant[];
  doneUndeclared: Undeclared[];
}

// ---- matching helpers -------------------------------------------------------------------------

/** Does a NetworkPolicy edge admit this port and protocol? ANY admits everything. */
export function portAllows(e: PortEdge, port: number | null, protocol: string | null): boolean {
  const proto = (e.protocol ?? 'ANY').toUpperCase();
  if (proto === 'ANY') return true;
  if (protocol !== null && proto !== protocol.toUpperCase()) return false;
  if (port === null) return true;
  const lo = e.port ?? 1;
  const hi = e.endPort ?? e.port ?? 65535;
  return port >= lo && port <= hi;
}

function ipToBig(ip: string): { v: bigint; bits: number } | undefined {
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (tail === undefined && h.length !== 8) return undefined;
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    let v = 0n;
    for (const g of groups) v = (v << 16n) + BigInt(parseInt(g || '0', 16));
    return { v, bits: 128 };
  }
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return { v: parts.reduce((a, p) => (a << 8n) + BigInt(p), 0n), bits: 32 };
}

/** Is `ip` inside `cidr` (IPv4 or IPv6)? */
export function cidrContains(cidr: string, ip: string): boolean {
  const [net, lenText] = cidr.split('/') as [string, string | undefined];
  const a = ipToBig(net);
  const b = ipToBig(ip.replace(/^\[|\]$/g, ''));
  if (!a || !b || a.bits !== b.bits) return false;
  const len = BigInt(lenText === undefined ? a.bits : Number(lenText));
  const shift = BigInt(a.bits) - len;
  return a.v >> shift === b.v >> shift;
}

/** IAM action glob (`s3:Get*`, `*`) against an action id, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp('^' + pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(action.toLowerCase());
}

const hostOf = (url: string | null): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

// ---- the comparison ---------------------------------------------------------------------------

/** Actions AWS last-accessed data cannot show (AWS policy generation names iam:PassRole). */
const UNTRACKED_ACTIONS = ['iam:passrole'];

export function computeGaps(input: GapsInput): Gaps {
  const window = evidenceWindow(input.coverage, input.since, input.until);
  const net = coverageOf(input.coverage, 'net', window);
  const files = coverageOf(input.coverage, 'files', window);
  const dns = coverageOf(input.coverage, 'dns', window);
  const exec = coverageOf(input.coverage, 'exec', window);
  const grantedUnused: UnusedGrant[] = [];
  const doneUndeclared: Undeclared[] = [];

  // Network: an observed connection is declared when a direct edge, or the subject's egress hub plus
  // the peer's ingress hub, admits its port; outside the cluster, an egress IPBlock holding the address.
  const inWindow = (c: ObservedConnection) => !window || !c.lastSeen || (Date.parse(c.lastSeen) >= Date.parse(window.from) && (!c.firstSeen || Date.parse(c.firstSeen) <= Date.parse(window.to)));
  const egressHub = input.declaredNet.filter((d) => d.toLabel === 'K8sCluster');
  const ipBlocks = input.declaredNet.filter((d) => d.toLabel === 'IPBlock');
  const used = new Set<DeclaredEgress>();
  for (const c of input.hasPods ? input.observedNet.filter(inWindow) : []) {
    let ok = false;
    if (c.peers.length > 0) {
      const direct = c.direct.filter((e) => portAllows(e, c.port, c.protocol));
      for (const d of input.declaredNet) if (d.toLabel !== 'IPBlock' && d.toLabel !== 'K8sCluster' && c.peers.includes(d.to) && portAllows(d, c.port, c.protocol)) used.add(d);
      const hubOut = egressHub.filter((e) => portAllows(e, c.port, c.protocol));
      const hubIn = c.ingressHub.filter((e) => portAllows(e, c.port, c.protocol));
      if (hubIn.length) hubOut.forEach((e) => used.add(e));
      ok = direct.length > 0 || (hubOut.length > 0 && hubIn.length > 0);
    }
    // In the cluster the destination's ingress must admit too, and the netpol engine already turned ipBlocks
    // that match pod IPs into direct edges; an egress ipBlock decides alone only outside the cluster.
    const blocks = c.peers.length ? [] : ipBlocks.filter((b) => cidrContains(b.to, c.address) && !b.except.some((x) => cidrContains(x, c.address)) && portAllows(b, c.port, c.protocol));
    blocks.forEach((b) => used.add(b));
    if (!ok && blocks.length === 0)
      doneUndeclared.push({
        domain: 'network',
        subject: c.workload,
        observed: `${c.endpoint}${c.protocol ? '/' + c.protocol : ''}`,
        detail: c.peers.length ? `connection to ${c.peers.join(', ')} that no NetworkPolicy edge admits` : 'connection to an address no egress ipBlock admits',
        count: c.count,
        lastSeen: c.lastSeen,
      });
  }
  for (const d of input.declaredNet) {
    if (used.has(d)) continue;
    const grant = `${d.from} -> ${d.to} ${d.protocol ?? 'ANY'}${d.protocol === 'ANY' ? '' : `/${d.port}${d.endPort !== d.port && d.endPort !== null ? '-' + d.endPort : ''}`}`;
    grantedUnused.push(net.complete ? { domain: 'network', subject: d.from, grant, status: 'unused', reason: 'no observed connection used it in the window' } : { domain: 'network', subject: d.from, grant, status: 'unknown', reason: net.reason ?? 'incomplete evidence' });
  }

  // IAM: granted action patterns against last-accessed usage.
  const iamComplete: Completeness = input.iam.length === 0 ? { complete: false, reason: 'the subject has no IAM principal' } : { complete: input.iam.every((r) => r.usageSyncedAt !== null), ...(input.iam.every((r) => r.usageSyncedAt !== null) ? {} : { reason: 'no IAM last-accessed data for some principal' }) };
  for (const r of input.iam) {
    const patterns = [...new Set(r.grants.flatMap((g) => g.actions ?? []).map((a) => a.toLowerCase()))].sort();
    const actionLevel = r.used.filter((u) => u.granularity !== 'service' && !u.action.endsWith(':*'));
    const serviceLevel = new Set(r.used.filter((u) => u.granularity === 'service' || u.action.endsWith(':*')).map((u) => u.action.split(':')[0]!));
    for (const p of patterns) {
      if (actionLevel.some((u) => actionMatches(p, u.action))) continue;
      const svc = p.split(':')[0]!;
      let reason: string | undefined;
      if (r.usageSyncedAt === null) reason = 'no IAM last-accessed data for this principal';
      else if (UNTRACKED_ACTIONS.some((u) => actionMatches(p, u))) reason = 'last-accessed data does not track this action';
      else if (serviceLevel.has(svc) || p === '*') reason = 'last-accessed data is service-level here: the service was used, the action is not known';
      grantedUnused.push(reason ? { domain: 'iam', subject: r.principal, grant: p, status: 'unknown', reason } : { domain: 'iam', subject: r.principal, grant: p, status: 'unused', reason: `not used according to IAM last-accessed data as of ${r.usageSyncedAt}` });
    }
    for (const u of r.used) {
      const svc = u.action.split(':')[0]!;
      const granted = u.action.endsWith(':*') ? patterns.some((p) => p === '*' || p.split(':')[0] === svc || actionMatches(p, u.action)) : patterns.some((p) => actionMatches(p, u.action));
      if (!granted) doneUndeclared.push({ domain: 'iam', subject: r.principal, observed: u.action, detail: 'used, but no identity policy of this principal grants it (resource policy, or a grant since removed)', count: null, lastSeen: u.lastSeen });
    }
  }

  // AI-BOM: files, DNS names and executables against what the agent declares.
  if (input.runtime && input.hasAibom) {
    const paths = new Set(input.runtime.declared.map((d) => d.path).filter((x): x is string => !!x));
    const hosts = new Set(input.runtime.declared.map((d) => hostOf(d.url)).filter((x): x is string => !!x));
    const bedrock = input.runtime.declared.some((d) => d.provider === 'aws-bedrock');
    const commands = new Set(input.runtime.declared.map((d) => d.command?.split('/').at(-1)).filter((x): x is string => !!x));
    const declaredHost = (h: string) => hosts.has(h) || [...hosts].some((d) => h.startsWith(d + '.')) || (bedrock && /^bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com$/.test(h));
    for (const o of input.runtime.observed) {
      const [domain, declared] =
        o.type === 'DID_OPEN' ? (['files', paths.has(o.target)] as const) : o.type === 'DID_RESOLVE' ? (['dns', declaredHost(o.target.toLowerCase())] as const) : (['exec', commands.has(o.target.split('/').at(-1)!)] as const);
      if (!declared) doneUndeclared.push({ domain, subject: 'ai-bom', observed: o.target, detail: `${o.type}${o.class ? ` (${o.class})` : ''} outside the declared AI-BOM`, count: o.count, lastSeen: o.lastSeen });
    }
  }
  const tools = toolGaps(input.tools ?? [], input.since, input.until, grantedUnused, doneUndeclared);

  // RBAC: against the API server's audit log, whose own windows stand in when no sensor window or --since gives one.
  const rbac = rbacGaps(input.rbac ?? [], window);
  grantedUnused.push(...rbac.grantedUnused);
  doneUndeclared.push(...rbac.doneUndeclared);

  const order = (x: { domain: string; subject: string }, y: { domain: string; subject: string }) => x.domain.localeCompare(y.domain) || x.subject.localeCompare(y.subject);
  return {
    window: window ?? rbac.window ?? null,
    completeness: { network: net, iam: iamComplete, files, dns, exec, tools, rbac: rbac.completeness },
    grantedUnused: grantedUnused.sort((x, y) => order(x, y) || x.grant.localeCompare(y.grant)),
    doneUndeclared: doneUndeclared.sort((x, y) => order(x, y) || x.observed.localeCompare(y.observed)),
  };
}

/**
 * Declared MCP tools against the calls `mcp proxy` observed. Sessions are per server and come and go
 * with the agent (the proxy wraps the server's command, so no call reaches the server past it): a
 * declared tool never called is unused when its server had proxied sessions in the window and every
 * line of them was understood; with no session, or a line not understood, it is unknown.
 */
function toolGaps(rows: readonly ToolsRow[], since: string | undefined, until: string | undefined, grantedUnused: UnusedGrant[], doneUndeclared: Undeclared[]): Completeness {
  const lo = since ? Date.parse(since) : -Infinity;
  const hi = until ? Date.parse(until) : Infinity;
  const overlaps = (from: string | null, to: string | null) => (to === null || Date.parse(to) >= lo) && (from === null || Date.parse(from) <= hi);
  const reasons: string[] = [];
  for (const r of rows) {
    const windows = r.windows.filter((w) => overlaps(w.from, w.to));
    const calls = r.calls.filter((c) => overlaps(c.firstSeen, c.lastSeen));
    const called = new Set(calls.map((c) => c.tool));
    const declared = new Set(r.declared.map((d) => d.tool));
    const servers = [...new Set(r.declared.map((d) => d.server))].sort();
    const verdict = new Map<string, { complete: boolean; reason: string }>();
    for (const server of servers) {
      const mine = windows.filter((w) => w.server === server);
      const lossy = mine.filter((w) => w.lost);
      const span = mine.length ? `${mine.map((w) => w.from ?? '').sort()[0]} .. ${mine.map((w) => w.to ?? '').sort().at(-1)}` : '';
      verdict.set(
        server,
        mine.length === 0
          ? { complete: false, reason: `no proxied session of ${server} observed (reachgraph mcp proxy)` }
          : lossy.length
            ? { complete: false, reason: `${lossy.reduce((n, w) => n + w.unparsed, 0)} line(s) not understood in proxied session ${lossy[0]!.coverage}` }
            : { complete: true, reason: `not called in ${mine.length} proxied session(s) of ${server}, ${span}` },
      );
    }
    for (const d of r.declared) {
      if (called.has(d.tool)) continue;
      const v = verdict.get(d.server)!;
      grantedUnused.push({ domain: 'tools', subject: r.agent, grant: d.tool, status: v.complete ? 'unused' : 'unknown', reason: v.reason });
    }
    for (const c of calls)
      if (!declared.has(c.tool))
        doneUndeclared.push({ domain: 'tools', subject: r.agent, observed: c.tool, detail: `MCP tool called (${c.errors} error answer(s)) that no MCP server the agent declares offers`, count: c.count, lastSeen: c.lastSeen });
    for (const [, v] of verdict) if (!v.complete) reasons.push(v.reason);
    if (servers.length === 0 && windows.length === 0) reasons.push(`${r.agent} declares no MCP tools and no proxied session was observed`);
  }
  if (rows.length === 0) return { complete: false, reason: 'the subject has no AIAgent: nothing declares or observes MCP tools' };
  return reasons.length ? { complete: false, reason: reasons.join('; ') } : { complete: true };
}
