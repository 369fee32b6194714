// Purpose: the k shortest attack paths from start nodes to target nodes (up to 8 per pair: SHORTEST takes
// an integer literal in Neo4j 5; callers keep the first k). The edge filter is inside the quantified
// pattern (pre-filter). The hop bound is the quantifier itself, filled in as a literal ({{maxHops}}):
// a search bounded only after the pattern runs to the pattern's own bound first, and under Cypher 5's
// trail semantics (no relationship twice in a path) the paths it weighs grow with each hop past the
// shortest ones through cyclic network reach (a blast radius on a shared test graph: 40 ms at {1,6},
// 27 s at {1,10}, same rows).
// Params: $from, $to (elementIds: subject anchors or entry points; targets or crown jewels), $types
// (relationship types to follow). Template: {{maxHops}} (1..10).
// Result: rows {start, target, targetLabel, length, hops [{type, from, to, props}]}, shortest first per pair.
// A grant pattern's MATCHES_RESOURCE reaches resources of every account; IAM grants reach only the
// principal's own account (another account's resource needs its resource policy, which the collector
// stores as a direct MAY_ACCESS {via: 'resource-policy'}). So a path may take principal -MAY_ACCESS->
// pattern -MATCHES_RESOURCE-> resource only when principal and resource share an account (accountId, else
// the ARN's account field; a principal of unknown account passes, a resource of unknown account does not). This is a
// post-filter: a target whose shortest path crosses accounts is dropped even if a longer same-account
// path exists (rare: it takes an assumable role in the resource's account); docs/risk.md says so.
MATCH (s) WHERE elementId(s) IN $from
// One search per start, forward from it, with the targets as a predicate INSIDE the parenthesized
// pattern: a pre-filter, so SHORTEST keeps partitions only for (start, target) pairs and expands what the
// start reaches once (StatefulShortestPath(All) "expanding from: s"). The target test is written so the
// planner cannot turn it into a node seek: a bound target makes it search each pair from both ends
// (Into), and the backward half then walks everything that reaches the target, once per start. On the
// 10,000-agent bench estate, agent -> admin role: 848 db hits this way, 66,867 per pair.
CALL (s) {
  // A resource-policy grant its own policy denies outright (MAY_ACCESS {denied: 'all'}) admits nothing: not followed.
  MATCH SHORTEST 8 (p = (s)((x)-[r]->(y) WHERE type(r) IN $types AND coalesce(r.denied, '') <> 'all'){1,{{maxHops}}}(t)
                        WHERE t <> s AND any(target IN $to WHERE target = elementId(t)))
  WHERE all(i IN range(1, length(p) - 1) WHERE type(relationships(p)[i]) <> 'MATCHES_RESOURCE'
          OR coalesce(nodes(p)[i - 1].accountId, CASE WHEN nodes(p)[i - 1].id STARTS WITH 'arn:' THEN split(nodes(p)[i - 1].id, ':')[4] END, '') IN ['', coalesce(nodes(p)[i + 1].accountId, CASE WHEN nodes(p)[i + 1].id STARTS WITH 'arn:' THEN split(nodes(p)[i + 1].id, ':')[4] END, '')])
  RETURN p, last(nodes(p)) AS t
}
RETURN elementId(s) AS start, t.id AS target, labels(t)[0] AS targetLabel, length(p) AS length,
       [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id,
         props: r {.key, .method, .via, .port, .protocol, .maxSensitivity, .count}}] AS hops
ORDER BY start, target, length
