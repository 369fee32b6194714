/**
 * Which relationships a risk traversal follows, by domain and mode. Built from the graph model's
 * families (src/graph/model/), so a declared or observed type added to the model is either placed in a
 * domain here or fails the test that checks every MAY_/DID_ type is placed (test/unit/risk/edges.test.ts).
 */
import { RELS } from '../graph/model/index.js';

export const DOMAINS = ['identity', 'network', 'tools'] as const;
export type Domain = (typeof DOMAINS)[number];
export const MODES = ['declared', 'observed', 'both'] as const;
export type Mode = (typeof MODES)[number];

/**
 * Types a path may use, per domain. Structural joins that carry privilege (group membership, a secret
 * holding a token, a mounted secret, an address owned by a pod, a server offering a tool) are followed
 * in every mode: they are facts, neither granted nor observed.
 */
export const DOMAIN_TYPES: Readonly<Record<Domain, readonly string[]>> = {
  // MATCHES_RESOURCE: a grant pattern reaches the concrete resources inventoried; EXECUTES_AS: whoever
  // controls a Lambda function or SageMaker model acts with its execution role.
  identity: ['MAY_ASSUME', 'MAY_ACCESS', 'MAY_ESCALATE_TO', 'MAY_ACT_AS', 'DID_USE_ACTION', 'DID_OPEN', 'MEMBER_OF', 'STORES_TOKEN_OF', 'MOUNTS', 'LINKED_IDENTITY', 'MATCHES_RESOURCE', 'EXECUTES_AS'],
  network: ['MAY_CONNECT', 'DID_CONNECT', 'DID_RESOLVE', 'ADDRESS_OF'],
  tools: ['MAY_USE_TOOL', 'MAY_INVOKE', 'OFFERS', 'GRANTS_CAPABILITY', 'DID_CALL_TOOL'],
};

/** Declared or observed types the risk engine deliberately does not traverse, with the reason. */
export const NOT_TRAVERSED: Readonly<Record<string, string>> = {
  DID_EXEC: 'an executable run is evidence about the subject, not something it reaches',
  DID_ACCEPT: 'inbound: the peer reached the subject, not the other way round',
  DID_REQUEST: 'a Kubernetes API request kind, ending at a namespace or the cluster: evidence for least privilege, and what it touched is not a node',
};

const family = new Map(RELS.map((r) => [r.type, r.family]));

/** The relationship types a traversal follows for a mode and a set of domains (all domains when empty). */
export function traversalTypes(mode: Mode, domains: readonly Domain[] = DOMAINS): string[] {
  const out = new Set<string>();
  for (const d of domains.length ? domains : DOMAINS)
    for (const t of DOMAIN_TYPES[d]) {
      const f = family.get(t);
      if (f === undefined) continue;
      if (f === 'structural' || mode === 'both' || (mode === 'declared' && f === 'declared') || (mode === 'observed' && f === 'observed')) out.add(t);
    }
  return [...out].sort();
}
