import type { Command } from 'commander';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('schema')
    .description('graph model constraints and indexes')
    .command('apply')
    .description('apply cypher/schema/*.cypher idempotently and record the model version')
    .action(async () => {
      const { applySchema } = await import('../../graph/schema.js');
      printJson(await withGraph(applySchema));
    });
}
