import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { InputError } from '../../errors.js';
import { localNeo4jStatus, startLocalNeo4j, stopLocalNeo4j } from '../../graph/local-neo4j.js';
import { printJson } from '../shared.js';

export function register(program: Command): void {
  const cmd = program.command('neo4j').description('manage the local Neo4j (Neo4j Community 5.26 LTS from Maven Central, embedded)');
  const guard = () => {
    const cfg = loadConfig();
    if (cfg.neo4j.external) throw new InputError(`NEO4J_URI is set (${cfg.neo4j.uri}): the local Neo4j is not used`);
    return cfg;
  };
  cmd
    .command('start')
    .description('start it (idempotent) and wait until Bolt answers')
    .action(async () => printJson(await startLocalNeo4j(guard())));
  cmd
    .command('stop')
    .description('stop it')
    .action(async () => printJson({ stopped: await stopLocalNeo4j(guard()) }));
  cmd
    .command('status')
    .description('is it running, where, which version')
    .action(async () => {
      const s = await localNeo4jStatus(guard());
      printJson(s);
      if (!s.running) process.exitCode = 3;
    });
}
