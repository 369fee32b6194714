// `npm test`: set up what the suites need, type-check everything, then every jest project (unit, then
// integration against the real services the global setup starts). Ends with one plain line,
// "tests: N passed, N failed, N skipped", and a non-zero exit when anything failed.
//
// Set-up: each scripts/setup/NN-*.sh runs first (idempotent: apt packages, moto, the kube-apiserver and
// etcd builds cached under ~/.cache/reachgraph, the sensor toolchain and addon), one line per step, its
// output in .reachgraph/setup/<step>.log. A step that cannot run on this machine (not root, no apt-get,
// no network to the package registries, a kernel without BTF) does not fail the run: the suites that need
// it skip and name the reason (REACHGRAPH_SETUP_SKIPPED). Any other failure of a step fails the run, so
// a machine that can run every suite (CI, as root) never skips one.
//   REACHGRAPH_SKIP_SETUP=1  skip the set-up (the suites then report what is missing themselves)
//
// The run always ends: once jest has written its results, it gets a few seconds to exit on its own; a
// handle left open by a suite is then named and the process group ended, and the summary still printed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXIT_GRACE_MS = 10_000;

const step = (name, args, env = {}) => {
  console.error(`\n== ${name}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
};

/** Why set-up steps cannot run on this machine at all, or undefined when they can. */
function machineCannotSetUp() {
  if (process.platform !== 'linux') return `this is ${process.platform}, the set-up steps are for Debian/Ubuntu Linux`;
  if (spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) return 'not a Debian/Ubuntu machine (no apt-get)';
  if (process.getuid?.() !== 0) return 'not root (the set-up installs packages with apt-get)';
  return undefined;
}

// Lines of a step's log that mean the registries (apt, PyPI, the Go module proxy, Maven Central) were out of reach.
const NO_NETWORK = /Temporary failure resolving|Could not resolve|Failed to fetch|Network is unreachable|No route to host|Connection (timed out|refused)|dial tcp|i\/o timeout|Name or service not known|NewConnectionError|Max retries exceeded|UnknownHostException|Could not transfer artifact/i;
// Reasons build-native.mjs gives when the kernel or the platform, not a missing package, keeps the sensor off.
const SENSOR_MACHINE = /no BTF|eBPF needs Linux|REACHGRAPH_SKIP_SENSOR_BUILD/;

/**
 * Runs one set-up step; returns { ok } or { skip: reason } (cannot run here) or { fail: reason }.
 * The sensor step exits 0 even when the addon could not be built (npm install must not fail), so its
 * result is read from native/build/SENSOR_OFF.txt.
 */
async function runSetupStep(file, logFile) {
  const name = path.basename(file, '.sh');
  const started = Date.now();
  const out = fs.openSync(logFile, 'w');
  process.stderr.write(`setup ${name}: `);
  const child = spawn('bash', [file], { cwd: root, stdio: ['ignore', out, out], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const slow = setTimeout(() => process.stderr.write(`(still running; a first run downloads and builds: tail -f ${path.relative(root, logFile)}) `), 30_000);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearTimeout(slow);
  fs.closeSync(out);
  const log = fs.readFileSync(logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
  const last = log.trim().split('\n').filter((l) => l.trim() && !/^\s*(gyp info|npm (warn|notice))/.test(l)).at(-1)?.trim() ?? '';
  const secs = `${Math.round((Date.now() - started) / 1000)} s`;
  let result = { ok: true };
  if (code !== 0) {
    const cannot = machineCannotSetUp();
    const net = NO_NETWORK.exec(log);
    if (cannot) result = { skip: cannot };
    else if (net) result = { skip: `no network to the package registries (${net[0]})` };
    else result = { fail: `exit ${code}: ${last}` };
  } else if (name.includes('sensor')) {
    const offFile = path.join(root, 'native', 'build', 'SENSOR_OFF.txt');
    const off = fs.existsSync(offFile) ? fs.readFileSync(offFile, 'utf8').trim() : undefined;
    if (off) result = SENSOR_MACHINE.test(off) || machineCannotSetUp() ? { skip: `the sensor is off: ${off}` } : { fail: `the sensor is off: ${off}` };
  }
  if (result.ok) console.error(`ready in ${secs}${last ? `: ${last}` : ''}`);
  else if (result.skip) console.error(`cannot run here after ${secs}: ${result.skip} (suites needing it skip; log: ${path.relative(root, logFile)})`);
  else console.error(`FAILED after ${secs}: ${result.fail} (log: ${path.relative(root, logFile)})`);
  return { name, ...result };
}

async function setUp() {
  if (process.env.REACHGRAPH_SKIP_SETUP === '1') {
    console.error('setup: skipped (REACHGRAPH_SKIP_SETUP=1)');
    return { skipped: {}, failed: [] };
  }
  const dir = path.join(root, 'scripts', 'setup');
  const logs = path.join(root, '.reachgraph', 'setup');
  fs.mkdirSync(logs, { recursive: true });
  const skipped = {};
  const failed = [];
  console.error('\n== setup (cached after the first run; see README: the first run downloads and builds for ~25 min)');
  for (const f of fs.readdirSync(dir).filter((f) => /^\d+-.*\.sh$/.test(f)).sort()) {
    const r = await runSetupStep(path.join(dir, f), path.join(logs, f.replace(/\.sh$/, '.log')));
    if (r.skip) skipped[r.name] = r.skip;
    if (r.fail) failed.push(`${r.name}: ${r.fail}`);
  }
  return { skipped, failed };
}

/** Runs jest; resolves with its exit code, ending it when it outlives its own results by EXIT_GRACE_MS. */
function runJest(args, env, results) {
  console.error('\n== jest');
  return new Promise((resolve) => {
    // Its own process group, so a stuck run can be ended with every worker it started.
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, detached: true });
    let finishedAt;
    const poll = setInterval(() => {
      if (finishedAt === undefined && fs.existsSync(results)) finishedAt = Date.now();
      if (finishedAt !== undefined && Date.now() - finishedAt > EXIT_GRACE_MS) {
        clearInterval(poll);
        console.error(`\n== jest wrote its results but had not exited ${EXIT_GRACE_MS / 1000} s later: a suite left a handle open (find it with: npx jest --detectOpenHandles FILE); ending it`);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }, 250);
    const forward = (sig) => () => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    process.once('SIGINT', forward('SIGINT'));
    process.once('SIGTERM', forward('SIGTERM'));
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const setup = await setUp();
if (step('typecheck', [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']) !== 0) {
  console.error('== typecheck failed');
  console.log('tests: 0 passed, 0 failed, 0 skipped (typecheck failed)');
  process.exit(1);
}
const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reachgraph-jest-')), 'results.json');
const userArgs = process.argv.slice(2);
// Every integration suite runs against the local Neo4j the global setup starts: without Java and its
// artifacts only the unit project can run.
if (setup.skipped['10-neo4j'] && userArgs.length === 0) userArgs.push('--selectProjects', 'unit');
const jestArgs = ['--experimental-vm-modules', path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${results}`, ...userArgs];
let code = await runJest(jestArgs, { NODE_ENV: 'test', REACHGRAPH_SETUP_SKIPPED: JSON.stringify(setup.skipped) }, results);
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  // A suite that fails to load has no test results of its own: count it, or the line would read 0 failed.
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  if (!r.success || failed > 0) code ||= 1;
  else code = 0; // jest ended by the grace-period kill after a clean run: the results are what counts
  const notes = [...Object.entries(setup.skipped).map(([k, v]) => `${k} could not run: ${v}`), ...setup.failed.map((f) => `setup ${f}`)];
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped${notes.length ? ` (${notes.join('; ')})` : ''}`);
} else {
  console.log('tests: 0 passed, 0 failed, 0 skipped (jest wrote no results: see the output above)');
  code ||= 1;
}
if (setup.failed.length > 0) code ||= 1;
process.exit(code);
