#!/usr/bin/env node
/**
 * The `reachgraph` command. Each verb is a module in ./verbs/ exporting `register(program)`;
 * errors become one line on stderr and the error's exit code. Registering must stay light (commander
 * types and small helpers at a verb file's top): every invocation, `--help` included, loads every verb
 * file, so a verb imports its engines, clients and drivers inside its action, one `await import()` after
 * another (jest's VM modules fail concurrent dynamic imports that share a dependency).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { ReachgraphError } from '../errors.js';

export async function buildProgram(): Promise<Command> {
  const program = new Command('reachgraph')
    .description('Security posture engine for AI agents: declared and observed access in one Neo4j graph')
    .version('0.1.0')
    .showHelpAfterError();
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verbs');
  const ext = path.extname(fileURLToPath(import.meta.url));
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`)).sort()) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

let pipeWatched = false;

/**
 * A reader that stops reading (`reachgraph findings | head`) closes the pipe: the next write fails with
 * EPIPE, which Node throws as an unhandled stream error with a stack trace. It means the output is no
 * longer wanted, as for other Unix tools: stop quietly with the status so far.
 */
function quietOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
}

export async function main(argv = process.argv): Promise<void> {
  quietOnClosedPipe();
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof ReachgraphError) {
      process.stderr.write(`reachgraph: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else {
      process.stderr.write(`reachgraph: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 70;
    }
  }
}

/** True when `node <this file>` started the process, also through a symlink (npm links bins). */
function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return fs.realpathSync(arg) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
