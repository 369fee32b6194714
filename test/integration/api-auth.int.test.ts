// The auth matrix (issue 14): every root field of Query, Mutation and Subscription, found by
// introspecting the running API (so a field any helper adds is covered here without an edit), tried
// by every role: no credential, viewer, analyst, admin and ingest API keys made the real way. The role
// a field needs is read from type-graphql's @Authorized metadata (rootFieldRoles); a field without
// @Authorized other than `health` fails the test. An allowed call may answer data or a coded input
// error (the arguments are only the smallest valid ones): that still proves it passed the auth check.
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createAuthenticator, rootFieldRoles } from '../../src/api/auth.js';
import { newContext } from '../../src/api/context.js';
import { ApiKeyVerifier, createApiKey } from '../../src/api/keys.js';
import { buildApiSchema } from '../../src/api/schema.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { gql, type GqlError } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';
import { introspect, operationFor, requiredArgs, type RootField, type SchemaInfo } from '../helpers/introspect.js';

const TOKEN = 'test-token-auth-matrix-0123456789';
const WHO = ['none', 'viewer', 'analyst', 'admin', 'ingest'] as const;
type Who = (typeof WHO)[number];
/** The roles each caller holds, as the API grants them (auth.ts): the chain, and ingest on its own. */
const HOLDS: Record<Who, string[]> = { none: [], viewer: ['viewer'], analyst: ['viewer', 'analyst'], admin: ['viewer', 'analyst', 'admin'], ingest: ['ingest'] };
const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'UNAUTHORIZED']);

let graph: Graph;
let api: RunningServer;
let info: SchemaInfo;
const keys = {} as Record<Exclude<Who, 'none'>, string>;

beforeAll(async () => {
  graph = await testGraph();
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }), { limits: { anonymousBurst: 1_000_000 } });
  for (const role of ['viewer', 'analyst', 'admin', 'ingest'] as const) keys[role] = (await createApiKey(graph, { name: `auth-matrix-${role}`, role })).key;
  info = await introspect(api.url, TOKEN);
});
afterAll(async () => {
  await api.stop();
  await graph.close();
});

/**
 * allowed, or the auth code it was refused with. Without credentials, a field costlier than the
 * anonymous budget is refused by the cost guard before any resolver runs (limits.ts): for a caller
 * without credentials that is the same outcome as UNAUTHENTICATED, and counted as it.
 */
function verdict(errors: readonly { message: string; extensions?: { code?: unknown } }[] | undefined, who: Who): string {
  const codes = (errors ?? []).map((e) => ({ code: String(e.extensions?.code), message: e.message }));
  const auth = codes.find((c) => AUTH_CODES.has(c.code))?.code;
  if (auth) return auth;
  if (who === 'none' && codes.some((c) => c.code === 'QUERY_TOO_COMPLEX' && c.message.endsWith('(without a token)'))) return 'UNAUTHENTICATED';
  return 'allowed';
}

function expected(required: string[] | undefined, who: Who, field: string): string {
  if (field === 'Query.health') return 'allowed';
  if (who === 'none') return 'UNAUTHENTICATED';
  return (required ?? []).every((r) => HOLDS[who].includes(r)) ? 'allowed' : 'FORBIDDEN';
}

async function call(f: RootField, who: Who): Promise<{ verdict: string; errors: GqlError[] | readonly { message: string; extensions?: { code?: unknown } }[] | undefined }> {
  const args = requiredArgs(f, info.types);
  if (f.operation !== 'subscription') {
    const r = await gql(api.url, operationFor(f, args, info.types), { credential: who === 'none' ? undefined : keys[who] });
    return { verdict: verdict(r.body.errors, who), errors: r.body.errors };
  }
  // Subscriptions: graphql-js subscribe over the API's own schema, with the principal the API's own
  // authenticator makes from the same keys, so the check is type-graphql's on the subscribe step.
  const principal = who === 'none' ? undefined : await authenticateKey(keys[who]);
  const out = await subscribe({ schema: await schema(), document: parse(operationFor(f, args, info.types)), contextValue: newContext(graph, principal) });
  if (Symbol.asyncIterator in out) {
    await (out as AsyncGenerator).return?.(undefined);
    return { verdict: 'allowed', errors: undefined };
  }
  const errors = (out as ExecutionResult).errors;
  return { verdict: verdict(errors, who), errors };
}

let builtSchema: ReturnType<typeof buildApiSchema> | undefined;
const schema = () => (builtSchema ??= buildApiSchema());
let authn: ReturnType<typeof createAuthenticator> | undefined;
async function authenticateKey(key: string) {
  authn ??= createAuthenticator(TOKEN, [new ApiKeyVerifier(graph)]);
  return authn(`Bearer ${key}`);
}

describe('the auth matrix', () => {
  test('given the schema, then every root field but health carries @Authorized', () => {
    const roles = rootFieldRoles();
    const unguarded = info.roots.map((f) => `${f.parent}.${f.name}`).filter((k) => k !== 'Query.health' && !roles.get(k)?.length);
    expect(unguarded).toEqual([]);
    // The matrix covers what the schema serves: at least the fields this round started from.
    expect(info.roots.map((f) => `${f.parent}.${f.name}`)).toEqual(expect.arrayContaining(['Query.health', 'Query.estate', 'Query.driftEvents']));
  });

  test('given every role and every root field, then each call is allowed or refused exactly as its @Authorized role says', async () => {
    const roles = rootFieldRoles();
    const mismatches: string[] = [];
    for (const f of info.roots) {
      const key = `${f.parent}.${f.name}`;
      for (const who of WHO) {
        const want = expected(roles.get(key), who, key);
        const got = await call(f, who);
        if (got.verdict !== want) mismatches.push(`${key} as ${who}: expected ${want}, got ${got.verdict} ${JSON.stringify(got.errors ?? null).slice(0, 300)}`);
        // A refusal is one coded error and no data leaking beside it.
        if (want !== 'allowed' && got.verdict === want) expect((got.errors ?? []).every((e) => typeof e.extensions?.code === 'string')).toBe(true);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('given the server token, then it passes every query and mutation field\'s auth check, like an admin', async () => {
    for (const f of info.roots.filter((r) => r.operation !== 'subscription')) {
      const r = await gql(api.url, operationFor(f, requiredArgs(f, info.types), info.types), { credential: TOKEN });
      expect([`${f.parent}.${f.name}`, verdict(r.body.errors, 'admin')]).toEqual([`${f.parent}.${f.name}`, 'allowed']);
    }
  });

  test('given a field only an admin may call, when a viewer and an ingest key try it, then both are forbidden', async () => {
    const adminOnly = info.roots.filter((f) => f.operation !== 'subscription' && rootFieldRoles().get(`${f.parent}.${f.name}`)?.includes('admin'));
    for (const f of adminOnly) {
      for (const who of ['viewer', 'ingest'] as const) expect((await call(f, who)).verdict).toBe('FORBIDDEN');
    }
  });
});

describe('subscriptions over the WebSocket transport', () => {
  /** Subscribes over graphql-ws on /graphql with `who`'s key; the first error or close code, or 'allowed' when none came within a second. */
  async function overWs(f: RootField, who: Who): Promise<string> {
    const url = new URL('graphql', api.url);
    url.protocol = 'ws:';
    const client = createClient({ url: url.href, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: who === 'none' ? {} : { authorization: `Bearer ${keys[who]}` } });
    try {
      return await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('allowed'), 1_000);
        const done = (v: string) => {
          clearTimeout(timer);
          resolve(v);
        };
        client.subscribe(
          { query: operationFor(f, requiredArgs(f, info.types), info.types) },
          {
            next: () => undefined,
            error: (e: unknown) => {
              const code = (e as { code?: number }).code;
              if (typeof code === 'number') return done(`close ${code}`);
              const errs = Array.isArray(e) ? (e as { extensions?: { code?: unknown } }[]) : [];
              done(errs.map((x) => String(x.extensions?.code)).join(',') || 'error');
            },
            complete: () => undefined,
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  test('given every subscription field, then the viewer, analyst and admin keys subscribe, an ingest key and no key are refused at connection', async () => {
    const subs = info.roots.filter((f) => f.operation === 'subscription');
    const got: string[] = [];
    const want: string[] = [];
    for (const f of subs)
      for (const who of WHO) {
        const required = rootFieldRoles().get(`Subscription.${f.name}`) ?? [];
        got.push(`${f.name} ${who}: ${await overWs(f, who)}`);
        // graphql-ws closes with 4403 (Forbidden) when the connection's credentials are refused (subscriptions.ts).
        want.push(`${f.name} ${who}: ${who === 'none' || who === 'ingest' ? 'close 4403' : required.every((r) => HOLDS[who].includes(r)) ? 'allowed' : 'FORBIDDEN'}`);
      }
    expect(got).toEqual(want);
  });
});
