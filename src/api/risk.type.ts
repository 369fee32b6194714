/**
 * The risk engine's answers as GraphQL types: blast radius, gaps, attack paths, and the generic node
 * view. Shapes follow src/risk/ (docs/risk.md); resolvers in agent.resolver.ts, risk.resolver.ts and
 * node.resolver.ts map the engine's results onto them.
 */
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Identity } from './agent.type.js';

/** Which edges a blast-radius search walks (docs/risk.md). */
export enum BlastMode {
  DECLARED = 'declared',
  OBSERVED = 'observed',
  BOTH = 'both',
}
registerEnumType(BlastMode, { name: 'BlastMode', description: 'DECLARED walks MAY_* edges, OBSERVED needs a DID_* hop on the path, BOTH walks both.' });

@ObjectType({ description: 'One hop of an evidence path.' })
export class Hop {
  @Field(() => String, { description: 'The relationship type.' })
  type!: string;

  @Field(() => String, { description: 'Id of the node the hop leaves.' })
  from!: string;

  @Field(() => String, { description: 'Id of the node the hop reaches.' })
  to!: string;

  @Field(() => Boolean, { description: 'Declared: a grant (MAY_*) or configuration (structural joins such as RUNS_AS); the opposite of observed.' })
  declared!: boolean;

  @Field(() => Boolean, { description: 'Observed at runtime (DID_*).' })
  observed!: boolean;

  @Field(() => JSONResolver, { nullable: true, description: "The relationship's key properties." })
  props!: Record<string, unknown> | null;
}

@ObjectType({ description: 'A sensitive node a subject reaches, with its shortest evidence path and score.' })
export class BlastTarget {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, { description: 'The target class (secret, admin, data-read, …).' })
  kind!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Float, { description: 'criticality × 10 × 0.85^(hops−1) × (1 observed, else 0.7).' })
  score!: number;

  @Field(() => Boolean)
  observed!: boolean;

  @Field(() => [Hop], { description: 'From the subject: its join hops to the anchor, then the path.' })
  path!: Hop[];
}

@ObjectType({ description: 'What a subject can reach.' })
export class BlastRadius {
  @Field(() => [BlastTarget], { description: 'Highest score first.' })
  targets!: BlastTarget[];

  @Field(() => Boolean, { description: 'False when the answer was cut (the API returns at most its target cap).' })
  complete!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the observed side may be partial, when it may be.' })
  coverage!: string | null;

  @Field(() => [Identity], { description: 'The nodes the subject acts through, the subject first.' })
  anchors!: Identity[];
}

@ObjectType({ description: 'The evidence window of a gaps answer.' })
export class Window {
  @Field(() => DateTimeResolver)
  from!: string;

  @Field(() => DateTimeResolver)
  to!: string;
}

@ObjectType({ description: 'A grant with no matching use.' })
export class UnusedGrant {
  @Field(() => String)
  domain!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => String)
  grant!: string;

  @Field(() => String, { description: 'unused (complete evidence) or unknown.' })
  status!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: 'Behaviour no grant or declaration covers.' })
export class Undeclared {
  @Field(() => String)
  domain!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => String)
  observed!: string;

  @Field(() => String)
  detail!: string;

  @Field(() => Int, { nullable: true })
  count!: number | null;

  @Field(() => DateTimeResolver, { nullable: true })
  lastSeen!: string | null;
}

@ObjectType({ description: 'Declared versus observed, per domain (docs/risk.md "Gaps").' })
export class Gaps {
  @Field(() => Window, { nullable: true })
  window!: Window | null;

  @Field(() => JSONResolver, { description: 'Per domain: complete, and why not.' })
  completeness!: Record<string, unknown>;

  @Field(() => [UnusedGrant])
  grantedUnused!: UnusedGrant[];

  @Field(() => [Undeclared])
  doneUndeclared!: Undeclared[];
}

@ObjectType({ description: 'A path from an entry point to a crown jewel.' })
export class AttackPath {
  @Field(() => String)
  entry!: string;

  @Field(() => String)
  entryReason!: string;

  @Field(() => String)
  target!: string;

  @Field(() => String)
  targetLabel!: string;

  @Field(() => String)
  targetReason!: string;

  @Field(() => Int)
  length!: number;

  @Field(() => Boolean)
  observed!: boolean;

  @Field(() => Float)
  score!: number;

  @Field(() => [Hop])
  path!: Hop[];
}

@ObjectType({ description: 'Attack paths and the entry points and targets they were searched between.' })
export class AttackPathResult {
  @Field(() => [AttackPath])
  paths!: AttackPath[];

  @Field(() => [Identity])
  entries!: Identity[];

  @Field(() => [Identity])
  targets!: Identity[];
}
