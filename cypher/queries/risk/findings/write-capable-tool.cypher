// Purpose: finding RG-003: an agent is configured with an MCP tool that writes (directly or through
// its server), so a steered agent can change data, code or files.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors).
// Result: rows {subject, target, hops [{type, from, to}], exercised (false: MCP calls are not observed yet)}.
UNWIND $subjects AS subj
MATCH (a:AIAgent {id: subj.id}) WHERE elementId(a) IN subj.anchors
MATCH p = (a)-[:MAY_USE_TOOL]->()-[:OFFERS]->{0,1}(t:MCPTool)
WHERE t.writes = true
RETURN DISTINCT subj.id AS subject, t.id AS target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops, false AS exercised
