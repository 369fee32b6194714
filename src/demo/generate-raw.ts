/**
 * The synthetic estate as the raw inputs the real collectors read (`reachgraph demo generate --format raw`),
 * so a generated estate exercises the whole pipeline (IAM policy evaluation and escalation search, the
 * NetworkPolicy engine, the AI-BOM scan) instead of arriving as finished edges:
 *
 *   estate.json                          what `demo load` needs to join the parts (cluster, account, OIDC issuer)
 *   answers.json                         the planted answers (see generate.ts)
 *   aws/account-authorization-details.json   `aws iam get-account-authorization-details` output
 *   aws/last-accessed.json               GetServiceLastAccessedDetails (ACTION_LEVEL) per role
 *   kubernetes/<cluster>.yaml            manifests: namespaces, nodes, workloads, pods (with status), services,
 *                                        EndpointSlices, service accounts (IRSA annotation), NetworkPolicies
 *   aibom/<agent>/requirements.txt, .mcp.json   one agent project per agent (server 0's MCP profile is poisoned)
 *   aibom-deployments.jsonl              where each agent runs and as whom (no agent file says that; ingest format)
 *   sensor/<scope>.jsonl                 the sensor recording (what `sensor record` writes; ingest format)
 *
 * The plants are the graph generator's, realised in policy: every 10th agent's role holds iam:PassRole +
 * lambda:CreateFunction/InvokeFunction and the admin role trusts Lambda (escalation lambda-001); every role
 * holds s3:PutObject and secretsmanager:GetSecretValue that last-accessed never saw; the agents' egress
 * policy admits TCP/9090 to 10.250.0.0/16 that nothing uses; each namespace's cache admits no ingress.
 * Escalating roles' lambda actions are unused too, so they are part of those agents' answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { rel } from '../graph/records.js';
import { projectRoot } from '../paths.js';
import { agentIp, estateFiles, estateLayout, generateEstate, type AgentAnswer, type GeneratedEstate } from './generate.js';

/** What `loadRawEstate` reads from estate.json. */
export interface RawEstateManifest {
  format: 'reachgraph-raw-estate';
  version: 1;
  seed: number;
  agents: number;
  cluster: string;
  account: string;
  /** The cluster's OIDC issuer (IRSA trust policies name it). */
  issuer: string;
  region: string;
  /** The AI-BOM scan's graph scope. */
  aibomScope: string;
}

export interface RawEstate {
  manifest: RawEstateManifest;
  answers: AgentAnswer[];
  admin: string;
  /** Relative path → file content. */
  files: Map<string, string>;
}

const REGION = 'eu-west-1';
const LAST_ACCESSED_AT = '2026-11-19T09:00:00.000Z';
const MODEL_ARN = `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-5-sonnet*`;

/** The demo MCP server (a real SDK server) the generated agents' configs launch. */
export const demoMcpServer = (): string => path.join(projectRoot(), 'src', 'demo', 'data', 'aibom', 'mcp', 'demo-mcp-server.mjs');

const doc = (statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const allow = (Sid: string, Action: string | string[], Resource: string | string[]) => ({ Sid, Effect: 'Allow', Action, Resource });

/** Generates the raw estate; the same agents and seed give the same files. */
export function generateRawEstate(opts: { agents: number; seed: number }): RawEstate {
  const e = generateEstate(opts);
  const { seed, agents, cluster, account } = e;
  const layout = estateLayout(agents);
  const issuer = `oidc.eks.${REGION}.amazonaws.com/id/GEN${String(seed).padStart(8, '0')}`;
  const manifest: RawEstateManifest = { format: 'reachgraph-raw-estate', version: 1, seed, agents, cluster, account, issuer, region: REGION, aibomScope: `gen-${seed}` };
  const files = new Map<string, string>();
  const answers = e.answers.map((a, i) => (i % 10 === 0 ? { ...a, unusedIam: ['lambda:createfunction', 'lambda:invokefunction', ...a.unusedIam] } : a));

  files.set('estate.json', JSON.stringify(manifest, null, 1) + '\n');
  files.set('answers.json', JSON.stringify({ seed, agents, cluster, account, admin: e.admin, answers }, null, 1) + '\n');
  files.set('aws/account-authorization-details.json', JSON.stringify(authDetails(e, issuer), null, 1) + '\n');
  files.set('aws/last-accessed.json', JSON.stringify(lastAccessed(e), null, 1) + '\n');
  files.set(`kubernetes/${cluster}.yaml`, manifests(e, layout).map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
  const mcp = demoMcpServer();
  for (let i = 0; i < agents; i++) {
    const agent = `gen-${seed}-agent-${i}`;
    files.set(`aibom/${agent}/requirements.txt`, `# ${agent}: generated LangGraph agent on Amazon Bedrock\nlanggraph==0.2.60\nlangchain-core==0.3.21\nlangchain-aws==0.2.7\nboto3==1.35.57\n`);
    // Server 0's "postgres" profile carries the poisoned tool description (seen with `demo load --connect`).
    const server = i % layout.servers;
    files.set(`aibom/${agent}/.mcp.json`, JSON.stringify({ mcpServers: { [`server-${server}`]: { command: 'node', args: [mcp, server === 0 ? 'postgres' : 'filesystem'] } } }, null, 1) + '\n');
  }
  files.set('aibom-deployments.jsonl', deploymentLines(e).join('\n') + '\n');
  const sensor = e.sources.find((s) => s.source === 'sensor')!;
  files.set(`sensor/${sensor.scope}.jsonl`, estateFiles({ ...e, sources: [sensor] }).get('sensor.jsonl')!.join('\n') + '\n');
  return { manifest, answers, admin: e.admin, files };
}

/** Writes the raw estate under `dir` (created if missing); returns what it wrote. */
export function writeRawEstate(dir: string, opts: { agents: number; seed: number }): { seed: number; agents: number; cluster: string; account: string; issuer: string; files: number; bytes: number } {
  const r = generateRawEstate(opts);
  let bytes = 0;
  for (const [name, text] of r.files) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  }
  const { seed, agents, cluster, account, issuer } = r.manifest;
  return { seed, agents, cluster, account, issuer, files: r.files.size, bytes };
}

function agentsOf(e: GeneratedEstate, layout = estateLayout(e.agents)) {
  return Array.from({ length: e.agents }, (_, i) => ({ i, name: `agent-${i}`, ns: `team-${i % layout.namespaces}`, escalates: i % 10 === 0 }));
}

function authDetails(e: GeneratedEstate, issuer: string) {
  const provider = `arn:aws:iam::${e.account}:oidc-provider/${issuer}`;
  const role = (name: string, trust: object, policies: { PolicyName: string; PolicyDocument: object }[]) => ({
    Path: '/',
    RoleName: name,
    RoleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17)}`,
    Arn: `arn:aws:iam::${e.account}:role/${name}`,
    CreateDate: '2026-01-05T10:00:00Z',
    AssumeRolePolicyDocument: trust,
    InstanceProfileList: [],
    RolePolicyList: policies,
    AttachedManagedPolicies: [],
    Tags: [],
    RoleLastUsed: {},
  });
  const roles = [role(`gen-${e.seed}-admin`, doc([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]), [{ PolicyName: 'admin', PolicyDocument: doc([allow('All', '*', '*')]) }])];
  for (const a of agentsOf(e)) {
    const bucket = `arn:aws:s3:::gen-${e.seed}-${a.name}`;
    const trust = doc([{ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${a.ns}:${a.name}`, [`${issuer}:aud`]: 'sts.amazonaws.com' } } }]);
    const statements = [
      allow('Data', ['s3:GetObject', 's3:PutObject'], [bucket, `${bucket}/*`]),
      allow('Secret', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${e.account}:secret:${a.name}/*`),
      allow('Model', 'bedrock:InvokeModel', MODEL_ARN),
      ...(a.escalates ? [allow('Experiments', ['lambda:CreateFunction', 'lambda:InvokeFunction', 'iam:PassRole'], '*')] : []),
    ];
    roles.push(role(`gen-${e.seed}-${a.name}`, trust, [{ PolicyName: a.name, PolicyDocument: doc(statements) }]));
  }
  return { UserDetailList: [], GroupDetailList: [], RoleDetailList: roles, Policies: [], IsTruncated: false, OpenIDConnectProviderList: [{ Arn: provider, Url: issuer, ClientIDList: ['sts.amazonaws.com'] }] };
}

function lastAccessed(e: GeneratedEstate) {
  const entity = (arn: string) => ({ LastAccessedEntity: arn, LastAccessedTime: LAST_ACCESSED_AT, LastAccessedRegion: REGION });
  const out: Record<string, object> = {};
  for (const a of agentsOf(e)) {
    const arn = `arn:aws:iam::${e.account}:role/gen-${e.seed}-${a.name}`;
    const used = (ServiceName: string, ServiceNamespace: string, actions: [string, boolean][]) => ({
      ServiceName,
      ServiceNamespace,
      ...(actions.some(([, u]) => u) ? { LastAuthenticated: LAST_ACCESSED_AT, LastAuthenticatedEntity: arn, LastAuthenticatedRegion: REGION, TotalAuthenticatedEntities: 1 } : { TotalAuthenticatedEntities: 0 }),
      TrackedActionsLastAccessed: actions.map(([ActionName, u]) => ({ ActionName, ...(u ? entity(arn) : {}) })),
    });
    out[arn] = {
      JobStatus: 'COMPLETED',
      JobType: 'ACTION_LEVEL',
      JobCompletionDate: '2026-11-20T08:00:04.000Z',
      ServicesLastAccessed: [
        used('Amazon Bedrock', 'bedrock', [['InvokeModel', true]]),
        used('Amazon S3', 's3', [
          ['GetObject', true],
          ['PutObject', false],
        ]),
        used('AWS Secrets Manager', 'secretsmanager', [['GetSecretValue', false]]),
        ...(a.escalates
          ? [
              used('AWS Lambda', 'lambda', [
                ['CreateFunction', false],
                ['InvokeFunction', false],
              ]),
            ]
          : []),
      ],
      IsTruncated: false,
    };
  }
  return out;
}

function manifests(e: GeneratedEstate, layout: ReturnType<typeof estateLayout>): object[] {
  const docs: object[] = [];
  const meta = (name: string, namespace: string, extra: object = {}) => ({ name, namespace, uid: `${namespace}-${name}`, ...extra });
  for (let n = 0; n < layout.nodes; n++) docs.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } } });
  for (let s = 0; s < layout.namespaces; s++) {
    const ns = `team-${s}`;
    docs.push(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db', ns), spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ containerPort: 5432 }] }] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: meta('db-0', ns, { labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: `${ns}-db`, controller: true }] }), spec: { nodeName: `node-${s % layout.nodes}`, containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ containerPort: 5432 }] }] }, status: { phase: 'Running', podIP: `10.200.${s}.5`, podIPs: [{ ip: `10.200.${s}.5` }] } },
      // A bare cache pod: its policy admits no ingress, so the agents that call it are undeclared behaviour.
      { apiVersion: 'v1', kind: 'Pod', metadata: meta('cache-0', ns, { labels: { app: 'cache' } }), spec: { nodeName: `node-${s % layout.nodes}`, containers: [{ name: 'redis', image: 'redis:7', ports: [{ containerPort: 6379 }] }] }, status: { phase: 'Running', podIP: `10.200.${s}.6`, podIPs: [{ ip: `10.200.${s}.6` }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: meta('db', ns), spec: { type: 'ClusterIP', clusterIP: `172.20.${s}.10`, selector: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP' }] } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('db-x1', ns, { labels: { 'kubernetes.io/service-name': 'db' } }), addressType: 'IPv4', ports: [{ port: 5432, protocol: 'TCP' }], endpoints: [{ addresses: [`10.200.${s}.5`], targetRef: { kind: 'Pod', name: 'db-0', namespace: ns } }] },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('db-ingress', ns), spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 5432 }] }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('cache-deny', ns), spec: { podSelector: { matchLabels: { app: 'cache' } }, policyTypes: ['Ingress'] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('agent-egress', ns),
        spec: {
          podSelector: { matchLabels: { role: 'agent' } },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 5432 }] },
            // Private ranges excepted: with the default ipBlock-matches-pods reading, 0.0.0.0/0 would also admit every pod on 443.
            { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12'] } }], ports: [{ protocol: 'TCP', port: 443 }] },
            // The planted unused grant: the metrics network.
            { to: [{ ipBlock: { cidr: '10.250.0.0/16' } }], ports: [{ protocol: 'TCP', port: 9090 }] },
          ],
        },
      },
    );
  }
  for (const a of agentsOf(e, layout)) {
    const labels = { app: a.name, role: 'agent' };
    const container = { name: 'agent', image: `ghcr.io/example/${a.name}:1.0`, ports: [{ containerPort: 8080 }] };
    const template = { metadata: { labels }, spec: { serviceAccountName: a.name, containers: [container] } };
    const rs = `${a.name}-7f`;
    docs.push(
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(a.name, a.ns, { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${e.account}:role/gen-${e.seed}-${a.name}` } }) },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(a.name, a.ns, { labels }), spec: { replicas: 1, selector: { matchLabels: labels }, template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta(rs, a.ns, { labels: { ...labels, 'pod-template-hash': '7f' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: a.name, uid: `${a.ns}-${a.name}`, controller: true }] }), spec: { replicas: 1, selector: { matchLabels: labels }, template } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(`${rs}-x${a.i}`, a.ns, { labels: { ...labels, 'pod-template-hash': '7f' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `${a.ns}-${rs}`, controller: true }] }),
        spec: { nodeName: `node-${a.i % layout.nodes}`, serviceAccountName: a.name, containers: [container] },
        status: { phase: 'Running', podIP: agentIp(a.i), podIPs: [{ ip: agentIp(a.i) }] },
      },
    );
  }
  return docs;
}

/** Where each agent runs and as whom: the joins an AI-BOM scan cannot see, as an ingest file. */
function deploymentLines(e: GeneratedEstate): string[] {
  const lines = [JSON.stringify({ kind: 'sync', source: 'aibom-deployments', scope: `gen-${e.seed}`, mode: 'replace' })];
  for (const a of agentsOf(e)) {
    const agent = { label: 'AIAgent', id: `gen-${e.seed}-${a.name}` };
    lines.push(
      JSON.stringify(rel('RUNS_ON', agent, { label: 'K8sWorkload', id: `${e.cluster}/${a.ns}/Deployment/${a.name}` })),
      JSON.stringify(rel('USES_IDENTITY', agent, { label: 'K8sServiceAccount', id: `${e.cluster}/${a.ns}/${a.name}` })),
    );
  }
  return lines;
}
