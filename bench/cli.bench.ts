// npm run bench:cli: how long a user waits for the built CLI, next to bare `node -e 0` in the same run
// (a busy machine slows both). Median wall time of BENCH_CLI_RUNS runs (default 11), interleaved so a
// burst of load hits every command alike:
//   - `reachgraph --help`                            registering every verb (aim: within 0.2 s of node)
//   - `reachgraph iam can … --from-file`             a small account file (test/cases/aws/account.json)
//   - `reachgraph rbac can … --from-dir`             a small manifest folder (test/cases/kubernetes/attack/estate)
// Needs no Neo4j: the `can` verbs answer from files.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';

const root = projectRoot();
const bin = path.join(root, 'dist', 'src', 'cli', 'bin.js');
const RUNS = Math.max(1, Number(process.env.BENCH_CLI_RUNS ?? 11));

interface Case {
  name: string;
  args: string[];
}
const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'reachgraph --help', args: [bin, '--help'] },
  { name: 'reachgraph iam can (account.json)', args: [bin, 'iam', 'can', 'arn:aws:iam::111122223333:user/alice', 's3:GetObject', '--from-file', path.join(root, 'test/cases/aws/account.json'), '--format', 'json'] },
  {
    name: 'reachgraph rbac can (attack/estate, 5 files)',
    args: [bin, 'rbac', 'can', 'user:minter', 'create', 'serviceaccounts/token', '-n', 'agents', '--name', 'agent', '--from-dir', path.join(root, 'test/cases/kubernetes/attack/estate'), '--format', 'json'],
  },
];

/** One run's wall time in ms; a failing command stops the benchmark (timing an error says nothing). */
function time(c: Case): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { cwd: root, encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const c of cases) time(c); // warm the file cache once; not counted
for (let i = 0; i < RUNS; i++) for (const c of cases) samples.get(c.name)!.push(time(c));

const base = median(samples.get('node -e 0')!);
const width = Math.max(...cases.map((c) => c.name.length));
console.log(`bench:cli: median wall time of ${RUNS} runs each (${process.version}, ${process.platform}/${process.arch})`);
for (const c of cases) {
  const xs = samples.get(c.name)!;
  const m = median(xs);
  const over = c.name === 'node -e 0' ? '' : `  (+${((m - base) / 1000).toFixed(3)} s over node)`;
  console.log(`  ${c.name.padEnd(width)}  ${(m / 1000).toFixed(3)} s  [min ${(Math.min(...xs) / 1000).toFixed(3)}, max ${(Math.max(...xs) / 1000).toFixed(3)}]${over}`);
}
