// Purpose: the declared-state changes (StateChange: image digest, model version, MCP tool definition, prompt,
// config) that touch a subject: changes of the subject itself, of the pod and controllers it runs in, of
// the AI agents that run there, and of the MCP servers and tools those agents are configured with.
// Params: $label (Workload, AWSRole, AWSUser or AIAgent, from behavior/resolve-subject), $subject (node id).
// Result: id, kind, at (epoch ms), on (id of the changed node).
CALL () {
  MATCH (s:Workload {id: $subject}) WHERE $label = 'Workload' RETURN s
  UNION
  MATCH (s:AWSRole {id: $subject}) WHERE $label = 'AWSRole' RETURN s
  UNION
  MATCH (s:AWSUser {id: $subject}) WHERE $label = 'AWSUser' RETURN s
  UNION
  MATCH (s:AIAgent {id: $subject}) WHERE $label = 'AIAgent' RETURN s
}
CALL (s) {
  MATCH (s)-[:PART_OF|OWNED_BY]->{0,4}(x) RETURN x
  UNION
  MATCH (s)-[:PART_OF|OWNED_BY]->{0,4}()<-[:RUNS_ON]-(x:AIAgent) RETURN x
  UNION
  MATCH (s)-[:PART_OF|OWNED_BY]->{0,4}()<-[:RUNS_ON]-(:AIAgent)-[:MAY_USE_TOOL]->(x:MCPServer) RETURN x
  UNION
  MATCH (s)-[:PART_OF|OWNED_BY]->{0,4}()<-[:RUNS_ON]-(:AIAgent)-[:MAY_USE_TOOL]->(:MCPServer)-[:OFFERS]->(x:MCPTool) RETURN x
  UNION
  MATCH (s:AIAgent)-[:MAY_USE_TOOL]->(x:MCPServer) RETURN x
  UNION
  MATCH (s:AIAgent)-[:MAY_USE_TOOL]->(:MCPServer)-[:OFFERS]->(x:MCPTool) RETURN x
}
MATCH (x)<-[:CHANGED]-(c:StateChange)
RETURN DISTINCT c.id AS id, c.kind AS kind, datetime(c.at).epochMillis AS at, x.id AS on
ORDER BY at, id
