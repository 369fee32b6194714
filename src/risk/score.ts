/**
 * Sensitive targets and their scores. Pure. A target's criticality comes from what it is (an admin
 * role, a node identity, a secret, a credential file, a write-capable tool…) or from a user's
 * `crown-jewel` tag; the score multiplies it with how hard the path is (hops) and how much of it was
 * seen at runtime (an observed DID_* hop outranks a declared-only path), after CVSS's split of
 * exploitability and impact. The factors travel with the score so a ranking can be explained.
 */

/** IAM sensitivity classes (src/identity/aws/sensitivity.ts) to criticality, 0–10. */
const IAM_CRITICALITY: Readonly<Record<string, number>> = {
  admin: 10,
  'iam-write': 9,
  'secrets-read': 8,
  'kms-decrypt': 7,
  'compute-control': 7,
  'data-write': 6,
  'data-read': 5,
  'model-invoke': 4,
  write: 3,
};

/** ClusterRoles whose holder controls the cluster (KubeHound's critical set, the common part). */
export const CRITICAL_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'system:masters', 'system:controller:clusterrole-aggregation-controller']);

/** Inventoried AWS resource labels: kind and criticality when not marked a crown jewel. */
const CONCRETE_AWS: ReadonlyArray<readonly [string, string, number]> = [
  ['AWSSecret', 'aws-secret', 8],
  ['AWSKMSKey', 'aws-kms-key', 7],
  ['AWSDynamoDBTable', 'aws-table', 6],
  ['AWSS3Bucket', 'aws-bucket', 5],
  ['AWSSageMakerModel', 'aws-model', 5],
  ['AWSLambdaFunction', 'aws-function', 5],
  ['AWSECRRepository', 'aws-image-repository', 4],
];

/** What the engine knows about a reached node. */
export interface TargetFacts {
  id: string;
  labels: readonly string[];
  props: Readonly<Record<string, unknown>>;
  /** The node holds an admin-class grant (AWS principals). */
  admin: boolean;
  /** Type and props of the hop that reached it. */
  lastHop?: { type: string; props: Readonly<Record<string, unknown>> } | undefined;
}

export interface TargetClass {
  kind: string;
  criticality: number;
  reason: string;
}

const tagsOf = (p: Readonly<Record<string, unknown>>): string[] => (Array.isArray(p.riskTags) ? (p.riskTags as unknown[]).map(String) : []);

/** Why a reached node is sensitive, or undefined when it is only a stepping stone. */
export function classifyTarget(t: TargetFacts): TargetClass | undefined {
  const has = (l: string) => t.labels.includes(l);
  const p = t.props;
  if (tagsOf(p).includes('crown-jewel')) return { kind: 'crown-jewel', criticality: 10, reason: 'tagged crown-jewel' };
  if ((has('AWSRole') || has('AWSUser') || has('AWSGroup')) && t.admin) return { kind: 'admin-identity', criticality: 10, reason: 'IAM principal with an admin-class grant' };
  if (has('AWSResource') && t.lastHop?.type === 'MAY_ACCESS') {
    const s = String(t.lastHop.props.maxSensitivity ?? '');
    const c = IAM_CRITICALITY[s];
    return c === undefined ? undefined : { kind: `aws-${s}`, criticality: c, reason: `IAM grant of class ${s} on ${t.id}` };
  }
  // Concrete AWS resources (inventory), joined from grant patterns by MATCHES_RESOURCE.
  const concrete = CONCRETE_AWS.find(([l]) => has(l));
  if (concrete) {
    const jewel = p.crownJewel !== undefined && p.crownJewel !== null && p.crownJewel !== false && p.crownJewel !== '';
    return { kind: jewel ? `crown-jewel-${String(p.crownJewel)}` : concrete[1], criticality: jewel ? 9 : concrete[2], reason: jewel ? `inventoried crown jewel (${String(p.crownJewel)})` : `an inventoried ${concrete[1]}` };
  }
  if (has('AWSAction')) {
    const s = String(p.sensitivity ?? '');
    const c = IAM_CRITICALITY[s];
    return c === undefined ? undefined : { kind: `aws-action-${s}`, criticality: c, reason: `IAM action of class ${s} used` };
  }
  if (has('K8sClusterRole') && CRITICAL_CLUSTER_ROLES.has(String(p.name ?? ''))) return { kind: 'cluster-admin', criticality: 10, reason: `ClusterRole ${String(p.name)} controls the cluster` };
  if (has('K8sNode')) return { kind: 'node-identity', criticality: 9, reason: 'a node: every pod token and the kubelet credential on it' };
  if (has('K8sNamespace') && t.lastHop?.type === 'MAY_ESCALATE_TO') return { kind: 'namespace-admin', criticality: 8, reason: 'may bind any role of the namespace' };
  if (has('K8sSecret')) return { kind: 'secret', criticality: 8, reason: 'a Kubernetes secret' };
  if (has('CloudIdentity')) return { kind: 'cloud-identity', criticality: 7, reason: 'a non-AWS cloud identity' };
  if (has('File')) {
    const cls = String(p.class ?? '');
    if (cls === 'credential') return { kind: 'credential-file', criticality: 8, reason: 'a credential file was opened' };
    if (cls === 'model') return { kind: 'model-weights', criticality: 5, reason: 'model weights were opened' };
    return undefined;
  }
  if (has('MCPTool')) return p.writes === true ? { kind: 'tool-write', criticality: 6, reason: 'an MCP tool that writes' } : { kind: 'tool-read', criticality: 3, reason: 'an MCP tool' };
  if (has('AICapability')) {
    const cap = String(p.capability ?? t.id.split(':')[0]);
    const c = { shell: 8, secrets: 8, filesystem: String(p.target ?? '') === '*' ? 7 : 5, network: 4 }[cap] ?? 4;
    return { kind: `capability-${cap}`, criticality: c, reason: `an MCP tool grants ${t.id}` };
  }
  if (has('VectorStore')) return { kind: 'vector-store', criticality: 5, reason: 'a vector store (retrieval data)' };
  if (has('InferenceServer') || has('AIModel')) return { kind: 'model', criticality: 3, reason: 'a model or inference endpoint' };
  if (has('IPBlock')) {
    const open = t.id === '0.0.0.0/0' || t.id === '::/0';
    return { kind: open ? 'internet' : 'external-network', criticality: open ? 4 : 3, reason: open ? 'any address on the internet (exfiltration)' : `addresses ${t.id}` };
  }
  if (has('K8sPod') || has('K8sWorkload') || has('K8sService')) return { kind: 'in-cluster-peer', criticality: 3, reason: 'an in-cluster peer reachable over the network' };
  // Private addresses are in-cluster or in-VPC: the pod or Service behind them (ADDRESS_OF) is the target.
  if (has('NetEndpoint') && p.loopback !== true && !isPrivateAddress(String(p.address ?? t.id))) return { kind: 'endpoint', criticality: 2, reason: 'an outside endpoint the subject connected to' };
  return undefined;
}

export interface Score {
  score: number;
  criticality: number;
  hops: number;
  /** 1 for one hop, falling by 15 % a hop: every hop is one more thing an attacker must do. */
  exploitability: number;
  /** 1 when any hop was observed at runtime, 0.7 for declared-only paths. */
  evidence: number;
  observed: boolean;
}

/** Score 0–100 of reaching a target of `criticality` over `hopTypes`. */
export function scorePath(criticality: number, hopTypes: readonly string[]): Score {
  const hops = Math.max(1, hopTypes.length);
  const exploitability = Math.round(Math.pow(0.85, hops - 1) * 1000) / 1000;
  const observed = hopTypes.some((t) => t.startsWith('DID_'));
  const evidence = observed ? 1 : 0.7;
  return { score: Math.round(criticality * 10 * exploitability * evidence), criticality, hops, exploitability, evidence, observed };
}

/** RFC 1918, loopback, link-local and IPv6 unique-local addresses; takes an address or a NetEndpoint id. */
export function isPrivateAddress(endpoint: string): boolean {
  const ip = endpoint.startsWith('[') ? endpoint.slice(1, endpoint.indexOf(']')) : endpoint.split(':').length === 2 ? endpoint.split(':')[0]! : endpoint;
  return /^(10\.|192\.168\.|127\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip) || /^(f[cd][0-9a-f]{2}:|fe80:|::1$)/i.test(ip);
}
