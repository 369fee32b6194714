// Purpose: per subject, how many declared (MAY_*) and observed (DID_*) relationships leave the nodes it
// acts through (its anchors from risk/subject-anchors), for many subjects in one round trip (a page of
// agents). The type lists come from the graph model's families.
// Params: $subjects ([{key, anchors: [elementId]}]), $declared, $observed (relationship types).
// Result: rows {key, declared, observed}, one per subject.
UNWIND $subjects AS s
CALL (s) {
  UNWIND s.anchors AS anchor
  MATCH (n) WHERE elementId(n) = anchor
  RETURN sum(COUNT { (n)-[r]->() WHERE type(r) IN $declared }) AS declared,
         sum(COUNT { (n)-[r]->() WHERE type(r) IN $observed }) AS observed
}
RETURN s.key AS key, declared, observed
