/** Test helpers: build an estate from wire-format objects through the real manifest reader. */
import { parseManifestText } from '../../../../src/collectors/kubernetes/manifests.js';
import { groupManifests } from '../../../../src/collectors/kubernetes/manifests.js';
import { allowedConnections, buildNetpolModel, type NetpolModel, type NetpolOptions } from '../../../../src/identity/kubernetes/netpol/evaluate.js';

export interface WirePod {
  ns: string;
  name: string;
  labels?: Record<string, string>;
  ports?: Array<{ port: number; protocol?: string; name?: string }>;
  ip?: string;
}

export function podObject(p: WirePod): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.ns, labels: p.labels ?? {} },
    spec: { containers: [{ name: 'main', ports: (p.ports ?? []).map((x) => ({ containerPort: x.port, ...(x.protocol ? { protocol: x.protocol } : {}), ...(x.name ? { name: x.name } : {}) })) }] },
    ...(p.ip ? { status: { podIP: p.ip } } : {}),
  };
}

export function nsObject(name: string, labels: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function policyObject(ns: string, name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** Parse wire objects as a kubectl List dump would be parsed, then compile. */
export function modelOf(objects: object[], options: NetpolOptions = {}): NetpolModel {
  const m = groupManifests(parseManifestText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), 'estate.json'));
  return buildNetpolModel({ namespaces: m.namespaces, pods: m.pods, networkPolicies: m.networkPolicies }, options);
}

/** The CLI's rows as "src->dst:port/PROTO" strings. */
export function allowedStrings(model: NetpolModel): string[] {
  return allowedConnections(model).map((c) => `${c.src}->${c.dst}:${c.port}/${c.protocol}`);
}
