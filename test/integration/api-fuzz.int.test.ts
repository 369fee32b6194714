// Standing fuzz suite, GraphQL target (issue 8): seeded fast-check inputs sent to the real API
// server (our HTTP transport + Apollo) over loopback, on the real test Neo4j. Hostile argument
// values and variables, raw hostile documents, deep nesting, huge alias counts, broken bodies.
// Every answer must be a JSON GraphQL body, never a 5xx, never a stack or a path, with an error
// code from the stable set; memory stays bounded. FUZZ_SEED / FUZZ_RUNS override the defaults.
import http from 'node:http';
import fc from 'fast-check';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { testGraph } from '../helpers/graph.js';
import { retainedHeap } from '../helpers/heap.js';

const TOKEN = 'test-token-fuzz-0123456789';
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Every code an answer may carry: a new one is a decision, not an accident. */
const STABLE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'QUERY_TOO_COMPLEX',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
]);

let graph: Graph;
let api: RunningServer;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

beforeAll(async () => {
  graph = await testGraph();
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }), { limits: { anonymousBurst: 1_000_000 } });
});
afterAll(async () => {
  agent.destroy();
  await api.stop();
  await graph.close();
});

interface Input {
  body: string;
  token: boolean;
}

function send(input: Input): Promise<{ status: number; contentType: string; text: string }> {
  const u = new URL('graphql', api.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', ...(input.token ? { authorization: `Bearer ${TOKEN}` } : {}) } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(parts).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(input.body);
  });
}

// ---- generators -------------------------------------------------------------------------------
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      '"\\',
      '\u0000',
      '\ud800',
      '\u202e',
      "x'}) MATCH (n) DETACH DELETE n //",
      'LOAD CSV FROM "file:///etc/passwd" AS l RETURN l',
      '${jndi:ldap://127.0.0.1/a}',
      '%s%s%n',
      '{{7*7}}',
      '../../../../etc/passwd',
      '<script>alert(1)</script>',
      'A'.repeat(5000),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 20_000 }) },
);
const hostileJson = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 4 }), fc.constant(null), fc.integer(), fc.double(), fc.boolean());
const field = fc.constantFrom('health { neo4j }', 'health { version }', 'estate { label count }', '__typename', 'health { neo4j version __typename }');
const body = (query: string, extra: Record<string, unknown> = {}) => JSON.stringify({ query, ...extra });

/** An argument the schema does not declare, with a hostile literal. */
const unknownArgument = fc.tuple(fc.constantFrom('health', 'estate'), fc.constantFrom('label', 'id', 'where', '__proto__', 'first'), hostileString).map(([f, arg, v]) => body(`{ ${f}(${arg}: ${JSON.stringify(v)}) { __typename } }`));
/** A declared variable, used by @include/@skip, with a hostile value of any type. */
const hostileVariable = fc
  .tuple(fc.constantFrom('Boolean!', 'Boolean', 'String', '[Boolean!]!', 'Int', 'ID!'), fc.constantFrom('include', 'skip'), hostileJson)
  .map(([type, dir, v]) => body(`query Q($v: ${type}) { health { version @${dir}(if: $v) } }`, { variables: { v }, operationName: 'Q' }));
/** The document itself is hostile text. */
const hostileDocument = hostileString.map((q) => body(q));
/** Many aliases, up to well past the caps. */
const manyAliases = fc.tuple(fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 41, max: 400 }) }), field).map(([n, f]) => body(`{ ${Array.from({ length: n }, (_, i) => `a${i}: ${f}`).join(' ')} __typename }`));
/** Deep nesting: valid (introspection) and invalid (scalars with selections). */
const deepNesting = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.boolean()).map(([depth, valid]) =>
  valid ? body(`{ __schema { types { ${'fields { type { '.repeat(depth)}name${' } }'.repeat(depth)} } } }`) : body(`${'{ health '.repeat(depth)}${'}'.repeat(depth)}`),
);
/** Fragments that spread each other, and aliases inside fragments. */
const fragments = fc.integer({ min: 1, max: 50 }).map((n) => body(`fragment A on Query { ...B a: health { neo4j } } fragment B on Query { ...A } { ${'...A '.repeat(n)} }`));
/** Hostile operation names, extensions and request shapes. */
const hostileEnvelope = fc.tuple(hostileJson, hostileJson, hostileJson).map(([op, ext, q]) => JSON.stringify({ query: typeof q === 'string' ? q : '{ health { version } }', operationName: op, extensions: ext, variables: ext }));
/** The body is any JSON value, or not JSON at all. */
const hostileBody = fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)), hostileString);

const inputs: fc.Arbitrary<Input> = fc.record({
  body: fc.oneof(unknownArgument, hostileVariable, hostileDocument, manyAliases, deepNesting, fragments, hostileEnvelope, hostileBody),
  token: fc.boolean(),
});

/** Checks one answer; returns what is wrong with it, or undefined. */
function problem(r: { status: number; contentType: string; text: string }, codes: Map<string, number>): string | undefined {
  if (r.status >= 500) return `status ${r.status}`;
  if (!/^application\/(graphql-response\+)?json/.test(r.contentType)) return `content-type ${r.contentType}`;
  if (/stacktrace|\bat [\w.<>]+ \(|\.ts:\d+|node_modules|\/work\/|bolt:\/\//i.test(r.text)) return 'internals in the body';
  let json: { data?: unknown; errors?: { message: unknown; extensions?: { code?: unknown } }[] };
  try {
    json = JSON.parse(r.text) as typeof json;
  } catch {
    return 'body is not JSON';
  }
  for (const e of json.errors ?? []) {
    const code = String(e.extensions?.code);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (typeof e.message !== 'string') return 'error without a message';
    if (!STABLE_CODES.has(code)) return `unstable code ${code}: ${String(e.message).slice(0, 200)}`;
  }
  if (r.status === 200 && !json.errors && !json.data) return '200 without data or errors';
  return undefined;
}

describe('GraphQL fuzz (standing suite)', () => {
  test(`given ${RUNS} generated requests (seed ${SEED}), then every answer is a JSON GraphQL body without a 5xx, a stack or an unstable code, and memory stays bounded`, async () => {
    // Generated up front from the seed, then sent eight at a time: the server overlaps Neo4j round
    // trips, which keeps 10,000 requests within the suite's time budget. A failure names its input.
    const all = fc.sample(inputs, { numRuns: RUNS, seed: SEED });
    const heapBefore = retainedHeap();
    let peak = heapBefore;
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < all.length) {
        const input = all[next++]!;
        const r = await send(input);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const p = problem(r, codes);
        if (p) failures.push(`${p} — token ${input.token}, body ${JSON.stringify(input.body.slice(0, 300))}, answer ${r.text.slice(0, 300)}`);
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    process.stderr.write(`graphql fuzz: ${RUNS} requests (seed ${SEED}), statuses ${JSON.stringify(Object.fromEntries(statuses))}, codes ${JSON.stringify(Object.fromEntries(codes))}, heap peak +${Math.round((peak - heapBefore) / 1048576)} MB, retained +${Math.round((retainedHeap() - heapBefore) / 1048576)} MB\n`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    // The API runs in this process: its heap is this heap. A leak per request or a body kept
    // whole would show as hundreds of MB kept after 10,000 requests (the peak is printed, not bounded:
    // it measures when the collector ran).
    expect(retainedHeap() - heapBefore).toBeLessThan(256 * 1024 * 1024);
  }, 300_000);
});
