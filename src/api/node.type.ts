/** Any node of the graph, for the explorer and for answers that name a node (tag, search). */
import { JSONResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A node of the graph. `neighbours` is resolved on demand (node.resolver.ts).' })
export class GraphNode {
  @Field(() => ID, { description: 'The node id property.' })
  id!: string;

  @Field(() => String, { description: 'The primary label (the first of the model).' })
  label!: string;

  @Field(() => [String])
  labels!: string[];

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => JSONResolver, { description: 'Its properties, secret-like values never stored in the first place.' })
  properties!: Record<string, unknown>;

  /** Neo4j's elementId, when the node was read in this request (neighbours start from it); not a field. */
  element?: string;
}

@ObjectType({ description: 'A relationship seen from one end.' })
export class GraphEdge {
  @Field(() => String)
  type!: string;

  @Field(() => String, { description: 'OUT when the relationship leaves the node asked about, else IN.' })
  direction!: string;

  @Field(() => GraphNode)
  other!: GraphNode;

  @Field(() => JSONResolver, { nullable: true })
  props!: Record<string, unknown> | null;
}
