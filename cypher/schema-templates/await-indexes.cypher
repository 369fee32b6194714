// Purpose: wait until every index is online (after schema apply). Params: none. Result: none.
CALL db.awaitIndexes(300)
