import type { Command } from 'commander';
import { applySchema } from '../../graph/schema.js';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('schema')
    .description('graph model constraints and indexes')
    .command('apply')
    .description('apply cypher/schema/*.cypher idempotently and record the model version')
    .action(async () => printJson(await withGraph(applySchema)));
}
