import type { Command } from 'commander';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

/** `reachgraph api-key create|list|revoke`: API keys for the GraphQL API (docs/api.md, "Authentication and operations"). */
export function register(program: Command): void {
  const cmd = program.command('api-key').description('make, list and revoke API keys for `reachgraph serve` (roles viewer, analyst, admin, ingest)');

  cmd
    .command('create')
    .description('make a key and print it once (only its SHA-256 is stored): send it as Authorization: Bearer <key>')
    .requiredOption('--name <name>', 'who or what uses the key (shown by `api-key list`)')
    .requiredOption('--role <role>', 'viewer (read answers), analyst (+ Cypher console), admin (+ mutations), or ingest (remote ingest only)')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (o: { name: string; role: string; format: string }) => {
      const format = parseFormat(o.format);
      const { createApiKey } = await import('../../api/keys.js');
      const k = await withGraph((g) => createApiKey(g, { name: o.name, role: o.role }));
      if (format === 'json') printJson(k);
      else {
        process.stdout.write(`${k.key}\n`);
        process.stderr.write(`API key ${k.id} "${k.name}" (${k.role}) created. It is shown only this once; store it now.\n`);
      }
    });

  cmd
    .command('list')
    .description('every key: id, name, role, created, last used (to the minute), revoked; never the secret')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (o: { format: string }) => {
      const format = parseFormat(o.format);
      const { listApiKeys } = await import('../../api/keys.js');
      const keys = await withGraph((g) => listApiKeys(g));
      if (format === 'json') printJson(keys);
      else printTable(keys.map((k) => ({ ...k })));
    });

  cmd
    .command('revoke')
    .description('revoke a key by id; a running API refuses it within 5 seconds')
    .argument('<id>', 'the key id, as `api-key list` shows it')
    .action(async (id: string) => {
      const { revokeApiKey } = await import('../../api/keys.js');
      printJson(await withGraph((g) => revokeApiKey(g, id)));
    });
}
