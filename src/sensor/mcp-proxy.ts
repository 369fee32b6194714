/**
 * `reachgraph mcp proxy`: sits between an MCP client and a stdio MCP server it spawns. Bytes pass
 * unchanged both ways (the relay never waits for a line or re-encodes one); a copy of each chunk goes
 * to the McpCallRecorder, which counts tool calls. The server's stderr is the proxy's stderr, so the
 * client's log of the server stays as it was.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { InputError } from '../errors.js';
import { McpCallRecorder } from './mcp-calls.js';

export interface ProxyOptions {
  command: string;
  args: readonly string[];
  /** The client side: what the client writes (our stdin) and where it reads (our stdout). */
  input: Readable;
  output: Writable;
  now?: () => number;
}

export interface ProxyResult {
  recorder: McpCallRecorder;
  /** Epoch milliseconds. */
  from: number;
  to: number;
  /** The server's exit: its code, or 128 + signal number when a signal ended it. */
  exitCode: number;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Runs the server until it exits, relaying and recording; resolves once its output is drained. */
export async function runMcpProxy(o: ProxyOptions): Promise<ProxyResult> {
  const now = o.now ?? Date.now;
  const recorder = new McpCallRecorder(now);
  const from = now();
  const child = spawn(o.command, [...o.args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e: NodeJS.ErrnoException) => reject(new InputError(`MCP server command "${o.command}": cannot start (${e.code ?? e.message})`, { cause: e })));
  });
  const closed = new Promise<number>((resolve) => child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0))));
  await spawned;

  const onInput = (c: Buffer) => recorder.feed('client', c);
  const onInputEnd = () => recorder.end('client');
  o.input.on('data', onInput);
  o.input.once('end', onInputEnd);
  o.input.pipe(child.stdin);
  // A server that exits while the client still writes: EPIPE on its stdin is the server's business, not a proxy crash.
  child.stdin.on('error', () => {});
  child.stdout.on('data', (c: Buffer) => recorder.feed('server', c));
  child.stdout.once('end', () => recorder.end('server'));
  child.stdout.pipe(o.output, { end: false });

  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const exitCode = await closed;
    return { recorder, from, to: now(), exitCode };
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
    o.input.off('data', onInput);
    o.input.off('end', onInputEnd);
    o.input.unpipe(child.stdin);
  }
}
