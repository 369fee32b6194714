// Every Cypher file the program runs compiles against the real Neo4j (EXPLAIN plans without running).
import { cypher, loadCypherRegistry } from '../../src/graph/cypher.js';
import type { Graph } from '../../src/graph/driver.js';
import { testGraph } from '../helpers/graph.js';

let graph: Graph;
beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => graph.close());

const sample = { label: 'AIAgent', fromLabel: 'AIAgent', toLabel: 'MCPTool', type: 'MAY_USE_TOOL', maxHops: 6 };

test.each([...loadCypherRegistry().keys()].filter((k) => !k.startsWith('schema')).sort())('cypher/%s.cypher plans', async (name) => {
  const text = loadCypherRegistry().get(name)!;
  const q = /\{\{\w+\}\}/.test(text) ? cypher(name, sample) : cypher(name);
  const session = graph.driver.session({ database: graph.database });
  try {
    const explain = 'EXPLAIN ' + q;
    await expect(session.run(explain)).resolves.toBeDefined();
  } finally {
    await session.close();
  }
});
