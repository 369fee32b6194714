/** The graph integration tests use: the real Neo4j started by global setup. */
import crypto from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { openGraph, type Graph } from '../../src/graph/driver.js';
import { useTestEnv } from './env.js';

export async function testGraph(): Promise<Graph> {
  useTestEnv();
  return openGraph({ config: loadConfig() });
}

/** A scope name no other test file uses, so tests can run in parallel on one graph. */
export function uniqueScope(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(5).toString('hex')}`;
}
