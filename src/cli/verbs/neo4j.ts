import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { printJson } from '../shared.js';

export function register(program: Command): void {
  const cmd = program.command('neo4j').description('manage the local Neo4j (Neo4j Community 5.26 LTS from Maven Central, embedded)');
  const guard = async () => {
    const { loadConfig } = await import('../../config.js');
    const cfg = loadConfig();
    if (cfg.neo4j.external) throw new InputError(`NEO4J_URI is set (${cfg.neo4j.uri}): the local Neo4j is not used`);
    return { cfg, local: await import('../../graph/local-neo4j.js') };
  };
  cmd
    .command('start')
    .description('start it (idempotent) and wait until Bolt answers')
    .action(async () => {
      const { cfg, local } = await guard();
      printJson(await local.startLocalNeo4j(cfg));
    });
  cmd
    .command('stop')
    .description('stop it')
    .action(async () => {
      const { cfg, local } = await guard();
      printJson({ stopped: await local.stopLocalNeo4j(cfg) });
    });
  cmd
    .command('status')
    .description('is it running, where, which version')
    .action(async () => {
      const { cfg, local } = await guard();
      const s = await local.localNeo4jStatus(cfg);
      printJson(s);
      if (!s.running) process.exitCode = 3;
    });
}
