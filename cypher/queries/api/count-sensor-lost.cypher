// Purpose: sensor events lost, summed per host over the sensor's observation windows (Coverage ON_HOST), for /metrics at scrape.
// Params: $limit (hosts at most, the lossiest first).
// Result: rows {host, ringLost, mapFull, queueOverflow, windows, lossyWindows}.
MATCH (c:Coverage)-[:ON_HOST]->(h:Host)
RETURN h.id AS host,
       sum(coalesce(c.ringLost, 0)) AS ringLost, sum(coalesce(c.mapFull, 0)) AS mapFull,
       sum(coalesce(c.queueOverflow, 0)) AS queueOverflow,
       count(c) AS windows, sum(CASE WHEN c.lost THEN 1 ELSE 0 END) AS lossyWindows
ORDER BY ringLost + mapFull + queueOverflow DESC, host
LIMIT toInteger($limit)
