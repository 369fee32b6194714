// Purpose: everything the graph declares for some agents, for an AI-BOM export (one agent) or the API
// (a page of agents in one round trip): frameworks and SDKs, models, inference servers and vector stores,
// MCP servers with their tools and the capabilities they grant.
// Params: $agents ([AIAgent id]).
// Result: one row per known agent {agent, components, models, services, mcpServers}; none for an unknown one.
UNWIND $agents AS agentId
MATCH (a:AIAgent {id: agentId})
CALL (a) {
  OPTIONAL MATCH (a)-[:BUILT_WITH]->(f:AgentFramework)
  RETURN collect(DISTINCT f {.ecosystem, .name, .version, .kind, .product, .provider}) AS components
}
CALL (a) {
  OPTIONAL MATCH (a)-[:MAY_INVOKE]->(m:AIModel)
  RETURN collect(DISTINCT m {.id, .name, .sha256, .version, provider: m.provider, .task, .architecture, .datasets, .format, .path}) AS models
}
CALL (a) {
  OPTIONAL MATCH (a)-[:MAY_INVOKE|MAY_USE_TOOL]->(s) WHERE s:InferenceServer OR s:VectorStore
  RETURN collect(DISTINCT CASE WHEN s IS NULL THEN null ELSE {label: labels(s)[0], name: s.name, engine: s.engine, url: s.url} END) AS services
}
CALL (a) {
  OPTIONAL MATCH (a)-[:MAY_USE_TOOL]->(srv:MCPServer)
  OPTIONAL MATCH (srv)-[:OFFERS]->(t:MCPTool)
  OPTIONAL MATCH (t)-[:GRANTS_CAPABILITY]->(c:AICapability)
  WITH srv, t, collect(c.id) AS caps
  WITH srv, collect(CASE WHEN t IS NULL THEN null ELSE {name: t.name, hash: t.definitionHash, capabilities: caps} END) AS tools
  RETURN collect(CASE WHEN srv IS NULL THEN null ELSE {id: srv.id, name: srv.name, transport: srv.transport, command: srv.command, args: srv.args, url: srv.url, tools: tools} END) AS mcpServers
}
RETURN a.id AS agent, components, models, services, mcpServers
