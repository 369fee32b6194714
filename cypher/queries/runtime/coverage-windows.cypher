// Purpose: the observation windows of one host (sensor scope): what ran, when, and whether anything was lost.
// Params: $host (Host id).
// Result: id, from, to, probes, lost, ringLost, mapFull, queueOverflow, workloads.
MATCH (c:Coverage)-[:ON_HOST]->(:Host {id: $host})
RETURN c.id AS id, c.from AS from, c.to AS to, c.probes AS probes, c.lost AS lost, c.ringLost AS ringLost,
       c.mapFull AS mapFull, c.queueOverflow AS queueOverflow, c.workloads AS workloads
ORDER BY c.from
