// The load generator of bench:api, run as a child process so its own work (timers, parsing, histograms)
// does not share an event loop with the API it measures. (Not a worker thread: autocannon takes a
// worker thread for one of its own and talks to the parent port itself.) Receives the target and the
// subjects as its first IPC message; sends autocannon's figures back.
import autocannon from 'autocannon';
import { once } from 'node:events';

export interface LoadSpec {
  url: string;
  token: string;
  query: string;
  subjects: string[];
  rate: number;
  seconds: number;
}

const [spec] = (await once(process, 'message')) as [LoadSpec];
let next = 0;
const result = await autocannon({
  url: spec.url,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.token}` },
  connections: 20,
  overallRate: spec.rate,
  duration: spec.seconds,
  timeout: 30,
  requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: spec.query, variables: { id: spec.subjects[next++ % spec.subjects.length] } }) }) }],
  // A GraphQL error comes with HTTP 200: counted as a mismatch.
  verifyBody: (body) => !String(body).includes('"errors"'),
});
process.send!({ latency: result.latency, requests: result.requests, duration: result.duration, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches }, () => process.exit(0));
