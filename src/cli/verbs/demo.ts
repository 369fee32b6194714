import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  const demo = program.command('demo').description('synthetic estates for trying and measuring the risk engine');
  demo
    .command('generate')
    .description('write a seeded estate (IAM, IAM last-accessed, Kubernetes, AI-BOM, sensor recordings) as ingest files (or, with --format raw, as collector inputs) with planted attack paths, unused grants and undeclared behaviour, and its answers.json')
    .requiredOption('--agents <n>', 'number of agents', (v) => Number(v))
    .option('--seed <n>', 'seed: the same seed gives the same estate', (v) => Number(v), 1)
    .option('--out <dir>', 'folder for the .jsonl files and answers.json (default: ./reachgraph-estate-SEED)')
    .option('--format <format>', 'graph: ingest .jsonl files (fast, for benchmarks); raw: the inputs the collectors read (IAM export, last-accessed, Kubernetes manifests, agent projects, sensor recordings), loaded with `demo load`', 'graph')
    .option('--load', 'also load it into the graph (graph: through the ingest core; raw: through the collectors, like `demo load`)')
    .action(async (o: { agents: number; seed: number; out?: string; load?: boolean; format: string }) => {
      if (!Number.isInteger(o.agents) || o.agents < 1 || o.agents > 1_000_000) throw new InputError(`--agents: must be an integer from 1 to 1000000, got "${o.agents}"`);
      if (!Number.isInteger(o.seed) || o.seed < 0) throw new InputError(`--seed: must be a non-negative integer, got "${o.seed}"`);
      if (o.format !== 'graph' && o.format !== 'raw') throw new InputError(`--format: must be graph or raw, got "${o.format}"`);
      if (o.format === 'raw') {
        if (o.agents > 5000) throw new InputError(`--agents: a raw estate goes through the collectors; use at most 5000 (or --format graph), got "${o.agents}"`);
        const [{ writeRawEstate }, { loadRawEstate }, path] = await Promise.all([import('../../demo/generate-raw.js'), import('../../demo/load-raw.js'), import('node:path')]);
        const dir = path.resolve(o.out ?? `reachgraph-estate-${o.seed}`);
        const written = writeRawEstate(dir, { agents: o.agents, seed: o.seed });
        const loaded = o.load ? await withGraph((g) => loadRawEstate(g, dir)) : undefined;
        printJson({ dir, format: 'raw', ...written, ...(loaded ? { loaded: loaded.syncs.map((s) => ({ source: s.source, scope: s.scope, status: s.status, nodes: s.nodes, rels: s.rels })), problems: loaded.problems } : {}) });
        return;
      }
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
  demo
    .command('load')
    .description('load a raw estate (`demo generate --format raw`) through the real collectors: Kubernetes manifests, IAM export and last-accessed data, AI-BOM scan, deployment joins, sensor recordings')
    .argument('<dir>', 'the estate folder (holds estate.json)')
    .option('--connect', 'also start each agent\'s MCP server and list its tools (runs the configured commands)')
    .action(async (dir: string, o: { connect?: boolean }) => {
      const [{ loadRawEstate }, path] = await Promise.all([import('../../demo/load-raw.js'), import('node:path')]);
      const r = await withGraph((g) => loadRawEstate(g, path.resolve(dir), { connect: o.connect === true }));
      for (const p of r.problems) process.stderr.write(`reachgraph: warning: ${p}\n`);
      printJson({ dir: path.resolve(dir), seed: r.manifest.seed, agents: r.manifest.agents, cluster: r.manifest.cluster, account: r.manifest.account, syncs: r.syncs.map((s) => ({ source: s.source, scope: s.scope, status: s.status, nodes: s.nodes, rels: s.rels })) });
    });
}
