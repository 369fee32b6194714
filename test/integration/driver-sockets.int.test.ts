// The Bolt connection as the graph layer opens it. Nagle's algorithm on a Bolt socket delays every
// query of more than one 1,400-byte chunk by the server's delayed ACK (about 40 ms on Linux), so the
// driver module turns it off for each client socket (src/graph/driver.ts, noDelay).
import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { Graph } from '../../src/graph/driver.js';
import { testGraph } from '../helpers/graph.js';

/**
 * Whether Nagle's algorithm is off on a socket. Node keeps the setting under an internal symbol and
 * has no getter, and TCP_NODELAY cannot be read back through the public API.
 */
function noDelayOf(socket: Socket): boolean | undefined {
  const sym = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'kSetNoDelay');
  return sym === undefined ? undefined : Boolean((socket as unknown as Record<symbol, unknown>)[sym]);
}

test('given a graph opened by the driver module, then its Bolt sockets have Nagle off, for queries longer than one chunk too', async () => {
  const sockets: Socket[] = [];
  const seen = (m: unknown) => sockets.push((m as { socket: Socket }).socket);
  dc.subscribe('net.client.socket', seen);
  let graph: Graph | undefined;
  try {
    graph = await testGraph();
    const long = `// ${'x'.repeat(4000)}\nRETURN size($p) AS n`;
    const rows = await graph.readText(long, { p: 'y'.repeat(4000) }, 'test-long-query');
    expect(rows).toEqual([{ n: 4000 }]);
  } finally {
    dc.unsubscribe('net.client.socket', seen);
    await graph?.close();
  }
  expect(sockets.length).toBeGreaterThan(0);
  for (const s of sockets) expect(noDelayOf(s)).toBe(true);
});
