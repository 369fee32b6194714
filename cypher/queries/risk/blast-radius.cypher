// Purpose: everything reachable from a subject's anchors, each node with one shortest evidence path.
// The edge filter sits INSIDE the quantified pattern, so it prunes during the search (a pre-filter);
// a WHERE after the pattern would only drop the shortest paths once chosen and lose reachable targets.
// The hop bound is the quantifier itself, filled in as a literal ({{maxHops}}, 1..10): bounded only by a
// WHERE after the pattern, the search ran to {1,10} whatever the depth asked, and under Cypher 5's trail
// semantics (no relationship twice in a path) the paths it weighs past the shortest ones grow with each
// hop through cyclic network reach (a shared test graph's riskiest agent, network declared: 40 ms at
// {1,6}, 0.8 s at {1,8}, 27 s at {1,10}, the same 43 rows). SHORTEST 1 partitions by (anchor, target):
// one row per pair.
// Params: $anchors (elementIds from risk/subject-anchors), $types (relationship types to follow, e.g.
// ['MAY_ASSUME','MAY_ACCESS','MAY_ESCALATE_TO','MAY_ACT_AS','MEMBER_OF']). Template: {{maxHops}}.
// Result: rows {anchor, target, labels, props, admin, hops [{type, from, to, props}]}.
// A grant pattern's MATCHES_RESOURCE reaches resources of every account; IAM grants reach only the
// principal's own account (another account's resource needs its resource policy, which the collector
// stores as a direct MAY_ACCESS {via: 'resource-policy'}). So a path may take principal -MAY_ACCESS->
// pattern -MATCHES_RESOURCE-> resource only when principal and resource share an account (accountId, else
// the ARN's account field; a principal of unknown account passes, a resource of unknown account does not). This is a
// post-filter: a target whose shortest path crosses accounts is dropped even if a longer same-account
// path exists (rare: it takes an assumable role in the resource's account); docs/risk.md says so.
MATCH (a) WHERE elementId(a) IN $anchors
// An IPBlock is a destination, never a hop: reaching an outside address does not make the subject that
// address, so what admits ingress from it (in any cluster) is not in the subject's reach.
// A resource-policy grant its own policy denies outright (MAY_ACCESS {denied: 'all'}) admits nothing: not followed.
MATCH p = SHORTEST 1 (a)((x)-[r]->(y) WHERE type(r) IN $types AND NOT x:IPBlock AND coalesce(r.denied, '') <> 'all'){1,{{maxHops}}}(t)
WHERE NOT elementId(t) IN $anchors
  AND all(i IN range(1, length(p) - 1) WHERE type(relationships(p)[i]) <> 'MATCHES_RESOURCE'
        OR coalesce(nodes(p)[i - 1].accountId, CASE WHEN nodes(p)[i - 1].id STARTS WITH 'arn:' THEN split(nodes(p)[i - 1].id, ':')[4] END, '') IN ['', coalesce(nodes(p)[i + 1].accountId, CASE WHEN nodes(p)[i + 1].id STARTS WITH 'arn:' THEN split(nodes(p)[i + 1].id, ':')[4] END, '')])
RETURN elementId(a) AS anchor, t.id AS target, labels(t) AS labels,
       t {.name, .kind, .class, .writes, .sensitivity, .riskTags, .address, .loopback, .namespace, .type, .capability, .target, .crownJewel} AS props,
       CASE WHEN t:AWSRole OR t:AWSUser OR t:AWSGroup THEN EXISTS { (t)-[g:MAY_ACCESS]->() WHERE g.maxSensitivity = 'admin' } ELSE false END AS admin,
       [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id,
         props: r {.key, .method, .via, .port, .endPort, .protocol, .actions, .maxSensitivity, .verbs, .resources, .count, .executable, .granularity}}] AS hops
