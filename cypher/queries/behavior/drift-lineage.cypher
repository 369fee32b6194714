// Purpose: evidence for drift events: the newest process of the subject that ran one of the event's
// executables, and its ancestors (CHILD_OF), nearest first.
// Params: $subject (Workload id), $rows [{key, executables [paths]}], $depth (max ancestors, integer).
// Result: key, chain [{id, pid, comm, executable, argv, execAt}] (empty when no process is known; stub parents, never seen, are left out).
UNWIND $rows AS row
OPTIONAL MATCH (p:Process)-[:PART_OF]->(:Workload {id: $subject})
  WHERE p.executable IN row.executables
WITH row, p ORDER BY p.execAt DESC
WITH row, head(collect(p)) AS p
OPTIONAL MATCH path = (p)-[:CHILD_OF*0..8]->(a:Process)
  WHERE length(path) <= $depth
WITH row, a, length(path) AS depth ORDER BY depth
WITH row, [x IN collect(a) WHERE x.pid IS NOT NULL | {id: x.id, pid: x.pid, comm: x.comm, executable: x.executable, argv: x.argv, execAt: x.execAt}] AS chain
RETURN row.key AS key, chain
