// Purpose: the k shortest attack paths from start nodes to target nodes (up to 8 per pair: SHORTEST takes
// an integer literal in Neo4j 5; callers keep the first k). The edge filter is inside the quantified
// pattern (pre-filter); the length bound after it is safe because shorter paths come first.
// Params: $from, $to (elementIds: subject anchors or entry points; targets or crown jewels), $types
// (relationship types to follow), $maxHops (1..10).
// Result: rows {start, target, targetLabel, length, hops [{type, from, to, props}]}, shortest first per pair.
// A grant pattern's MATCHES_RESOURCE reaches resources of every account; IAM grants reach only the
// principal's own account (another account's resource needs its resource policy, which the collector
// stores as a direct MAY_ACCESS {via: 'resource-policy'}). So a path may take principal -MAY_ACCESS->
// pattern -MATCHES_RESOURCE-> resource only when principal and resource share an account (accountId, else
// the ARN's account field; a principal of unknown account passes, a resource of unknown account does not). This is a
// post-filter: a target whose shortest path crosses accounts is dropped even if a longer same-account
// path exists (rare: it takes an assumable role in the resource's account); docs/risk.md says so.
MATCH (s) WHERE elementId(s) IN $from
MATCH (t) WHERE elementId(t) IN $to AND s <> t
// One search per bound pair (a variable-scope CALL): the planner then searches from both ends
// (StatefulShortestPath(Into)) instead of expanding everything reachable from the start.
CALL (s, t) {
  // A resource-policy grant its own policy denies outright (MAY_ACCESS {denied: 'all'}) admits nothing: not followed.
  MATCH p = SHORTEST 8 (s)((x)-[r]->(y) WHERE type(r) IN $types AND coalesce(r.denied, '') <> 'all'){1,10}(t)
  WHERE length(p) <= $maxHops
    AND all(i IN range(1, length(p) - 1) WHERE type(relationships(p)[i]) <> 'MATCHES_RESOURCE'
          OR coalesce(nodes(p)[i - 1].accountId, CASE WHEN nodes(p)[i - 1].id STARTS WITH 'arn:' THEN split(nodes(p)[i - 1].id, ':')[4] END, '') IN ['', coalesce(nodes(p)[i + 1].accountId, CASE WHEN nodes(p)[i + 1].id STARTS WITH 'arn:' THEN split(nodes(p)[i + 1].id, ':')[4] END, '')])
  RETURN p
}
RETURN elementId(s) AS start, t.id AS target, labels(t)[0] AS targetLabel, length(p) AS length,
       [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id,
         props: r {.key, .method, .via, .port, .protocol, .maxSensitivity, .count}}] AS hops
ORDER BY start, target, length
