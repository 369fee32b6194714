import type { Command } from 'commander';
import { serve } from './serve.js';

export function register(program: Command): void {
  program
    .command('start')
    .description('the main job: start the local Neo4j, apply the schema, load the demo estate, serve GraphQL')
    .option('--no-demo', 'do not load the demo estate')
    .action(async (o: { demo: boolean }) => {
      const { loadConfig } = await import('../../config.js');
      const { loadDemoEstate } = await import('../../demo/estate.js');
      const { openGraph } = await import('../../graph/driver.js');
      const { applySchema } = await import('../../graph/schema.js');
      const { logger } = await import('../../log.js');
      const cfg = loadConfig();
      const graph = await openGraph({ config: cfg, start: true });
      try {
        await applySchema(graph);
        if (o.demo) {
          const results = await loadDemoEstate(graph);
          for (const r of results) process.stderr.write(`demo estate: ${r.part}: ${r.ok ? 'loaded' : `FAILED: ${r.error}`}\n`);
          // The API pages stored findings and orders agents by riskScore: both come from a refresh.
          // A failed refresh is reported like a failed part: the API still starts.
          const { refreshFindings } = await import('../../risk/store.js');
          try {
            const f = await refreshFindings(graph);
            process.stderr.write(`demo estate: findings: ${f.found} stored (${f.created} new, ${f.resolved} resolved)${f.complete ? '' : `, INCOMPLETE: ${f.failures.map((x) => x.rule).join(', ')}`}\n`);
          } catch (e) {
            process.stderr.write(`demo estate: findings: FAILED: ${(e as Error).message}\n`);
          }
        }
      } finally {
        await graph.close();
      }
      logger.info('starting the API');
      await serve();
    });
}
