/** Per-request GraphQL context: the graph and who is asking. Loaders, when added, are built here per request. */
import type { Graph } from '../graph/driver.js';

export interface Principal {
  name: string;
  roles: string[];
}

export interface ApiContext {
  graph: Graph;
  principal: Principal | undefined;
}
