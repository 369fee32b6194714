// Purpose: the definition hashes the graph holds for the tools of some MCP servers, from earlier syncs,
// so a sync can tell a changed tool definition (rug pull) from an unchanged one.
// Params: $servers (MCPServer ids).
// Result: rows {id, hash} for every MCPTool of those servers that has a hash.
MATCH (t:MCPTool)
WHERE t.server IN $servers AND t.definitionHash IS NOT NULL
RETURN t.id AS id, t.definitionHash AS hash
