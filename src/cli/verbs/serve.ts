import type { Command } from 'commander';

/** Serves GraphQL until SIGINT/SIGTERM; applies the schema first. */
export async function serve(opts: { start?: boolean } = {}): Promise<void> {
  // type-graphql reads decorator metadata as the API's classes load, so the polyfill comes first.
  await import('reflect-metadata');
  const { startApi } = await import('../../api/server.js');
  const { loadConfig } = await import('../../config.js');
  const { openGraph } = await import('../../graph/driver.js');
  const { applySchema } = await import('../../graph/schema.js');
  const { logger } = await import('../../log.js');
  const cfg = loadConfig();
  const graph = await openGraph({ config: cfg, start: opts.start ?? false });
  await applySchema(graph);
  const api = await startApi(graph, cfg);
  const graphqlUrl = new URL('graphql', api.url).href;
  logger.info({ url: graphqlUrl, tokenFile: api.tokenFile }, 'GraphQL API listening');
  process.stderr.write(`\nreachgraph GraphQL API: ${graphqlUrl}\n` + (api.tokenFile ? `API token (Authorization: Bearer …): ${api.tokenFile}\n` : 'API token: REACHGRAPH_API_TOKEN\n'));
  // The explorer reads the key from the fragment, which browsers never send to a server, and then
  // drops it from the address bar; it goes to this terminal only, never to the log.
  const { apiToken } = await import('../../api/auth.js');
  process.stderr.write(`reachgraph explorer: ${api.url}#key=${encodeURIComponent(apiToken(cfg).token)}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await api.stop();
  await graph.close();
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the GraphQL API on 127.0.0.1:4000 (REACHGRAPH_API_HOST/PORT to change)')
    .action(async () => serve());
}
