import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('cypher')
    .description('run a read-only Cypher query over the graph and print the result (writes, LOAD CSV, administration commands and procedures outside an allow-list are refused)')
    .argument('<query>', 'the Cypher query; pass values with --param')
    .option('-p, --param <k=v>', 'a query parameter (repeatable); JSON values are parsed', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-f, --format <format>', 'table or json', 'table')
    .option('--timeout <seconds>', 'Neo4j stops the query after this many seconds', '30')
    .option('--max-rows <n>', 'print at most this many rows', '10000')
    .action(async (query: string, o: { param: string[]; format: string; timeout: string; maxRows: string }) => {
      const format = parseFormat(o.format);
      const timeoutS = Number(o.timeout);
      if (!(timeoutS > 0)) throw new InputError(`--timeout: a number of seconds above 0, got "${o.timeout}"`);
      const maxRows = Number(o.maxRows);
      if (!Number.isInteger(maxRows) || maxRows < 1) throw new InputError(`--max-rows: a whole number above 0, got "${o.maxRows}"`);
      const { parseParam, runConsoleQuery } = await import('../../graph/adhoc.js');
      const params = Object.fromEntries(o.param.map(parseParam));
      const { rows, truncated } = await withGraph((g) => runConsoleQuery(g, query, params, { timeoutMs: timeoutS * 1000, maxRows }));
      if (format === 'json') printJson(rows);
      else printTable(rows);
      if (truncated) process.stderr.write(`reachgraph: only the first ${maxRows} rows are shown (--max-rows to change)\n`);
    });
}
