import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { ingestFile } from '../../graph/ingest-file.js';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('ingest')
    .description('load a JSON Lines file of the normalized batch format (docs/ingest-format.md)')
    .argument('<file>', 'the .jsonl file')
    .option('--source <name>', 'source name (default: the file\'s sync header, else "file")')
    .option('--scope <name>', 'scope (default: the file\'s sync header, else the file name)')
    .option('--mode <mode>', 'replace (remove what this source+scope had that the file lacks) or append')
    .option('--batch-size <n>', 'rows per transaction', (v) => Number(v))
    .action(async (file: string, o: { source?: string; scope?: string; mode?: string; batchSize?: number }) => {
      if (o.mode !== undefined && o.mode !== 'replace' && o.mode !== 'append') throw new InputError(`--mode: must be replace or append, got "${o.mode}"`);
      if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) throw new InputError('--batch-size: must be a positive integer');
      const summary = await withGraph((g) => ingestFile(g, file, { source: o.source, scope: o.scope, mode: o.mode as 'replace' | 'append' | undefined, batchSize: o.batchSize }));
      printJson(summary);
    });
}
