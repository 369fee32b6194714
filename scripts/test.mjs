// `npm test`: type-check everything, then every jest project (unit, then integration against the
// real services the global setup starts). Exits non-zero on the first failure and ends with one
// plain line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (name, args, env = {}) => {
  console.error(`\n== ${name}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
};
if (step('typecheck', [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']) !== 0) {
  console.error('== typecheck failed');
  process.exit(1);
}
const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reachgraph-jest-')), 'results.json');
const code = step('jest', ['--experimental-vm-modules', path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${results}`, ...process.argv.slice(2)], { NODE_ENV: 'test' });
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}
process.exit(code);
