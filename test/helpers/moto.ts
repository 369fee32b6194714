/**
 * moto's IAM server for integration tests: `moto_server` (pip `moto[server]`, installed by
 * scripts/setup/20-aws.sh) on a free loopback port, with its own account id. The AWS SDK talks to
 * it over real HTTP; nothing is mocked in-process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setupSkipped } from './setup-status.js';

export interface Moto {
  endpoint: string;
  accountId: string;
  stop(): Promise<void>;
}

/** Whether moto_server can be started here; the reason when not. */
export function motoAvailable(): { ok: true } | { ok: false; reason: string } {
  const r = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    const setup = setupSkipped('20-aws');
    return { ok: false, reason: `moto_server not found (${r.error?.message ?? `exit ${r.status}`}); ${setup ? `set-up step 20-aws could not run here: ${setup}` : 'run scripts/setup/20-aws.sh'}` };
  }
  return { ok: true };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs} ms: ${log()}`);
}

/** Start moto_server; `accountId` defaults to a random 12-digit id so runs never share state. */
/** `managedPolicies` loads AWS's managed policies (AdministratorAccess, …) as real IAM has them. */
export async function startMoto(opts: { accountId?: string; timeoutMs?: number; managedPolicies?: boolean } = {}): Promise<Moto> {
  const accountId = opts.accountId ?? String(100000000000 + Math.floor(Math.random() * 899999999999));
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ACCOUNT_ID: accountId, MOTO_IAM_LOAD_MANAGED_POLICIES: opts.managedPolicies === false ? 'false' : 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitReady(endpoint, child, () => stderr, opts.timeoutMs ?? 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  // The SDK's default chain needs some credentials; moto accepts any.
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  process.env.AWS_REGION ??= 'us-east-1';
  return {
    endpoint,
    accountId,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
