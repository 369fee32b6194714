// Purpose: where an attacker starts. Nodes tagged `entry`; pods behind a LoadBalancer or NodePort
// Service (through its EndpointSlices); agents flagged as ingesting untrusted content
// (ingestsUntrusted: true); agents configured with an MCP tool (directly or through its server) whose
// untrusted description carries prompt-injection markers, or that the AI-BOM collector flagged
// (AIFinding rule mcp-injection-like): the tool is the entry, the agent it steers is where the path starts.
// Params: $injection (a case-insensitive regular expression of injection markers).
// Result: rows {node (elementId), label, id, reason}, ordered by id.
CALL () {
  MATCH (n) WHERE 'entry' IN n.riskTags
  RETURN n, 'tagged entry' AS reason
  UNION
  MATCH (s:K8sService)<-[:OWNED_BY]-(:K8sEndpointSlice)-[:ROUTES_TO]->(n:K8sPod)
  WHERE s.type IN ['LoadBalancer', 'NodePort']
  RETURN n, 'behind ' + s.type + ' Service ' + s.id AS reason
  UNION
  MATCH (n:AIAgent) WHERE n.ingestsUntrusted = true
  RETURN n, 'ingests untrusted content' AS reason
  UNION
  MATCH (n:AIAgent)-[:MAY_USE_TOOL]->()-[:OFFERS]->{0,1}(t:MCPTool)
  WHERE t.description =~ $injection OR EXISTS { (:AIFinding {rule: 'mcp-injection-like'})-[:AFFECTS]->(t) }
  RETURN n, 'uses MCP tool ' + t.id + ' whose description carries prompt-injection markers' AS reason
}
RETURN elementId(n) AS node, labels(n)[0] AS label, n.id AS id, reason
ORDER BY id, reason
