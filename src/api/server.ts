/**
 * `reachgraph serve`: Apollo Server 5 over the type-graphql schema on 127.0.0.1:4000, behind our
 * own HTTP transport (http.ts: Host check, CORS, rate limit, body limit). Production error
 * behaviour whatever NODE_ENV says: no stack traces, every error reduced to a message and a stable
 * `extensions.code`; ReachgraphErrors keep their code, Neo4j failures are reported without their
 * details (which name the Bolt address), anything else is masked as internal. A cost guard
 * (limits.ts) refuses queries too costly to run, as a client error.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { GraphError, ReachgraphError } from '../errors.js';
import type { Graph } from '../graph/driver.js';
import { logger } from '../log.js';
import { apiToken, createAuthenticator, type CredentialVerifier } from './auth.js';
import type { ApiContext } from './context.js';
import { createApiHttpServer, hostPolicy } from './http.js';
import { JwtVerifier } from './jwt.js';
import { ApiKeyVerifier } from './keys.js';
import { ingestRoute } from './ingest-route.js';
import { DEFAULT_API_LIMITS, enforceCost, type ApiLimits } from './limits.js';
import { instrumentGraph, metricsPlugin } from './metrics.js';
import { opsRoutes } from './ops.js';
import { buildApiSchema } from './schema.js';
import { attachSubscriptions } from './subscriptions.js';
import { uiRoute } from './ui-route.js';

/** The authenticated cost budget (kept as a name for callers that print it). */
export const MAX_COMPLEXITY = DEFAULT_API_LIMITS.maxCost;

function costGuard(schema: GraphQLSchema, limits: ApiLimits): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, contextValue }) {
          enforceCost({ schema, document, operationName: request.operationName, variables: request.variables, authenticated: (contextValue.principal?.roles.length ?? 0) > 0, limits });
        },
      };
    },
  };
}

/** Keeps our coded errors and GraphQL's own, reduced to message, locations, path and code; masks everything else. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError;
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof GraphError) {
    logger.error({ err: original.message, path: formatted.path }, 'Neo4j failed in a resolver');
    return { message: 'the graph database is unavailable or failed; the server log has the details', ...base, extensions: { code: original.code } };
  }
  if (original instanceof ReachgraphError) return { message: original.message, ...base, extensions: { code: original.code } };
  const code = formatted.extensions?.code;
  // graphql's parser stops at maxTokens with a syntax error (graphql 16 spells it "more that"); to the caller that is a query too large.
  const tokens = code === 'GRAPHQL_PARSE_FAILED' ? /Document contains more th(?:an|at) (\d+) tokens/.exec(formatted.message) : null;
  if (tokens) return { message: `query too complex: more than ${tokens[1]} tokens`, ...base, extensions: { code: 'QUERY_TOO_COMPLEX' } };
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return { message: formatted.message, ...base, extensions: { code } };
  logger.error({ err: (original as Error)?.message ?? formatted.message, path: formatted.path }, 'internal error in a resolver');
  return { message: 'internal error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export interface RunningServer {
  url: string;
  tokenFile: string | undefined;
  stop(): Promise<void>;
}

/** Starts the API; the configured limits (cfg.api.limits) and then `limits` override DEFAULT_API_LIMITS (tests use it to reach a limit quickly). */
export async function startApi(graph: Graph, cfg: Config, opts: { limits?: Partial<ApiLimits> } = {}): Promise<RunningServer> {
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...cfg.api.limits, ...opts.limits };
  const schema = await buildApiSchema();
  const { token, file } = apiToken(cfg);
  // Resolvers and routes get the graph with each transaction timed for /metrics, and every read
  // stopped by Neo4j at REACHGRAPH_API_QUERY_TIMEOUT_MS.
  const timed = instrumentGraph(graph.withOptions({ readTimeoutMs: cfg.api.queryTimeoutMs }));
  const keys = new ApiKeyVerifier(timed);
  const verifiers: CredentialVerifier[] = [keys, ...(cfg.api.jwt ? [new JwtVerifier(cfg.api.jwt)] : [])];
  const authn = createAuthenticator(token, verifiers);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    formatError,
    plugins: [costGuard(schema, limits), metricsPlugin(), ApolloServerPluginLandingPageDisabled()],
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
  });
  await apollo.start();
  // One authenticate function for HTTP requests and graphql-ws connections (subscriptions.ts).
  const authenticate = (req: { headers: { authorization?: string | undefined } }) => authn(req.headers.authorization);
  const httpServer = createApiHttpServer(apollo, timed, { host: cfg.api.host, authenticate, routes: [...opsRoutes(timed, cfg), ingestRoute(graph), uiRoute()], corsOrigins: cfg.api.corsOrigins, allowedHosts: cfg.api.allowedHosts, limits });
  const subscriptions = await attachSubscriptions(httpServer, { schema, graph: timed, authenticate, admit: hostPolicy({ host: cfg.api.host, allowedHosts: cfg.api.allowedHosts, corsOrigins: cfg.api.corsOrigins }), formatError, limits });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(cfg.api.port, cfg.api.host, () => resolve());
  }).catch(async (e: unknown) => {
    await subscriptions.close();
    throw e;
  });
  const { port } = httpServer.address() as AddressInfo;
  const shown = ['0.0.0.0', '::'].includes(cfg.api.host) ? 'localhost' : cfg.api.host.includes(':') ? `[${cfg.api.host}]` : cfg.api.host;
  return {
    url: `http://${shown}:${port}/`,
    tokenFile: file,
    async stop() {
      await subscriptions.close();
      await apollo.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await keys.drain();
    },
  };
}
