import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  const demo = program.command('demo').description('synthetic estates for trying and measuring the risk engine');
  demo
    .command('generate')
    .description('write a seeded estate (IAM, IAM last-accessed, Kubernetes, AI-BOM, sensor recordings) as ingest files with planted attack paths, unused grants and undeclared behaviour, and its answers.json')
    .requiredOption('--agents <n>', 'number of agents', (v) => Number(v))
    .option('--seed <n>', 'seed: the same seed gives the same estate', (v) => Number(v), 1)
    .option('--out <dir>', 'folder for the .jsonl files and answers.json (default: ./reachgraph-estate-SEED)')
    .option('--load', 'also load it into the graph through the ingest core')
    .action(async (o: { agents: number; seed: number; out?: string; load?: boolean }) => {
      if (!Number.isInteger(o.agents) || o.agents < 1 || o.agents > 1_000_000) throw new InputError(`--agents: must be an integer from 1 to 1000000, got "${o.agents}"`);
      if (!Number.isInteger(o.seed) || o.seed < 0) throw new InputError(`--seed: must be a non-negative integer, got "${o.seed}"`);
      const [{ generateEstate, estateFiles, loadEstate }, fs, path] = await Promise.all([import('../../demo/generate.js'), import('node:fs'), import('node:path')]);
      const estate = generateEstate({ agents: o.agents, seed: o.seed });
      const dir = path.resolve(o.out ?? `reachgraph-estate-${o.seed}`);
      fs.mkdirSync(dir, { recursive: true });
      const written: Record<string, number> = {};
      for (const [name, lines] of estateFiles(estate)) {
        fs.writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
        written[name] = lines.length;
      }
      const loaded = o.load ? await withGraph((g) => loadEstate(g, estate)) : undefined;
      printJson({ dir, seed: estate.seed, agents: estate.agents, cluster: estate.cluster, account: estate.account, files: written, nodes: estate.sources.reduce((n, s) => n + s.nodes.length, 0), rels: estate.sources.reduce((n, s) => n + s.rels.length, 0), ...(loaded ? { loaded } : {}) });
    });
}
