// Before `npm start` / `npm test`: install dependencies when they are missing, then build
// (incrementally: a no-op when nothing changed). Uses only Node's own modules.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

const lock = path.join(root, 'package-lock.json');
const marker = path.join(root, 'node_modules', '.package-lock.json');
if (!fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000)) {
  console.error('reachgraph: installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
// npx and npm link run the package's bin by path: tsc writes it 0644, so it needs the execute bit here.
fs.chmodSync(path.join(root, 'dist', 'src', 'cli', 'bin.js'), 0o755);

// The explorer (src/ui, Vite): rebuilt when any of its sources, or the lock file, is newer than the build.
const uiIndex = path.join(root, 'dist', 'ui', 'index.html');
const newest = (p) => {
  const st = fs.statSync(p);
  return st.isDirectory() ? Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f)))) : st.mtimeMs;
};
if (!fs.existsSync(uiIndex) || Math.max(newest(path.join(root, 'src', 'ui')), fs.existsSync(lock) ? fs.statSync(lock).mtimeMs : 0) > fs.statSync(uiIndex).mtimeMs) {
  console.error('reachgraph: building the explorer (src/ui → dist/ui)');
  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join('src', 'ui', 'tsconfig.json')]);
  run(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join('src', 'ui', 'vite.config.ts')]);
}
