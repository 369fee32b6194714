/**
 * `reachgraph sensor run|record|status`: the eBPF runtime sensor (docs/sensor.md).
 *   run     observations stream into the graph (source "sensor", scope = host, append mode)
 *   record  the same observations as an ingest JSON Lines file, for `reachgraph ingest FILE`
 *   status  whether the sensor can run here, and why not
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { PROBES } from '../../sensor/probes.js';
import type { SensorOptions } from '../../sensor/run.js';
import { printJson, withGraph } from '../shared.js';

/** "500ms", "30s", "5m", "2h" -> milliseconds. */
export function parseDuration(v: string, flag = '--for'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new InputError(`${flag}: not a duration, got "${v}" (examples: 500ms, 30s, 5m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[unit as 'ms' | 's' | 'm' | 'h'];
  if (!(ms > 0)) throw new InputError(`${flag}: must be more than zero`);
  return Math.round(ms);
}

interface CommonOpts {
  probes?: string;
  for?: string;
  agent?: string;
  host?: string;
  window?: string;
  ringBuffer?: string;
  dnsPort: string[];
  fileRules?: string;
}

async function sensorOptions(o: CommonOpts): Promise<SensorOptions> {
  const { validateProbes } = await import('../../sensor/run.js');
  const { parseFileRules } = await import('../../sensor/rules.js');
  const opts: SensorOptions = {};
  if (o.probes !== undefined) opts.probes = validateProbes(o.probes.split(',').map((s) => s.trim()).filter(Boolean));
  if (o.for !== undefined) opts.durationMs = parseDuration(o.for);
  if (o.agent !== undefined) {
    if (!/^[^\s/]{1,64}$/.test(o.agent)) throw new InputError(`--agent: a process name without spaces or "/", got "${o.agent}"`);
    opts.agent = o.agent;
  }
  if (o.host !== undefined) opts.host = o.host;
  if (o.window !== undefined) opts.windowMs = parseDuration(o.window, '--window');
  if (o.ringBuffer !== undefined) {
    const n = Number(o.ringBuffer);
    if (!Number.isInteger(n) || n < 4096 || (n & (n - 1)) !== 0) throw new InputError(`--ring-buffer: a power of two of at least 4096 bytes, got "${o.ringBuffer}"`);
    opts.ringBufferBytes = n;
  }
  if (o.dnsPort.length > 0) {
    opts.dnsPorts = o.dnsPort.map((p) => {
      const n = Number(p);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InputError(`--dns-port: not a port, got "${p}"`);
      return n;
    });
    if (opts.dnsPorts.length > 4) throw new InputError('--dns-port: at most 4 ports');
  }
  if (o.fileRules !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(o.fileRules, 'utf8'));
    } catch (e) {
      throw new InputError(`--file-rules ${o.fileRules}: ${(e as Error).message}`);
    }
    opts.fileRules = parseFileRules(json, o.fileRules);
  }
  return opts;
}

function withCommon(c: Command): Command {
  return c
    .option('--probes <list>', `comma-separated probe families (${PROBES.join(', ')}); default all`)
    .option('--for <duration>', 'stop after this long (500ms, 30s, 5m, 1h); default: until Ctrl-C')
    .option('--agent <name>', 'the agent process name: its process tree becomes the Workload host/agent/NAME')
    .option('--host <name>', 'host name used as the sync scope and id prefix (default: hostname)')
    .option('--window <duration>', 'observation window: kernel maps drained and written once per window', '5s')
    .option('--ring-buffer <bytes>', 'lineage ring buffer size (power of two)')
    .option('--dns-port <port>', 'UDP port carrying DNS (repeatable; default 53)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--file-rules <file>', 'JSON array of watched-file rules replacing the default catalogue (docs/sensor.md)');
}

interface RemoteFlags {
  api: string;
  apiKeyFile?: string;
  spoolDir?: string;
  spoolMaxBytes: string;
  lineageRetention?: string;
}

/** The API target of `sensor run --api`: the key comes from a file or the environment, never from argv (process lists show it). */
async function remoteTarget(o: RemoteFlags, host: string | undefined): Promise<import('../../sensor/remote.js').RemoteTarget> {
  if (o.lineageRetention !== undefined) throw new InputError('--lineage-retention: with --api the API prunes process lineage with its own retention (docs/api.md)');
  let apiKey: string | undefined;
  if (o.apiKeyFile !== undefined) {
    try {
      apiKey = fs.readFileSync(o.apiKeyFile, 'utf8').trim();
    } catch (e) {
      throw new InputError(`--api-key-file ${o.apiKeyFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read (${(e as NodeJS.ErrnoException).code})`}`);
    }
    if (!apiKey) throw new InputError(`--api-key-file ${o.apiKeyFile}: the file is empty`);
  } else apiKey = process.env.REACHGRAPH_API_KEY?.trim();
  if (!apiKey) throw new InputError('--api: needs an API key: --api-key-file FILE or REACHGRAPH_API_KEY (never on the command line)');
  const spoolMaxBytes = Number(o.spoolMaxBytes);
  if (!Number.isInteger(spoolMaxBytes) || spoolMaxBytes < 65_536) throw new InputError(`--spool-max-bytes: a whole number of at least 65536, got "${o.spoolMaxBytes}"`);
  const { loadConfig } = await import('../../config.js');
  const os = await import('node:os');
  const path = await import('node:path');
  const spoolDir = o.spoolDir ?? path.join(loadConfig().stateDir, 'sensor-spool', (host ?? os.hostname()).replace(/[^A-Za-z0-9._-]/g, '_'));
  return { url: o.api, apiKey, spoolDir, spoolMaxBytes };
}

/** Stops the run on Ctrl-C / SIGTERM (the final window is still written). */
function stopSignal(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: ac.signal, dispose: () => (process.off('SIGINT', stop), process.off('SIGTERM', stop)) };
}

export function register(program: Command): void {
  const sensor = program.command('sensor').description('the eBPF runtime sensor: observed exec, connect, DNS and file-open edges');

  withCommon(sensor.command('run').description('observe this host and stream observations into the graph (source "sensor")'))
    .option('--lineage-retention <duration>', 'keep per-process lineage (Process nodes) this long, 0 keeps all (docs/behavior.md); default 24h')
    .option('--api <url>', 'send observations to a reachgraph API (POST /ingest) instead of the graph; spooled on disk while it is unreachable')
    .option('--api-key-file <file>', 'with --api: a file holding the API key (role ingest); default: REACHGRAPH_API_KEY')
    .option('--spool-dir <dir>', 'with --api: where unsent batches wait (default: <state dir>/sensor-spool/<host>)')
    .option('--spool-max-bytes <bytes>', 'with --api: the spool bound; the oldest batches are evicted past it, counted as lost', String(256 * 1024 * 1024))
    .action(async (o: CommonOpts & { lineageRetention?: string; api?: string; apiKeyFile?: string; spoolDir?: string; spoolMaxBytes: string }) => {
    const opts = await sensorOptions(o);
    if (o.lineageRetention !== undefined) opts.lineageRetentionMs = o.lineageRetention.trim() === '0' ? 0 : parseDuration(o.lineageRetention, '--lineage-retention');
    if (o.api !== undefined) {
      const target = await remoteTarget(o as RemoteFlags & { api: string }, opts.host);
      const { runSensorToApi } = await import('../../sensor/remote.js');
      const { signal, dispose } = stopSignal();
      try {
        const res = await runSensorToApi({ ...opts, signal }, target);
        printJson({ remote: res.remote, sensor: res.run });
      } finally {
        dispose();
      }
      return;
    }
    if (o.apiKeyFile !== undefined || o.spoolDir !== undefined) throw new InputError('--api-key-file and --spool-dir go with --api URL');
    const { runSensorIntoGraph } = await import('../../sensor/run.js');
    const { signal, dispose } = stopSignal();
    try {
      const res = await withGraph((g) => runSensorIntoGraph(g, { ...opts, signal }));
      printJson({ sync: res.sync, sensor: res.run });
    } finally {
      dispose();
    }
  });

  withCommon(sensor.command('record').description('observe this host and write an ingest JSON Lines file, replayable with `reachgraph ingest FILE`'))
    .requiredOption('--out <file>', 'the .jsonl file to write')
    .action(async (o: CommonOpts & { out: string }) => {
      const opts = await sensorOptions(o);
      const { recordSensorToFile } = await import('../../sensor/run.js');
      const { signal, dispose } = stopSignal();
      try {
        const run = await recordSensorToFile(o.out, { ...opts, signal });
        printJson({ file: o.out, sensor: run });
      } finally {
        dispose();
      }
    });

  sensor
    .command('status')
    .description('whether the sensor can run on this machine, and why not')
    .action(async () => {
      const { addonPath, loadAddon, sensorOffReasonFile } = await import('../../sensor/addon.js');
      try {
        const addon = loadAddon();
        printJson({ available: true, addon: addonPath(), eventVersion: addon.eventVersion, limits: addon.limits, root: process.getuid?.() === 0 });
      } catch (e) {
        const off = sensorOffReasonFile();
        printJson({ available: false, reason: (e as Error).message, ...(fs.existsSync(off) ? { buildLog: off } : {}) });
        process.exitCode = 1;
      }
    });
}
