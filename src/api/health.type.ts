import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Liveness: open to every caller, reveals no data.' })
export class Health {
  @Field(() => String, { description: 'The Neo4j server version, or "unreachable".' })
  neo4j!: string;

  @Field(() => String, { description: "reachgraph's version." })
  version!: string;
}
