/**
 * `reachgraph serve` as a child process from the built CLI (dist/), for tests that read what the real
 * server writes: its JSON log lines on stderr. Logs at info in production mode unless `env` says otherwise.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** The API's base URL, ending in `/`. */
  url: string;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** The JSON lines of stderr so far, parsed. */
  logLines(): Record<string, unknown>[];
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `reachgraph serve` on a free port with `env` over this process's environment; resolves once it listens. */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'bin.js'), 'serve'], {
    env: { ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 60_000);
    const check = () => {
      const m = /reachgraph GraphQL API: (http:\/\/\S+)\/graphql/.exec(stderr);
      if (m) {
        clearTimeout(t);
        resolve(`${m[1]}/`);
      } else if (child.exitCode !== null) {
        clearTimeout(t);
        reject(new Error(`serve exited with ${child.exitCode}:\n${stderr}`));
      } else setTimeout(check, 100);
    };
    check();
  });
  return {
    child,
    url,
    stderr: () => stderr,
    logLines: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
