/**
 * A real Kubernetes control plane on loopback for integration tests: etcd + kube-apiserver (built by
 * scripts/setup/30-kubernetes.sh, cached under ~/.cache/reachgraph/kubernetes/bin), started in a temp dir
 * with free ports, locally generated certificates, a static admin token (group system:masters),
 * RBAC authorization (so SubjectAccessReview answers as a real cluster would) and service-account signing keys.
 * When the clusterrole-aggregator binary is present it runs too, so aggregated ClusterRoles get their rules.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { AccessRequest, Principal } from '../../src/identity/kubernetes/rbac/types.js';
import { setupSkipped } from './setup-status.js';

export const KUBE_BIN_DIR = process.env.REACHGRAPH_KUBE_BIN_DIR ?? path.join(os.homedir(), '.cache', 'reachgraph', 'kubernetes', 'bin');

export interface KubeCluster {
  /** Admin KubeConfig for @kubernetes/client-node (token of a system:masters user). */
  kubeConfig: KubeConfig;
  /** The same as a kubeconfig file (YAML), e.g. for the CLI's --kubeconfig. */
  kubeconfigPath: string;
  server: string;
  /** Where etcd/apiserver logs are written. */
  dir: string;
  /** The API server's audit log (JSON lines, Metadata level), when started with `audit: true`. */
  auditLog?: string;
  stop(): Promise<void>;
}

/** Why the control plane cannot start here, or undefined when the binaries are in place. */
export function kubeUnavailable(): string | undefined {
  for (const b of ['etcd', 'kube-apiserver']) {
    if (!existsSync(path.join(KUBE_BIN_DIR, b))) {
      const setup = setupSkipped('30-kubernetes');
      return `${path.join(KUBE_BIN_DIR, b)} is missing: ${setup ? `set-up step 30-kubernetes could not run here: ${setup}` : 'run scripts/setup/30-kubernetes.sh'}`;
    }
  }
  if (!hasOpenssl()) return 'openssl is not installed (needed to generate the test certificates)';
  return undefined;
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCerts(dir: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=reachgraph-test-ca']);
  writeFileSync(
    path.join(dir, 'san.cnf'),
    ['[req]', 'distinguished_name=dn', '[dn]', '[ext]', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc', 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'].join('\n'),
  );
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver']);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf', '-extensions', 'ext']);
  openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
  openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

function waitExit(p: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      resolve();
    }, ms);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function waitFor(what: string, ms: number, probe: () => Promise<boolean>, died: () => string | undefined): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const d = died();
    if (d) throw new Error(`${what} exited during start: ${d}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function httpGet(url: string, opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...opts, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Starts etcd and kube-apiserver; resolves when /readyz answers ok and the bootstrap RBAC policy is in place. */
export async function startKube(opts: { name?: string; audit?: boolean } = {}): Promise<KubeCluster> {
  const why = kubeUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(path.join(os.tmpdir(), `reachgraph-kube-${opts.name ?? 'test'}-`));
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of [...procs].reverse()) {
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
      await waitExit(p, 10_000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    makeCerts(dir);
    const token = randomBytes(24).toString('hex');
    writeFileSync(path.join(dir, 'tokens.csv'), `${token},reachgraph-admin,reachgraph-admin,"system:masters"\n`, { mode: 0o600 });
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    // Metadata level for every request, as a cluster that wants least-privilege evidence would log (no bodies).
    if (opts.audit) writeFileSync(path.join(dir, 'audit-policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: ["RequestReceived"]\nrules:\n- level: Metadata\n');

    const etcdLog = createWriteStream(path.join(dir, 'etcd.log'));
    const etcd = spawn(
      path.join(KUBE_BIN_DIR, 'etcd'),
      [
        '--name=default',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    etcd.stdout!.pipe(etcdLog);
    etcd.stderr!.pipe(etcdLog);
    procs.push(etcd);

    const apiLog = createWriteStream(path.join(dir, 'kube-apiserver.log'));
    const api = spawn(
      path.join(KUBE_BIN_DIR, 'kube-apiserver'),
      [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${path.join(dir, 'certs')}`,
        `--tls-cert-file=${path.join(dir, 'server.crt')}`,
        `--tls-private-key-file=${path.join(dir, 'server.key')}`,
        `--client-ca-file=${path.join(dir, 'ca.crt')}`,
        `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--allow-privileged=true',
        `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--enable-priority-and-fairness=false',
        '--endpoint-reconciler-type=none',
        '--v=1',
        ...(opts.audit ? [`--audit-policy-file=${path.join(dir, 'audit-policy.yaml')}`, `--audit-log-path=${path.join(dir, 'audit.log')}`, '--audit-log-format=json'] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    api.stdout!.pipe(apiLog);
    api.stderr!.pipe(apiLog);
    procs.push(api);

    const server = `https://127.0.0.1:${apiPort}`;
    const ca = readFileSync(path.join(dir, 'ca.crt'));
    const exited = (p: ChildProcess, n: string) => () => (p.exitCode !== null || p.signalCode !== null ? `${n} exit ${p.exitCode ?? p.signalCode}; see ${dir}` : undefined);
    const died = () => exited(etcd, 'etcd')() ?? exited(api, 'kube-apiserver')();
    const auth = { ca, headers: { Authorization: `Bearer ${token}` } };
    await waitFor('kube-apiserver', 90_000, async () => (await httpGet(`${server}/readyz`, auth)).status === 200, died);
    // The RBAC bootstrap policy is written by a post-start hook; readyz covers it, but be explicit.
    await waitFor('bootstrap RBAC', 30_000, async () => (await httpGet(`${server}/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin`, auth)).status === 200, died);

    const kubeconfigText = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server, 'certificate-authority-data': ca.toString('base64') } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
      'current-context': 'test',
    });
    const kubeconfigPath = path.join(dir, 'kubeconfig.json');
    writeFileSync(kubeconfigPath, kubeconfigText, { mode: 0o600 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigText);

    const aggregator = path.join(KUBE_BIN_DIR, 'clusterrole-aggregator');
    if (existsSync(aggregator)) {
      const aggLog = createWriteStream(path.join(dir, 'aggregator.log'));
      const agg = spawn(aggregator, [`--kubeconfig=${kubeconfigPath}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      agg.stdout!.pipe(aggLog);
      agg.stderr!.pipe(aggLog);
      procs.push(agg);
    }
    return { kubeConfig, kubeconfigPath, server, dir, ...(opts.audit ? { auditLog: path.join(dir, 'audit.log') } : {}), stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

/** True when the clusterrole-aggregation controller runs next to the API server. */
export function aggregatorAvailable(): boolean {
  return existsSync(path.join(KUBE_BIN_DIR, 'clusterrole-aggregator'));
}

/** The SubjectAccessReview body asking the API server the question `rbac can` answers for `p` and `req`. */
export function subjectAccessReview(p: Principal, req: AccessRequest) {
  return {
    spec: {
      ...(p.user ? { user: p.user } : {}),
      groups: p.groups,
      ...(req.kind === 'nonResource'
        ? { nonResourceAttributes: { verb: req.verb, path: req.path } }
        : { resourceAttributes: { verb: req.verb, group: req.apiGroup, resource: req.resource, subresource: req.subresource, namespace: req.namespace, name: req.name } }),
    },
  };
}
