// Purpose: finding RG-008: a subject is a Bedrock agent (its AIAgent RUNS_ON an AWSBedrockAgent) that
// applies no guardrail (no GUARDED_BY), or whose guardrail configures neither a content filter (prompt
// attack, harmful content) nor a sensitive-information filter. Nothing then screens what reaches its
// model and tools, or what it answers.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors).
// Result: rows {subject, target, hops [{type, from, to}], exercised (false: a configuration fact)}.
UNWIND $subjects AS subj
MATCH (a:AIAgent) WHERE elementId(a) IN subj.anchors
MATCH p = (a)-[:RUNS_ON]->(b:AWSBedrockAgent)
WHERE NOT EXISTS {
  MATCH (b)-[:GUARDED_BY]->(g:AWSBedrockGuardrail)
  WHERE g.stub IS NULL AND any(x IN coalesce(g.policies, []) WHERE x IN ['content', 'sensitive-information'])
}
RETURN DISTINCT subj.id AS subject, b.id AS target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops, false AS exercised
