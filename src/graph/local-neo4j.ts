/**
 * The local Neo4j: Neo4j Community 5.26 LTS from Maven Central, run embedded by our launcher
 * (scripts/neo4j/Launcher.java) with Bolt on 127.0.0.1, auth on, data under the state folder.
 */
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import neo4j from 'neo4j-driver';
import type { Config } from '../config.js';
import { GraphError } from '../errors.js';
import { logger } from '../log.js';
import { projectRoot } from '../paths.js';

const run = promisify(execFile);

export interface LocalNeo4jStatus {
  running: boolean;
  pid: number | undefined;
  uri: string;
  home: string;
  version: string | undefined;
}

function dirs(cfg: Config) {
  const base = path.join(cfg.stateDir, 'neo4j');
  return { base, home: path.join(base, 'home'), pidFile: path.join(base, 'pid'), passwordFile: path.join(base, 'password'), log: path.join(base, 'launcher.log'), cpFile: path.join(base, 'classpath.txt') };
}

export function localUri(cfg: Config): string {
  return `bolt://127.0.0.1:${cfg.neo4j.port}`;
}

/** The generated password of the local server, created on first use with mode 0600. */
export function localPassword(cfg: Config): string {
  const d = dirs(cfg);
  if (!fs.existsSync(d.passwordFile)) {
    fs.mkdirSync(d.base, { recursive: true, mode: 0o700 });
    fs.writeFileSync(d.passwordFile, crypto.randomBytes(24).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  }
  fs.chmodSync(d.passwordFile, 0o600);
  return fs.readFileSync(d.passwordFile, 'utf8').trim();
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(cfg: Config): number | undefined {
  try {
    const pid = Number(fs.readFileSync(dirs(cfg).pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function boltVersion(cfg: Config): Promise<string | undefined> {
  const driver = neo4j.driver(localUri(cfg), neo4j.auth.basic('neo4j', localPassword(cfg)), { connectionTimeout: 3000, maxConnectionPoolSize: 1 });
  try {
    const r = await driver.executeQuery('CALL dbms.components() YIELD versions RETURN versions[0] AS v', {}, { routing: 'READ' });
    return String(r.records[0]?.get('v'));
  } catch {
    return undefined;
  } finally {
    await driver.close();
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function requireTool(cmd: string, args: string[], what: string): Promise<void> {
  try {
    await run(cmd, args, { timeout: 60_000 });
  } catch (e) {
    throw new GraphError(`${what} is required to run the local Neo4j but \`${cmd} ${args.join(' ')}\` failed (${(e as Error).message.split('\n')[0]}). Install it (Debian: apt-get install ${cmd === 'java' ? 'openjdk-17-jre-headless' : 'maven'}), or set NEO4J_URI to use another Neo4j server.`);
  }
}

/** Resolves the Neo4j class path through Maven: offline from the local repository first, then from Maven Central. */
async function classpath(cfg: Config): Promise<string> {
  const d = dirs(cfg);
  const pom = path.join(projectRoot(), 'scripts', 'neo4j', 'pom.xml');
  const pomHash = crypto.createHash('sha256').update(fs.readFileSync(pom)).digest('hex').slice(0, 16);
  const stamp = `${d.cpFile}.${pomHash}`;
  if (fs.existsSync(stamp)) {
    const cp = fs.readFileSync(stamp, 'utf8').trim();
    if (cp.split(':').every((j) => fs.existsSync(j))) return cp;
  }
  fs.mkdirSync(d.base, { recursive: true, mode: 0o700 });
  const args = ['-B', '-q', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${stamp}`];
  try {
    await run('mvn', ['-o', ...args], { timeout: 120_000 });
  } catch {
    logger.info('fetching Neo4j Community from Maven Central (first start only)');
    try {
      await run('mvn', args, { timeout: 900_000, maxBuffer: 16 << 20 });
    } catch (e) {
      throw new GraphError(`could not resolve Neo4j from Maven (${pom}): ${(e as { stdout?: string }).stdout?.slice(-2000) ?? (e as Error).message}`);
    }
  }
  return fs.readFileSync(stamp, 'utf8').trim();
}

/** Starts the local Neo4j unless it already runs; waits until Bolt answers. Idempotent. */
export async function startLocalNeo4j(cfg: Config, opts: { timeoutMs?: number } = {}): Promise<LocalNeo4jStatus> {
  const d = dirs(cfg);
  const existing = readPid(cfg);
  if (existing !== undefined) {
    const version = await waitForBolt(cfg, existing, opts.timeoutMs ?? 180_000);
    return { running: true, pid: existing, uri: localUri(cfg), home: d.home, version };
  }
  if (await portInUse(cfg.neo4j.port)) {
    const version = await boltVersion(cfg);
    if (version) return { running: true, pid: undefined, uri: localUri(cfg), home: d.home, version };
    throw new GraphError(`port 127.0.0.1:${cfg.neo4j.port} is taken by another program; set REACHGRAPH_NEO4J_PORT to a free port`);
  }
  await requireTool('java', ['-version'], 'Java 17 or newer');
  await requireTool('mvn', ['-v'], 'Maven');
  const cp = await classpath(cfg);
  localPassword(cfg);
  fs.mkdirSync(d.home, { recursive: true, mode: 0o700 });
  const launcher = path.join(projectRoot(), 'scripts', 'neo4j', 'Launcher.java');
  const out = fs.openSync(d.log, 'a', 0o600);
  const child = spawn(
    'java',
    [
      `-Xmx${cfg.neo4j.heap}`,
      '-XX:+UseG1GC',
      '--add-opens=java.base/java.nio=ALL-UNNAMED',
      '--add-opens=java.base/java.lang=ALL-UNNAMED',
      '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
      '-cp',
      cp,
      launcher,
      '--home',
      d.home,
      '--port',
      String(cfg.neo4j.port),
      '--password-file',
      d.passwordFile,
      '--pagecache',
      String(cfg.neo4j.pagecacheMb * 1024 * 1024),
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  if (child.pid === undefined) throw new GraphError('could not start java for the local Neo4j');
  fs.writeFileSync(d.pidFile, String(child.pid), { mode: 0o600 });
  child.unref();
  const version = await waitForBolt(cfg, child.pid, opts.timeoutMs ?? 180_000);
  logger.info({ uri: localUri(cfg), version }, 'local Neo4j is up');
  return { running: true, pid: child.pid, uri: localUri(cfg), home: d.home, version };
}

async function waitForBolt(cfg: Config, pid: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await boltVersion(cfg);
    if (v) return v;
    if (!pidAlive(pid)) {
      const tail = fs.existsSync(dirs(cfg).log) ? fs.readFileSync(dirs(cfg).log, 'utf8').slice(-3000) : '';
      throw new GraphError(`the local Neo4j exited while starting; its log (${dirs(cfg).log}) ends with:\n${tail}`);
    }
    if (Date.now() > deadline) throw new GraphError(`the local Neo4j did not answer on ${localUri(cfg)} within ${Math.round(timeoutMs / 1000)}s; see ${dirs(cfg).log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Stops the local Neo4j (SIGTERM, then SIGKILL after a minute). */
export async function stopLocalNeo4j(cfg: Config): Promise<boolean> {
  const pid = readPid(cfg);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(dirs(cfg).pidFile, { force: true });
  return true;
}

export async function localNeo4jStatus(cfg: Config): Promise<LocalNeo4jStatus> {
  const pid = readPid(cfg);
  const version = pid !== undefined || (await portInUse(cfg.neo4j.port)) ? await boltVersion(cfg) : undefined;
  return { running: version !== undefined, pid, uri: localUri(cfg), home: dirs(cfg).home, version };
}
