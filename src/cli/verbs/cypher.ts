import type { Command } from 'commander';
import { parseParam, runReadOnly } from '../../graph/adhoc.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('cypher')
    .description('run a read-only Cypher query (refused when it would write) and print the result')
    .argument('<query>', 'the Cypher query; pass values with --param')
    .option('-p, --param <k=v>', 'a query parameter (repeatable); JSON values are parsed', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (query: string, o: { param: string[]; format: string }) => {
      const format = parseFormat(o.format);
      const params = Object.fromEntries(o.param.map(parseParam));
      const rows = await withGraph((g) => runReadOnly(g, query, params));
      if (format === 'json') printJson(rows);
      else printTable(rows);
    });
}
