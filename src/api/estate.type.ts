import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How many nodes of one label the graph holds.' })
export class EstateCount {
  @Field(() => String)
  label!: string;

  @Field(() => Int)
  count!: number;
}
