import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { loadDemoEstate } from '../../demo/estate.js';
import { openGraph } from '../../graph/driver.js';
import { applySchema } from '../../graph/schema.js';
import { logger } from '../../log.js';
import { serve } from './serve.js';

export function register(program: Command): void {
  program
    .command('start')
    .description('the main job: start the local Neo4j, apply the schema, load the demo estate, serve GraphQL')
    .option('--no-demo', 'do not load the demo estate')
    .action(async (o: { demo: boolean }) => {
      const cfg = loadConfig();
      const graph = await openGraph({ config: cfg, start: true });
      try {
        await applySchema(graph);
        if (o.demo) {
          const results = await loadDemoEstate(graph);
          for (const r of results) process.stderr.write(`demo estate: ${r.part}: ${r.ok ? 'loaded' : `FAILED: ${r.error}`}\n`);
        }
      } finally {
        await graph.close();
      }
      logger.info('starting the API');
      await serve();
    });
}
