// Purpose: the ancestors of a process as the sensor saw them (CHILD_OF chain), nearest first.
// Params: $processId (Process id host/pid/startTicks), $depth (max hops, integer).
// Result: id, pid, executable, argv, depth.
MATCH p = (c:Process {id: $processId})-[:CHILD_OF*0..20]->(a:Process)
WHERE length(p) <= $depth
RETURN a.id AS id, a.pid AS pid, a.executable AS executable, a.argv AS argv, length(p) AS depth
ORDER BY depth
