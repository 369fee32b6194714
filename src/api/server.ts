/**
 * `reachgraph serve`: Apollo Server 5 over the type-graphql schema on 127.0.0.1:4000.
 * Authentication by bearer token (auth.ts); ReachgraphErrors keep their code, anything else is
 * masked as internal; a complexity guard refuses queries too costly to run.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Config } from '../config.js';
import { ReachgraphError } from '../errors.js';
import type { Graph } from '../graph/driver.js';
import { logger } from '../log.js';
import { apiToken, authenticate } from './auth.js';
import type { ApiContext } from './context.js';
import { buildApiSchema } from './schema.js';

export const MAX_COMPLEXITY = 1000;

function complexityGuard(schema: GraphQLSchema): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const complexity = getComplexity({ schema, operationName: request.operationName, query: document, variables: request.variables, estimators: [simpleEstimator({ defaultComplexity: 1 })] });
          if (complexity > MAX_COMPLEXITY) throw new GraphQLError(`query too complex: ${complexity} > ${MAX_COMPLEXITY}`, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
        },
      };
    },
  };
}

/** Keeps our coded errors and GraphQL's own; masks everything else. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError;
  if (original instanceof ReachgraphError) return { ...formatted, message: original.message, extensions: { code: original.code } };
  const code = formatted.extensions?.code;
  if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  logger.error({ err: (original as Error)?.message ?? formatted.message, path: formatted.path }, 'internal error in a resolver');
  return { message: 'internal error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export interface RunningServer {
  url: string;
  tokenFile: string | undefined;
  stop(): Promise<void>;
}

export async function startApi(graph: Graph, cfg: Config): Promise<RunningServer> {
  const schema = await buildApiSchema();
  const { token, file } = apiToken(cfg);
  const server = new ApolloServer<ApiContext>({ schema, formatError, plugins: [complexityGuard(schema)], introspection: true });
  const { url } = await startStandaloneServer(server, {
    listen: { host: cfg.api.host, port: cfg.api.port },
    context: async ({ req }) => ({ graph, principal: authenticate(req.headers.authorization, token) }),
  });
  return { url, tokenFile: file, stop: () => server.stop() };
}
