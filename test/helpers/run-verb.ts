/** Runs one CLI verb in-process (no graph unless the verb opens one) and returns what it printed on stdout. */
import { Command } from 'commander';

export async function runVerb(register: (p: Command) => void, args: string[]): Promise<string> {
  const program = new Command('reachgraph').exitOverride();
  register(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'reachgraph', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}
