import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('ingest')
    .description('load a JSON Lines file of the normalized batch format (docs/ingest-format.md)')
    .argument('<file>', 'the .jsonl file (a path, a pipe such as /dev/stdin, or - for standard input); read once')
    .option('--source <name>', 'source name (default: the file\'s sync header, else "file")')
    .option('--scope <name>', 'scope (default: the file\'s sync header, else the file name)')
    .option('--mode <mode>', 'replace (remove what this source+scope had that the file lacks) or append')
    .option('--batch-size <n>', 'rows per transaction', (v) => Number(v))
    .option('--allow-empty', 'let an input without records run a replace-mode sync (it removes everything the source+scope had)')
    .option('--wait <seconds>', 'how long to wait for another sync of the same source+scope (0: refuse at once)', (v) => Number(v), 900)
    .action(async (file: string, o: { source?: string; scope?: string; mode?: string; batchSize?: number; allowEmpty?: boolean; wait: number }) => {
      if (o.mode !== undefined && o.mode !== 'replace' && o.mode !== 'append') throw new InputError(`--mode: must be replace or append, got "${o.mode}"`);
      if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) throw new InputError('--batch-size: must be a positive integer');
      if (!Number.isFinite(o.wait) || o.wait < 0) throw new InputError('--wait: must be a number of seconds, 0 or more');
      const { ingestFile } = await import('../../graph/ingest-file.js');
      const opts = { source: o.source, scope: o.scope, mode: o.mode as 'replace' | 'append' | undefined, batchSize: o.batchSize, allowEmpty: o.allowEmpty, leaseWaitMs: o.wait * 1000 };
      const summary = await withGraph((g) => ingestFile(g, file, opts));
      printJson(summary);
    });
}
