/** The analyst console's answer (console.resolver.ts). */
import { JSONResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The rows of a read-only Cypher query, capped: `truncated` says rows were left out.' })
export class CypherResult {
  @Field(() => [String], { description: 'Column names in the order the query returns them (also when there are no rows).' })
  columns!: string[];

  @Field(() => [JSONResolver], { description: 'One JSON object per row, column name → value (nodes and relationships as their properties plus labels or type; times as ISO text).' })
  rows!: Record<string, unknown>[];

  @Field(() => Boolean, { description: 'True when the query had more rows than the row limit.' })
  truncated!: boolean;
}
