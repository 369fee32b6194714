// Builds the runtime sensor: bpf/ (clang + bpftool: vmlinux.h, CO-RE objects, skeleton) and the
// native/ addon (node-gyp, links libbpf). Run by `npm install` (the "install" script) and by
// scripts/setup/50-sensor.sh. It NEVER fails the install: when a tool, a library or the kernel's
// BTF is missing it prints why the sensor is off, writes that to native/build/SENSOR_OFF.txt
// (which `reachgraph sensor status` and the sensor's error show), and exits 0.
//   REACHGRAPH_SKIP_SENSOR_BUILD=1  skip entirely
//   --force                         rebuild even when the addon is newer than its sources
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'native', 'build');
const offFile = path.join(buildDir, 'SENSOR_OFF.txt');
const addon = path.join(buildDir, 'Release', 'reachgraph_sensor.node');
const force = process.argv.includes('--force');

function off(reason) {
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(offFile, reason + '\n');
  console.error(`reachgraph: the runtime sensor is off: ${reason}`);
  console.error('reachgraph: everything else works; to build the sensor install clang, llvm, libbpf-dev, bpftool, make, pkg-config (scripts/setup/50-sensor.sh) and run: node scripts/build-native.mjs');
  process.exit(0);
}

function which(cmd, extra = []) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extra]) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function newestMtime(dir, filter) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === '.output' || e.name === 'build') continue;
      newest = Math.max(newest, newestMtime(p, filter));
    } else if (filter(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

if (process.env.REACHGRAPH_SKIP_SENSOR_BUILD === '1') off('REACHGRAPH_SKIP_SENSOR_BUILD=1 was set');
if (process.platform !== 'linux') off(`eBPF needs Linux; this is ${process.platform}`);

const sources = Math.max(
  newestMtime(path.join(root, 'bpf'), (n) => /\.(c|h)$/.test(n) || n === 'Makefile'),
  newestMtime(path.join(root, 'native'), (n) => /\.(cc|h|gyp)$/.test(n)),
);
if (!force && fs.existsSync(addon) && fs.statSync(addon).mtimeMs > sources) {
  console.error('reachgraph: the runtime sensor addon is up to date');
  process.exit(0);
}

const sbin = ['/usr/sbin', '/sbin', '/usr/local/sbin'];
const clang = which('clang');
const bpftool = which('bpftool', sbin);
const make = which('make');
const pkgConfig = which('pkg-config');
if (!clang) off('clang is not installed (apt-get install clang llvm)');
if (!bpftool) off('bpftool is not installed (apt-get install bpftool)');
if (!make) off('make is not installed (apt-get install make)');
if (!pkgConfig) off('pkg-config is not installed (apt-get install pkg-config)');
if (spawnSync(pkgConfig, ['--exists', 'libbpf']).status !== 0) off('libbpf development files are not installed (apt-get install libbpf-dev)');
if (!fs.existsSync('/sys/kernel/btf/vmlinux')) off('this kernel exposes no BTF at /sys/kernel/btf/vmlinux (needs CONFIG_DEBUG_INFO_BTF=y): vmlinux.h cannot be generated');

const nodeDir = path.resolve(path.dirname(process.execPath), '..');
if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) off(`Node.js headers are missing under ${nodeDir}/include/node (install the nodejs headers package)`);
const nodeGyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (!fs.existsSync(nodeGyp)) off('node-gyp is not installed (npm install)');

try {
  console.error('reachgraph: building the eBPF programs (bpf/)');
  execFileSync(make, ['-C', path.join(root, 'bpf'), `BPFTOOL=${bpftool}`, `CLANG=${clang}`], { stdio: ['ignore', 'inherit', 'inherit'] });
} catch (e) {
  off(`building bpf/ failed: ${e.message.split('\n')[0]}`);
}
try {
  console.error('reachgraph: building the sensor addon (native/)');
  execFileSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--directory', path.join(root, 'native')], { stdio: ['ignore', 'inherit', 'inherit'] });
} catch (e) {
  off(`building native/ failed: ${e.message.split('\n')[0]}`);
}
fs.rmSync(offFile, { force: true });
console.error(`reachgraph: the runtime sensor is built: ${path.relative(root, addon)}`);
