import type { Command } from 'commander';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  for (const [verb, on] of [
    ['tag', true],
    ['untag', false],
  ] as const)
    program
      .command(verb)
      .description(on ? 'mark a node as an attack entry point or a crown jewel (kept across re-syncs)' : 'remove a tag set by `reachgraph tag`')
      .argument('<node-id>', 'the node\'s id')
      .argument('<tag>', 'entry or crown-jewel')
      .action(async (nodeId: string, tag: string) => {
        const { setTag } = await import('../../risk/run.js');
        printJson(await withGraph((g) => setTag(g, nodeId, tag, on)));
      });
}
