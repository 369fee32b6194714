// The built CLI started the ways a user starts it: npm links the package's bin (npx, `npm exec`,
// `npm install -g`), so the entry must run through a symlink and fail loudly on a wrong verb.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../src/paths.js';

const root = projectRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const linkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-bin-'));

/** A symlink to a built file, as npm makes in node_modules/.bin or a global prefix. */
function link(target: string, name: string): string {
  const p = path.join(linkDir, name);
  fs.symlinkSync(path.join(root, target), p);
  return p;
}

const run = (file: string, ...args: string[]) => spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', cwd: linkDir });

describe('the reachgraph command through a symlink', () => {
  const bin = link(pkg.bin.reachgraph!, 'reachgraph');
  const main = link('dist/src/cli/main.js', 'reachgraph-main');

  test.each([
    ['the package bin', bin],
    ['main.js', main],
  ])('given %s behind a symlink, when run with --help, then it prints the usage and exits 0', (_name, file) => {
    const r = run(file, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: reachgraph /);
    expect(r.stdout).toMatch(/\n {2}cypher /);
  });

  test('given an unknown verb, then it exits non-zero naming the verb', () => {
    const r = run(bin, 'frobnicate');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  test('given no verb, then it exits non-zero and shows the usage', () => {
    const r = run(bin);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Usage: reachgraph /);
  });

  test('given a verb without its required argument, then it exits non-zero naming the argument', () => {
    const r = run(bin, 'cypher');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("missing required argument 'query'");
  });

  test('given a reader that closed the pipe before the output came (`… | head`), then it stops quietly with status 0, no stack trace', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-epipe-'));
    const child = spawn(process.execPath, [bin, 'demo', 'generate', '--agents', '2', '--seed', '3', '--out', out], { cwd: linkDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // It did its work: the output was only the report of it.
    expect(fs.existsSync(path.join(out, 'answers.json'))).toBe(true);
  });

  test('given `npm exec` in the project, then the bin runs', () => {
    const r = spawnSync('npm', ['exec', '--no', '--', 'reachgraph', '--help'], { encoding: 'utf8', cwd: root });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: reachgraph /);
  });
});
