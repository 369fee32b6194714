// Purpose: the declared state (model references, prompt and config hashes) the graph holds for some
// scanned agents from earlier syncs, so a sync can tell a changed model, prompt or config from an
// unchanged one. Agents whose last sync kept no state (no modelRefs) are left out: not a baseline.
// Params: $agents (AIAgent ids).
// Result: rows {id, modelRefs, promptHash, configHash}.
MATCH (a:AIAgent)
WHERE a.id IN $agents AND a.modelRefs IS NOT NULL
RETURN a.id AS id, a.modelRefs AS modelRefs, a.promptHash AS promptHash, a.configHash AS configHash
