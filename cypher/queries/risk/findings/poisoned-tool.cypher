// Purpose: finding RG-004: an agent is configured with an MCP tool whose description (untrusted text
// the model reads) carries prompt-injection markers, or the AI-BOM collector flagged it so
// (AIFinding rule mcp-injection-like): tool poisoning.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors), $injection (case-insensitive regex of markers).
// Result: rows {subject, target, hops [{type, from, to}], exercised (false: MCP calls are not observed yet)}.
UNWIND $subjects AS subj
MATCH (a:AIAgent {id: subj.id}) WHERE elementId(a) IN subj.anchors
MATCH p = (a)-[:MAY_USE_TOOL]->()-[:OFFERS]->{0,1}(t:MCPTool)
WHERE t.description =~ $injection OR EXISTS { (:AIFinding {rule: 'mcp-injection-like'})-[:AFFECTS]->(t) }
RETURN DISTINCT subj.id AS subject, t.id AS target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops, false AS exercised
