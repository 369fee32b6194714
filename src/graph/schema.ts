/**
 * Applies the graph model to a graph, idempotently: the constraints and indexes of
 * cypher/schema/*.cypher, a provenance index per label and relationship type (for cleanup),
 * and the model version recorded in the graph.
 */
import { GRAPH_MODEL_VERSION, LABELS, RELS } from './model/index.js';
import { cypher, loadCypherRegistry, statements } from './cypher.js';
import type { Graph } from './driver.js';

export interface SchemaResult {
  version: number;
  statements: number;
}

export async function applySchema(graph: Graph): Promise<SchemaResult> {
  const reg = loadCypherRegistry();
  const texts: string[] = [];
  for (const name of [...reg.keys()].filter((k) => k.startsWith('schema/')).sort()) texts.push(...statements(reg.get(name)!));
  for (const { label } of LABELS) {
    texts.push(statements(cypher('schema-templates/create-node-scope-index', { label }))[0]!);
    texts.push(statements(cypher('schema-templates/create-node-stub-index', { label }))[0]!);
    texts.push(statements(cypher('schema-templates/create-node-shared-index', { label }))[0]!);
  }
  for (const { type } of RELS) {
    texts.push(statements(cypher('schema-templates/create-rel-scope-index', { type }))[0]!);
    texts.push(statements(cypher('schema-templates/create-rel-shared-index', { type }))[0]!);
  }
  // Schema statements cannot share a transaction with data writes; each runs on its own.
  const session = graph.driver.session({ database: graph.database });
  try {
    for (const t of texts) await session.run(t);
  } finally {
    await session.close();
  }
  await graph.write('schema-templates/set-schema-version', { version: GRAPH_MODEL_VERSION });
  await waitForIndexes(graph);
  return { version: GRAPH_MODEL_VERSION, statements: texts.length };
}

async function waitForIndexes(graph: Graph): Promise<void> {
  const session = graph.driver.session({ database: graph.database });
  try {
    await session.run(cypher('schema-templates/await-indexes'));
  } finally {
    await session.close();
  }
}
