// Standing fuzz target "manifests" (issue 8): at least 10,000 generated Kubernetes documents per run, valid objects
// of every kind the reader types with random fields replaced by junk (null, numbers, strings, lists, mappings),
// removed, or the text cut, garbled or given a repeated key; read whole and streamed, then run through the engines
// (the collector's transform: RBAC index, attack edges, NetworkPolicy model). The only exception allowed is an
// InputError that names the file; the heap must not keep what the run generated. The seed is printed
// (MANIFEST_FUZZ_SEED=<seed> repeats a run); no test here asserts a duration.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describeSource, groupManifests, manifestSource, parseManifestText, parseYamlChunks, type ManifestEntry } from '../../../src/collectors/kubernetes/manifests.js';
import { snapshotToBatch } from '../../../src/collectors/kubernetes/transform.js';
import { RbacIndex } from '../../../src/identity/kubernetes/rbac/engine.js';
import { rbacStateFrom } from '../../../src/identity/kubernetes/rbac/from-objects.js';
import { InputError } from '../../../src/errors.js';
import { retainedHeap } from '../../helpers/heap.js';

const DOCS = 10_000;
const PER_BATCH = 20;

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), labels: { app: 'web', tier: 'a' } });
const podSpec = () => ({
  serviceAccountName: 'sa1',
  containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }], securityContext: { privileged: false }, volumeMounts: [{ name: 'v', mountPath: '/v' }], env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
  volumes: [{ name: 'v', secret: { secretName: 's' } }, { name: 'h', hostPath: { path: '/' } }],
  nodeName: 'n1',
});
const template = (kind: string, i: number): Record<string, unknown> => {
  const ns = 'ns1';
  const rbacV = 'rbac.authorization.k8s.io/v1';
  const rules = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'secrets'] }, { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'], resourceNames: ['p'] }, { verbs: ['get'], nonResourceURLs: ['/healthz', '/logs**'] }];
  const subjects = [{ kind: 'ServiceAccount', name: 'sa1', namespace: ns }, { kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs' }];
  switch (kind) {
    case 'Namespace': return { apiVersion: 'v1', kind, metadata: meta(`ns${i}`) };
    case 'Node': return { apiVersion: 'v1', kind, metadata: meta('n1'), status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } };
    case 'Pod': return { apiVersion: 'v1', kind, metadata: { ...meta(`p${i}`, ns), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] }, spec: podSpec(), status: { podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }] } };
    case 'Deployment': return { apiVersion: 'apps/v1', kind, metadata: meta(`d${i}`, ns), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec() } } };
    case 'StatefulSet': return { apiVersion: 'apps/v1', kind, metadata: meta(`st${i}`, ns), spec: { serviceName: 's', selector: { matchLabels: { app: 'web' } }, template: { spec: podSpec() } } };
    case 'DaemonSet': return { apiVersion: 'apps/v1', kind, metadata: meta(`ds${i}`, ns), spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: podSpec() } } };
    case 'ReplicaSet': return { apiVersion: 'apps/v1', kind, metadata: meta('rs', ns), spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: podSpec() } } };
    case 'Job': return { apiVersion: 'batch/v1', kind, metadata: meta(`j${i}`, ns), spec: { template: { spec: podSpec() } } };
    case 'CronJob': return { apiVersion: 'batch/v1', kind, metadata: meta(`cj${i}`, ns), spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podSpec() } } } } };
    case 'Service': return { apiVersion: 'v1', kind, metadata: meta(`svc${i}`, ns), spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } };
    case 'EndpointSlice': return { apiVersion: 'discovery.k8s.io/v1', kind, metadata: { ...meta(`es${i}`, ns), labels: { 'kubernetes.io/service-name': 'svc' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.5'], targetRef: { kind: 'Pod', name: 'p0' } }] };
    case 'ServiceAccount': return { apiVersion: 'v1', kind, metadata: meta('sa1', ns), secrets: [{ name: 's' }] };
    case 'Secret': return { apiVersion: 'v1', kind, metadata: { ...meta('s', ns), annotations: { 'kubernetes.io/service-account.name': 'sa1' } }, type: 'kubernetes.io/service-account-token', data: { token: 'cGxhbnRlZA==' } };
    case 'ConfigMap': return { apiVersion: 'v1', kind, metadata: meta(`cm${i}`, ns), data: { k: 'v' } };
    case 'Role': return { apiVersion: rbacV, kind, metadata: meta(`r${i % 3}`, ns), rules };
    case 'ClusterRole': return { apiVersion: rbacV, kind, metadata: meta(`cr${i % 4}`), rules, ...(i % 2 ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { tier: 'a' } }, { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }] } } : {}) };
    case 'RoleBinding': return { apiVersion: rbacV, kind, metadata: meta(`rb${i}`, ns), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: i % 2 ? 'Role' : 'ClusterRole', name: i % 2 ? `r${i % 3}` : `cr${i % 4}` }, subjects };
    case 'ClusterRoleBinding': return { apiVersion: rbacV, kind, metadata: meta(`crb${i}`), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr${i % 4}` }, subjects };
    case 'NetworkPolicy':
      return {
        apiVersion: 'networking.k8s.io/v1', kind, metadata: meta(`np${i}`, ns),
        spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { team: 'a' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 'http', protocol: 'TCP' }, { port: 8000, endPort: 8080 }] }], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
      };
    case 'List': return { apiVersion: 'v1', kind, items: [template('Pod', i), template('Role', i), template('RoleBinding', i)] };
    default: return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta(`w${i}`, ns), spec: { any: 'thing' } };
  }
};
const KINDS = ['Namespace', 'Node', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Service', 'EndpointSlice', 'ServiceAccount', 'Secret', 'ConfigMap', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'NetworkPolicy', 'List', 'Widget'];

const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, 0, -1, 3, 65536, 1.5, true, false, '', 'oops', 'x', '*', '/', '10.0.0.0/33', '::', 'TCP', 'http', '__proto__', 'constructor'),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('name', 'kind', 'containers', 'rules', 'verbs', 'port', 'matchLabels', 'x', '__proto__'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Every path to a value inside `v` (objects and arrays), root excluded. */
function paths(v: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...at, i]), paths(x, [...at, i], out)));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([...at, k]), paths(x, [...at, k], out));
  return out;
}
function mutate(obj: Record<string, unknown>, picks: number[], values: unknown[], remove: boolean[]): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  picks.forEach((pick, n) => {
    const all = paths(copy);
    if (all.length === 0) return;
    const p = all[pick % all.length]!;
    let parent: Record<string | number, unknown> = copy;
    for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    if (parent === null || typeof parent !== 'object') return;
    const last = p[p.length - 1]!;
    if (remove[n] && !Array.isArray(parent)) delete parent[last];
    else parent[last] = values[n];
  });
  return copy;
}

const arbDoc = fc.record({
  kind: fc.constantFrom(...KINDS),
  mutations: fc.constantFrom(0, 0, 0, 1, 1, 1, 2, 4),
  picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  values: fc.array(junk, { minLength: 4, maxLength: 4 }),
  remove: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  json: fc.boolean(),
  text: fc.constantFrom('keep', 'keep', 'keep', 'keep', 'keep', 'keep', 'cut', 'garble', 'dupkey', 'wholejunk'),
  at: fc.nat(),
  junkChar: fc.constantFrom('"', "'", '{', '[', ':', '- ', '\t', '&a', '*a', '!!binary ', '%', '\u0000', '\ufeff', '\n  ', '---'),
});
type Doc = typeof arbDoc extends fc.Arbitrary<infer T> ? T : never;

function render(d: Doc, i: number): string {
  const obj = d.text === 'wholejunk' ? d.values[0] : mutate(template(d.kind, i), d.picks.slice(0, d.mutations), d.values, d.remove);
  let text = d.json ? JSON.stringify(obj ?? null) : stringify(obj ?? null);
  const at = text.length === 0 ? 0 : d.at % text.length;
  if (d.text === 'cut') text = text.slice(0, at);
  else if (d.text === 'garble') text = text.slice(0, at) + d.junkChar + text.slice(at);
  else if (d.text === 'dupkey' && !d.json) text = `${text}${text.split('\n').find((l) => /^\w+:/.test(l)) ?? 'kind: Pod'}\n`;
  return text;
}

test(`${DOCS} generated manifests: entries or InputErrors naming the file, through the reader (whole and streamed) and the engines, bounded heap`, async () => {
  const seed = Number(process.env.MANIFEST_FUZZ_SEED ?? Date.now() % 2 ** 31);
  process.stdout.write(`manifests fuzz: seed ${seed} (MANIFEST_FUZZ_SEED=${seed} repeats this run)\n`);
  const heapBefore = retainedHeap();
  const failures: string[] = [];
  const fail = (what: string, file: string, text: string, err: unknown) => {
    if (failures.length < 5) failures.push(`seed ${seed}, ${what} ${file}: ${err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err)}\n--- text ---\n${text.slice(0, 600)}`);
  };
  const isClear = (err: unknown) => err instanceof InputError && err.message.length > 0 && err.message.length < 2000;
  let inputErrors = 0;
  let entriesRead = 0;
  let engineRuns = 0;
  const batches = DOCS / PER_BATCH;
  for (let b = 0; b < batches; b++) {
    const docs = fc.sample(arbDoc, { numRuns: PER_BATCH, seed: (seed ^ Math.imul(b + 1, 0x9e3779b1)) >>> 0 }).map((d, i) => render(d, b * PER_BATCH + i));
    const entries: ManifestEntry[] = [];
    docs.forEach((text, i) => {
      const file = `b${b}/d${i}.${i % 2 ? 'json' : 'yaml'}`;
      try {
        entries.push(...parseManifestText(text, file));
      } catch (err) {
        if (!isClear(err)) fail('read', file, text, err);
        else if (!(err as Error).message.startsWith(file)) fail('message does not name the file,', file, text, err);
        else inputErrors++;
      }
    });
    entriesRead += entries.length;
    // The streamed reader over the batch as one multi-document file, in uneven chunks.
    if (b % 5 === 0) {
      const text = docs.filter((_, i) => i % 2 === 0).join('\n---\n');
      const chunks = Array.from({ length: Math.ceil(text.length / 97) }, (_, k) => text.slice(k * 97, k * 97 + 97));
      try {
        for await (const _ of parseYamlChunks(chunks, `b${b}/all.yaml`));
      } catch (err) {
        if (!isClear(err)) fail('stream', `b${b}/all.yaml`, text, err);
      }
    }
    // The engines over what was read: the collector's transform (RBAC, attack edges, NetworkPolicy) and RBAC questions.
    const m = groupManifests(entries);
    const describe = (o: object) => {
      const s = manifestSource(o);
      return s ? describeSource(s) : undefined;
    };
    try {
      snapshotToBatch('fuzz', m, { describe });
      const index = new RbacIndex(rbacStateFrom(m, describe));
      for (const user of ['alice', 'system:serviceaccount:ns1:sa1']) {
        index.authorize({ user, groups: ['devs', 'system:authenticated'] }, { kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets', subresource: '', namespace: 'ns1', name: 's' });
        index.authorize({ user, groups: [] }, { kind: 'nonResource', verb: 'get', path: '/logs/x' });
      }
      engineRuns++;
    } catch (err) {
      if (!(err instanceof InputError)) fail('engines', `batch ${b}`, docs.join('\n---\n'), err);
      else inputErrors++;
    }
  }
  process.stdout.write(`manifests fuzz: ${DOCS} documents, ${entriesRead} objects read, ${inputErrors} input errors, ${engineRuns} engine runs\n`);
  expect(failures).toEqual([]);
  // Both outcomes must occur, or the run proves little.
  expect(entriesRead).toBeGreaterThan(DOCS / 4);
  expect(inputErrors).toBeGreaterThan(DOCS / 10);
  expect(engineRuns).toBeGreaterThan(batches / 2);
  // The heap did not keep what the run generated (generous bound).
  expect(retainedHeap() - heapBefore).toBeLessThan(512 * 1024 * 1024);
}, 300_000);
