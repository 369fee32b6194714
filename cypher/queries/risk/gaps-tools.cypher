// Purpose: an agent's declared MCP tools next to the tool calls `reachgraph mcp proxy` observed and the
// proxied sessions (Coverage windows with probe mcp) that vouch for "not called": the tools its declared
// MCP servers offer, its DID_CALL_TOOL edges, and each session's server and unparsed-line count.
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {agent, declared [{tool, server}], calls [{tool, server, count, errors, firstSeen, lastSeen}],
// windows [{coverage, server, from, to, lost, unparsed}]}, one per AIAgent anchor.
MATCH (ag) WHERE elementId(ag) IN $anchors AND ag:AIAgent
CALL (ag) {
  OPTIONAL MATCH (ag)-[:MAY_USE_TOOL]->(s:MCPServer)-[:OFFERS]->(t:MCPTool)
  RETURN collect(DISTINCT CASE WHEN t IS NULL THEN null ELSE {tool: t.id, server: s.id} END) AS declared
}
CALL (ag) {
  OPTIONAL MATCH (ag)-[c:DID_CALL_TOOL]->(t:MCPTool)
  RETURN collect(CASE WHEN c IS NULL THEN null ELSE {tool: t.id, server: coalesce(c.server, t.server), count: c.count, errors: coalesce(c.errors, 0),
                 firstSeen: toString(c.firstSeen), lastSeen: toString(c.lastSeen)} END) AS calls
}
CALL (ag) {
  OPTIONAL MATCH (cv:Coverage)-[:COVERS]->(ag) WHERE 'mcp' IN coalesce(cv.probes, [])
  RETURN collect(CASE WHEN cv IS NULL THEN null ELSE {coverage: cv.id, server: cv.server, from: toString(cv.from), to: toString(cv.to),
                 lost: coalesce(cv.lost, false) OR coalesce(cv.unparsed, 0) > 0, unparsed: coalesce(cv.unparsed, 0)} END) AS windows
}
RETURN ag.id AS agent, declared, calls, windows
ORDER BY agent
